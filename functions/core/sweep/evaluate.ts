/**
 * Turns the sweep query's counts into the rows of `sweep.jsonl` (docs/candidates.md "Threshold
 * sweep"): per cell the table statistics, phi, ppv, npv, sensitivity, specificity, Welch's test,
 * then q-values by Benjamini–Hochberg over every cell of every action — the whole family that was
 * searched — and each action's best cell. Pure: counts in, rows out.
 */
import { tableStatistics } from '../candidates/table-statistics';
import type { CandidatesConfig } from '../config/types';
import type { SweepRow } from '../results/rows';
import { benjaminiHochberg } from '../stats/benjamini-hochberg';
import { classificationRates } from '../stats/classification-rates';
import { markBest } from './best';
import type { SweepCounts } from './parse-counts';

/**
 * One row per cell, in cell order.
 *
 * The family size of the q-values is the number of cells, tested or not: a cell without a Welch
 * p-value (fewer than 2 users on a side, or no variance) gets `q_value: null` but still counts in m,
 * since it was part of the search (as if its p were 1; see `benjaminiHochberg`).
 */
export function evaluateSweep(counts: readonly SweepCounts[], config: Pick<CandidatesConfig, 'max_p'>, dt: string): SweepRow[] {
  const measured = counts.map((c) => ({ c, stats: tableStatistics(c), rates: classificationRates(c) }));
  const withP = measured.flatMap((m, i) => (m.stats.p_welch === null ? [] : [{ i, p: m.stats.p_welch }]));
  const qs = benjaminiHochberg(
    withP.map((x) => x.p),
    counts.length,
  );
  const qByIndex = new Map(withP.map((x, k) => [x.i, qs[k]!]));
  const rows = measured.map(
    ({ c, stats, rates }, i): SweepRow => ({
      dt,
      candidate_id: c.cell.candidate_id,
      event: c.cell.event,
      min_count: c.cell.min_count,
      within_days: c.cell.within_days,
      n_hit: c.n_hit,
      n_miss: c.n_miss,
      retained_hit: c.retained_hit,
      retained_miss: c.retained_miss,
      rate_hit: stats.rate_hit,
      rate_miss: stats.rate_miss,
      share: stats.share,
      lift: stats.lift,
      lift_ci_low: stats.lift_ci_low,
      lift_ci_high: stats.lift_ci_high,
      phi: stats.phi,
      ppv: rates.ppv,
      npv: rates.npv,
      sensitivity: rates.sensitivity,
      specificity: rates.specificity,
      t_welch: stats.t_welch,
      df_welch: stats.df_welch,
      p_welch: stats.p_welch,
      q_value: qByIndex.get(i) ?? null,
      best: false,
    }),
  );
  return markBest(rows, config.max_p);
}
