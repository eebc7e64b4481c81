import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from '../../../functions/core/backoff';

const opts = { initialMs: 100, maxMs: 1_000 };

describe('backoffCeiling', () => {
  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_000], // capped
    [60, 1_000], // 2^60 does not escape the cap
    [2_000, 1_000], // 2^2000 is Infinity; still capped
  ])('attempt %d -> %d ms', (attempt, ceiling) => {
    expect(backoffCeiling(attempt, opts)).toBe(ceiling);
  });

  it.each([[{ initialMs: 0, maxMs: 10 }], [{ initialMs: 20, maxMs: 10 }]])('rejects bad options %j', (o) => {
    expect(() => backoffCeiling(0, o)).toThrow(RangeError);
  });
  it('rejects a negative attempt', () => {
    expect(() => backoffCeiling(-1, opts)).toThrow(RangeError);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('draws uniformly in [0, ceiling)', () => {
    expect(backoffDelay(2, opts, () => 0)).toBe(0);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(200);
    expect(backoffDelay(2, opts, () => 0.999999)).toBe(399);
    expect(backoffDelay(9, opts, () => 0.5)).toBe(500);
  });
  it('stays within bounds with the real random source', () => {
    for (let a = 0; a < 50; a++) {
      const d = backoffDelay(a, opts);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(backoffCeiling(a, opts));
    }
  });
});
