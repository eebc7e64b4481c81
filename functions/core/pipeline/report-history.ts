/**
 * The earlier nights the HTML report draws: `metrics.jsonl` of D-90 … D-1, read once each, in
 * parallel. The same rows decide each metric's open incident (core/alerts/incidents.ts), so
 * incidents cost no read of their own.
 */
import { unusableNightWarning } from '../baseline/history';
import { mapLimit } from '../concurrency';
import { dayRange } from '../dates';
import { reportHistoryRange } from '../report/history';
import { readEarlierNight } from '../results/earlier-night';
import type { MetricRow, RunWarning } from '../results/rows';
import type { ResultStore } from '../results/store';

/** Parallel reads; bounded so an S3 store is not hit with 90 requests at once. */
const READ_CONCURRENCY = 16;

/**
 * Every metric row of the nights before `dt` that the report's charts cover. Missing nights are
 * skipped; damaged ones too, with a warning each (`readEarlierNight`), so one bad file costs a
 * point on a chart, not the night's report.
 */
export async function readReportHistory(store: ResultStore, dt: string): Promise<ReportHistory> {
  const { from, to } = reportHistoryRange(dt);
  const nights = await mapLimit(dayRange(from, to), READ_CONCURRENCY, (night) => readEarlierNight(store, night));
  const warnings = nights.map((n) => unusableNightWarning(n, "the report's charts")).filter((w): w is RunWarning => w !== undefined);
  const unusable = nights.filter((n) => n.rows === null && n.problem !== undefined).map((n) => n.dt);
  return { rows: nights.flatMap((n) => n.rows ?? []), warnings, unusable };
}

/** The earlier nights' metric rows, what was wrong with some, and which nights could not be used. */
export interface ReportHistory {
  rows: MetricRow[];
  warnings: RunWarning[];
  /** Nights whose `metrics.jsonl` is damaged or cut short, oldest first. */
  unusable: string[];
}
