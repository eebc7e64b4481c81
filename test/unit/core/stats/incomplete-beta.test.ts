import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from '../../../../functions/core/stats/incomplete-beta';
import { expectClose } from './expect-close';

describe('regularizedIncompleteBeta', () => {
  it.each([
    [0.5, 2, 2, 0.5], // scipy.special.betainc(2, 2, 0.5)
    [0.1, 0.5, 3, 0.5545844446520296], // scipy.special.betainc(0.5, 3, 0.1)
    [0.9, 0.5, 3, 0.9996750253207289], // scipy.special.betainc(0.5, 3, 0.9)
    [0.999, 500, 0.5, 0.317310447309558], // scipy.special.betainc(500, 0.5, 0.999)
    [1e-5, 0.5, 1e4, 0.3452759253162736], // scipy.special.betainc(0.5, 1e4, 1e-5)
    [0.3, 30, 40, 0.012126160623329673], // scipy.special.betainc(30, 40, 0.3)
    [0.7, 30, 40, 0.9999986807222218], // scipy.special.betainc(30, 40, 0.7)
  ])('I_%s(%s, %s) matches scipy', (x, a, b, expected) => {
    expectClose(regularizedIncompleteBeta(x, a, b), expected);
  });

  it('is 0 at x = 0 and 1 at x = 1', () => {
    expect(regularizedIncompleteBeta(0, 3, 4)).toBe(0);
    expect(regularizedIncompleteBeta(1, 3, 4)).toBe(1);
  });

  it('rejects x outside [0, 1] and non-positive shapes', () => {
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/x must be/);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(/a and b/);
  });
});
