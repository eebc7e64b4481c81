/**
 * Clean baselines (docs/alerts.md "The baseline"): which earlier nights a metric's baseline is
 * made of. A night on which the metric dropped, or whose data was incomplete, says nothing about
 * the metric's normal level; if it counted, a drop lasting `baseline_weeks` weeks would become the
 * new normal and the alerts would stop while the metric is still down.
 */
import type { MetricStatus } from '../results/rows';
import type { HistoryNight, NightHistory } from './history';

/** How many times `baseline_weeks` weeks a baseline looks back for clean nights at most. */
export const BASELINE_LOOKBACK_FACTOR = 2;

/** Statuses that keep a night out of the metric's later baselines. */
const UNCLEAN: ReadonlySet<MetricStatus> = new Set<MetricStatus>(['drop', 'data_incomplete']);

/**
 * The nights metric `metricId`'s baseline uses: going back from `D-7` over at most
 * `2 × baselineWeeks` same-weekday nights, newest first, the first `baselineWeeks` whose value is a
 * finite number and whose recorded status for this metric was neither `drop` nor
 * `data_incomplete`. Nights that never ran and null values (a ratio over 0) are skipped, as they
 * always were. Fewer than `baselineWeeks` nights come back when the look-back holds too few clean
 * ones; `judgeMetric` then says `insufficient_history`. A night without recorded statuses (written
 * before statuses existed, or built by hand) is clean.
 *
 * Statuses are per metric: a night on which another metric dropped is clean for this one.
 */
export function baselineNights(history: Pick<NightHistory, 'nights'>, metricId: string, baselineWeeks: number): HistoryNight[] {
  const picked: HistoryNight[] = [];
  for (const night of history.nights.slice(0, BASELINE_LOOKBACK_FACTOR * baselineWeeks)) {
    if (picked.length === baselineWeeks) break;
    const value = night.metrics?.get(metricId);
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const status = night.statuses?.get(metricId);
    if (status !== undefined && UNCLEAN.has(status)) continue;
    picked.push(night);
  }
  return picked;
}

/** The values of {@link baselineNights}, newest first: what `baselineFor` takes. */
export function baselineValues(history: Pick<NightHistory, 'nights'>, metricId: string, baselineWeeks: number): number[] {
  return baselineNights(history, metricId, baselineWeeks).map((n) => n.metrics!.get(metricId) as number);
}
