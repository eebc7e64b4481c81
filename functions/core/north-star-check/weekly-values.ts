/**
 * The weekly values the North Star check reads from the results store (earlier nights'
 * `metrics.jsonl`, as the drop baselines do): nights D−7·(HISTORY_WEEKS−1) … D−7, plus tonight's
 * values, which are not in the store yet.
 */
import { mapLimit } from '../concurrency';
import { addDays } from '../dates';
import { metricsKey } from '../results/layout';
import { readJsonLines } from '../results/read-json';
import type { MetricRow } from '../results/rows';
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

/**
 * The earlier weeks' metric rows, oldest first (null for a night that never ran). Independent of
 * tonight's queries, so a night starts reading them while its queries run.
 * @throws StoreError naming the file when one is not valid JSON
 */
export async function readEarlierWeeks(store: ResultStore, dt: string): Promise<(MetricRow[] | null)[]> {
  return mapLimit(weeklyDays(dt).slice(0, -1), READ_CONCURRENCY, (day) => readJsonLines<MetricRow>(store, metricsKey(day)));
}

/** The series of `metricIds` from the earlier weeks' rows (`readEarlierWeeks`) and tonight's values. */
export function weeklySeries(
  dt: string,
  earlier: readonly (MetricRow[] | null)[],
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
