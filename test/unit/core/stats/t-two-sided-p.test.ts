import { describe, expect, it } from 'vitest';
import { tTwoSidedP } from '../../../../functions/core/stats/t-two-sided-p';
import { expectClose } from './expect-close';

describe('tTwoSidedP', () => {
  it.each([
    [2.0, 10, 0.07338803477074039], // 2*scipy.special.stdtr(10, -2.0)
    [-2.0, 10, 0.07338803477074039], // 2*scipy.special.stdtr(10, -2.0): two-sided, sign does not matter
    [0.5, 1, 0.7048327646991336], // 2*scipy.special.stdtr(1, -0.5)
    [1.96, 1e6, 0.04999606758526978], // 2*scipy.special.stdtr(1e6, -1.96)
    [40.0, 7.5, 5.11905676370979e-10], // 2*scipy.special.stdtr(7.5, -40.0)
    [1e-8, 30, 0.9999999920873563], // 2*scipy.special.stdtr(30, -1e-8)
    [20.516946725378087, 5910.5360575909035, 2.0179073303563545e-90], // 2*scipy.special.stdtr(5910.5360575909035, -20.516946725378087)
  ])('t=%s df=%s matches scipy', (t, df, expected) => {
    expectClose(tTwoSidedP(t, df), expected);
  });

  // mpmath 1.2.1, mp.mp.dps = 60: float(mp.betainc(df/2, 0.5, 0, df/(df+t*t), regularized=True))
  it.each([
    [38, 1000, 2.9187578422600384e-196],
    [5, 1.5, 0.06537576762115624],
    [10, 3.7e6, 1.5250211566658942e-23],
    [2, 1e8, 0.04550026659590675],
    [20.5, 1e8, 2.153889954347464e-93],
  ])('t=%s df=%s matches mpmath at 60 digits (tiny p, huge df)', (t, df, expected) => {
    expectClose(tTwoSidedP(t, df), expected);
  });

  it('is 1 at t = 0 and 0 at infinite t', () => {
    expect(tTwoSidedP(0, 12)).toBe(1);
    expect(tTwoSidedP(Number.POSITIVE_INFINITY, 12)).toBe(0);
    expect(tTwoSidedP(1e200, 12)).toBe(0);
  });

  it('rejects a NaN t or a non-positive df', () => {
    expect(() => tTwoSidedP(Number.NaN, 3)).toThrow(/tTwoSidedP/);
    expect(() => tTwoSidedP(1, 0)).toThrow(/tTwoSidedP/);
  });
});
