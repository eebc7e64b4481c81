import { describe, expect, it } from 'vitest';
import { lagCorrelations, weeklyChanges } from '../../../../functions/core/north-star-check/lag-correlations';
import { NS, REV, SCIPY } from '../../../support/north-star-series';
import { expectClose } from '../stats/expect-close';

describe('lagCorrelations', () => {
  const analysis = lagCorrelations(NS, REV, 8);

  it('matches scipy pearsonr and its Fisher interval at every lag, skipping pairs around the missing week', () => {
    expect(analysis.lags).toHaveLength(9);
    for (const [lag, n, r, low, high] of SCIPY) {
      const l = analysis.lags[lag]!;
      expect(l.lag).toBe(lag);
      expect(l.n).toBe(n);
      expectClose(l.r, r, 1e-9);
      expectClose(l.ci_low, low, 1e-9);
      expectClose(l.ci_high, high, 1e-9);
    }
    // /usr/bin/python3: sum(1 for x, y in zip(a, b) if x is not None and y is not None) -> 49
    expect(analysis.changes).toBe(49);
  });

  it('finds the planted lead: best lag 2, verdict leading', () => {
    expect(analysis.best_lag).toBe(2);
    expect(analysis.verdict).toBe('leading');
  });

  it('says coincident when the revenue moves the same week', () => {
    const sameWeek = lagCorrelations(NS.slice(0, 50), REV.slice(2), 3);
    expect(sameWeek.best_lag).toBe(0);
    expect(sameWeek.verdict).toBe('coincident');
  });

  it('says not_predictive when no interval lies above 0, even if one lies below it', () => {
    // Revenue changes that mirror the North Star's (negatively) at lag 0 and nothing else.
    const mirrored = NS.map((v, i) => (v === null ? null : 3000 - 2 * v + (i % 3)));
    const analysisNeg = lagCorrelations(NS, mirrored, 2);
    expect(analysisNeg.lags[0]!.ci_high!).toBeLessThan(0);
    expect(analysisNeg.verdict).toBe('not_predictive');
    expect(analysisNeg.best_lag).toBeNull();
  });

  it('says insufficient_history under 26 weeks of changes, but still reports the lags', () => {
    const short = lagCorrelations(NS.slice(-26), REV.slice(-26), 2);
    expect(short.changes).toBe(25);
    expect(short.verdict).toBe('insufficient_history');
    expect(short.best_lag).toBeNull();
    expect(short.lags[2]!.r).not.toBeNull();
    expect(lagCorrelations(NS.slice(-27), REV.slice(-27), 2).verdict).toBe('leading');
  });

  it('leaves a lag with too few pairs empty instead of failing', () => {
    const tiny = lagCorrelations([1, 2, 4, 3], [5, 7, 6, 9], 2);
    expect(tiny.lags.map((l) => [l.n, l.r === null, l.ci_low === null])).toEqual([
      [3, false, true],
      [2, true, true],
      [1, true, true],
    ]);
  });
});

describe('weeklyChanges', () => {
  it('is null next to a missing week', () => {
    expect(weeklyChanges([1, 3, null, 4, 10])).toEqual([2, null, null, 6]);
  });
});
