import { describe, expect, it } from 'vitest';
import { candidateVerdict } from '../../../../functions/core/candidates/verdict';

const T = { min_lift: 2, max_p: 0.01 };
const big = { n_hit: 50, retained_hit: 30, n_miss: 500, retained_miss: 60 };

describe('candidateVerdict', () => {
  it('is strong only when lift > min_lift and q < max_p, both strictly', () => {
    expect(candidateVerdict(big, 2.01, 0.009, T)).toBe('strong');
    expect(candidateVerdict(big, 2, 0.009, T)).toBe('weak');
    expect(candidateVerdict(big, 2.01, 0.01, T)).toBe('weak');
    expect(candidateVerdict(big, 5, 0.5, T)).toBe('weak');
    expect(candidateVerdict(big, 0.1, 1e-30, T)).toBe('weak');
  });

  it('is weak when lift or q is null', () => {
    expect(candidateVerdict(big, null, 1e-30, T)).toBe('weak');
    expect(candidateVerdict(big, 10, null, T)).toBe('weak');
  });

  it('is insufficient_data when a group has fewer than 2 users, whatever the numbers', () => {
    expect(candidateVerdict({ ...big, n_hit: 1, retained_hit: 1 }, 10, 1e-30, T)).toBe('insufficient_data');
    expect(candidateVerdict({ ...big, n_miss: 1, retained_miss: 0 }, 10, 1e-30, T)).toBe('insufficient_data');
    expect(candidateVerdict({ n_hit: 0, retained_hit: 0, n_miss: 0, retained_miss: 0 }, null, null, T)).toBe('insufficient_data');
    expect(candidateVerdict({ ...big, n_hit: 2, retained_hit: 2 }, 10, 1e-30, T)).toBe('strong');
  });
});
