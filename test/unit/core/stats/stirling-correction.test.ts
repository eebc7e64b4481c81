import { describe, expect, it } from 'vitest';
import { stirlingCorrection } from '../../../../functions/core/stats/stirling-correction';
import { expectClose } from './expect-close';

describe('stirlingCorrection', () => {
  it.each([
    // mpmath, mp.mp.dps = 40: float(mp.loggamma(x) - ((x - 0.5)*mp.log(x) - x + mp.log(2*mp.pi)/2))
    [10, 0.00833056343336287],
    [25.5, 0.003267806405762447],
    [1e6, 8.333333333333056e-8],
  ])('δ(%s) matches mpmath', (x, expected) => {
    expectClose(stirlingCorrection(x), expected, 1e-13);
  });

  it('refuses arguments below 10, where the series is not accurate enough', () => {
    expect(() => stirlingCorrection(9.5)).toThrow(/>= 10/);
  });
});
