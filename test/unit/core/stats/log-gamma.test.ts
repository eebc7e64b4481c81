import { describe, expect, it } from 'vitest';
import { logGamma } from '../../../../functions/core/stats/log-gamma';
import { expectClose } from './expect-close';

describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247], // scipy.special.gammaln(0.5)
    [1.5, -0.12078223763524526], // scipy.special.gammaln(1.5)
    [3.2, 0.8854048271549091], // scipy.special.gammaln(3.2)
    [9.99, 12.779315214350195], // scipy.special.gammaln(9.99)
    [10, 12.801827480081469], // scipy.special.gammaln(10)
    [12.5, 18.73434751193645], // scipy.special.gammaln(12.5)
    [1000, 5905.220423209181], // scipy.special.gammaln(1000)
    [2.95e6, 40997074.868812904], // scipy.special.gammaln(2.95e6)
  ])('lnΓ(%s) matches scipy to 1e-13', (x, expected) => {
    expectClose(logGamma(x), expected, 1e-13);
  });

  it('is 0 at 1 and 2 (up to the rounding of the shift by ln 9!)', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
  });

  it('rejects non-positive arguments', () => {
    expect(() => logGamma(0)).toThrow(/positive/);
    expect(() => logGamma(-1.5)).toThrow(/positive/);
  });
});
