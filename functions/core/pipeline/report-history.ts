/** The earlier nights the HTML report draws: `metrics.jsonl` of D-90 … D-1, read once each, in parallel. */
import { mapLimit } from '../concurrency';
import { dayRange } from '../dates';
import { reportHistoryRange } from '../report/history';
import { metricsKey } from '../results/layout';
import { readJsonLines } from '../results/read-json';
import type { MetricRow } from '../results/rows';
import type { ResultStore } from '../results/store';

/** Parallel reads; bounded so an S3 store is not hit with 90 requests at once. */
const READ_CONCURRENCY = 16;

/**
 * Every metric row of the nights before `dt` that the report's charts cover (missing nights are
 * skipped). @throws StoreError naming the file when one is not valid JSON
 */
export async function readReportHistory(store: ResultStore, dt: string): Promise<MetricRow[]> {
  const { from, to } = reportHistoryRange(dt);
  const nights = await mapLimit(
    dayRange(from, to),
    READ_CONCURRENCY,
    async (night) => (await readJsonLines<MetricRow>(store, metricsKey(night))) ?? [],
  );
  return nights.flat();
}
