/**
 * Does the North Star lead revenue? (docs/candidates.md "The North Star check"). From weekly values
 * of both metrics, oldest first, the week-over-week changes ΔN_t = N_t − N_{t−1} and ΔR_t, and for
 * each lag L = 0 … max: the Pearson correlation of ΔN_t with ΔR_{t+L} over every t where both
 * changes exist, its 95% Fisher-z interval and the number of pairs. Changes, not levels: two series
 * that both grow correlate in level whatever drives them.
 *
 * The best lag is the one with the largest correlation whose interval lies above 0; the verdict is
 * `leading` (best lag ≥ 1), `coincident` (best lag 0), `not_predictive` (no interval above 0) or
 * `insufficient_history` (fewer than MIN_CHANGES weeks with both changes). A correlation whose
 * interval lies below 0 — the North Star rising as revenue falls — is reported per lag but is not
 * the lead the check looks for.
 */
import { fisherZInterval } from '../stats/fisher-z-interval';
import { pearsonCorrelation } from '../stats/pearson-correlation';
import { MIN_CHANGES } from './limits';

export type NorthStarVerdict = 'leading' | 'coincident' | 'not_predictive' | 'insufficient_history';

export interface LagCorrelation {
  /** Weeks from the North Star's change to the revenue change it is paired with. */
  lag: number;
  /** Pairs (ΔN_t, ΔR_{t+lag}) with both changes present. */
  n: number;
  /** Null with fewer than 3 pairs or a constant series. */
  r: number | null;
  /** 95% Fisher-z interval; null with fewer than 4 pairs or no r. */
  ci_low: number | null;
  ci_high: number | null;
}

export interface LagAnalysis {
  /** Weeks with both changes (ΔN_t and ΔR_t) present. */
  changes: number;
  lags: LagCorrelation[];
  best_lag: number | null;
  verdict: NorthStarVerdict;
}

/** Week-over-week changes; null where either week is missing. */
export function weeklyChanges(values: readonly (number | null)[]): (number | null)[] {
  return values.slice(1).map((v, i) => {
    const before = values[i];
    return v === null || before === null || before === undefined ? null : v - before;
  });
}

/**
 * @param northStar weekly values, oldest first (null where missing)
 * @param revenue weekly values of the same weeks
 */
export function lagCorrelations(northStar: readonly (number | null)[], revenue: readonly (number | null)[], maxLag: number): LagAnalysis {
  const dn = weeklyChanges(northStar);
  const dr = weeklyChanges(revenue);
  const changes = dn.filter((v, t) => v !== null && dr[t] !== null && dr[t] !== undefined).length;
  const lags: LagCorrelation[] = [];
  for (let lag = 0; lag <= maxLag; lag++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let t = 0; t + lag < dn.length; t++) {
      const a = dn[t];
      const b = dr[t + lag];
      if (a === null || a === undefined || b === null || b === undefined) continue;
      x.push(a);
      y.push(b);
    }
    const r = x.length >= 3 ? pearsonCorrelation(x, y) : null;
    const ci = r === null ? null : fisherZInterval(r, x.length);
    lags.push({ lag, n: x.length, r, ci_low: ci?.low ?? null, ci_high: ci?.high ?? null });
  }
  if (changes < MIN_CHANGES) return { changes, lags, best_lag: null, verdict: 'insufficient_history' };
  let best: LagCorrelation | null = null;
  for (const l of lags) {
    if (l.r === null || l.ci_low === null || !(l.ci_low > 0)) continue;
    if (best === null || l.r > best.r!) best = l;
  }
  if (best === null) return { changes, lags, best_lag: null, verdict: 'not_predictive' };
  return { changes, lags, best_lag: best.lag, verdict: best.lag === 0 ? 'coincident' : 'leading' };
}
