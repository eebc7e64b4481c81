/**
 * The weekly values the North Star check reads from the results store (earlier nights'
 * `metrics.jsonl`, as the drop baselines do): nights D−7·(HISTORY_WEEKS−1) … D−7, plus tonight's
 * values, which are not in the store yet.
 */

import { unusableNightWarning } from '../baseline/history';
import { mapLimit } from '../concurrency';
import { addDays } from '../dates';
import { readEarlierNight } from '../results/earlier-night';
import type { MetricRow, RunWarning } from '../results/rows';
import type { ResultStore } from '../results/store';
import { HISTORY_WEEKS } from './limits';

/** Parallel reads; bounded so an S3 store is not hit with 52 requests at once. */
const READ_CONCURRENCY = 16;

export interface WeeklySeries {
  /** The weeks' nights, oldest first, ending on D. */
  readonly days: string[];
  /** metric id -> the value on each of `days` (null where the night or the value is missing). */
  readonly values: ReadonlyMap<string, (number | null)[]>;
}

/** The nights of the check for night `dt`, oldest first: D−7·(HISTORY_WEEKS−1), …, D−7, D. */
export function weeklyDays(dt: string): string[] {
  return Array.from({ length: HISTORY_WEEKS }, (_, i) => addDays(dt, -7 * (HISTORY_WEEKS - 1 - i)));
}

/** What {@link readEarlierWeeks} read: each week's rows and a warning per week that could not be used. */
export interface EarlierWeeks {
  /** Oldest first; null for a night that never ran or whose `metrics.jsonl` is unusable. */
  readonly rows: (readonly MetricRow[] | null)[];
  readonly warnings: RunWarning[];
}

/**
 * The earlier weeks' metric rows, oldest first. Independent of tonight's queries, so a night starts
 * reading them while its queries run. Each night is checked as the baselines check it: a damaged or
 * cut-short `metrics.jsonl` leaves that week out with a warning instead of failing every later night.
 */
export async function readEarlierWeeks(store: ResultStore, dt: string): Promise<EarlierWeeks> {
  const nights = await mapLimit(weeklyDays(dt).slice(0, -1), READ_CONCURRENCY, (day) => readEarlierNight(store, day));
  const warnings = nights.flatMap((night) => unusableNightWarning(night, 'the North Star check') ?? []);
  return { rows: nights.map((night) => night.rows), warnings };
}

/** The series of `metricIds` from the earlier weeks' rows (`readEarlierWeeks`) and tonight's values. */
export function weeklySeries(
  dt: string,
  earlier: readonly (readonly MetricRow[] | null)[],
  metricIds: readonly string[],
  tonight: ReadonlyMap<string, number | null>,
): WeeklySeries {
  const values = new Map<string, (number | null)[]>();
  for (const id of metricIds) {
    const series = earlier.map((rows) => {
      const value = rows?.find((r) => r.metric_id === id)?.value;
      return typeof value === 'number' ? value : null;
    });
    series.push(tonight.get(id) ?? null);
    values.set(id, series);
  }
  return { days: weeklyDays(dt), values };
}
