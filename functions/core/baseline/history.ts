/**
 * What the baselines of one night need from earlier nights, read back from the results store
 * (docs/design.md §2: history comes from `metrics.jsonl`, not from re-querying the lake).
 */
import { metricsKey, runKey, segmentsKey } from '../results/layout';
import { readJson, readJsonLines } from '../results/read-json';
import type { MetricRow, RunRecord, SegmentRow } from '../results/rows';
import type { ResultStore } from '../results/store';
import { type SegmentValues, segmentValuesFromJsonl } from '../segments/segment-values';
import { sameWeekdayDays } from './same-weekday';

/** One earlier night as the store recorded it. */
export interface HistoryNight {
  readonly dt: string;
  /** metric_id -> value from that night's `metrics.jsonl`; null when the night has no metrics file. */
  readonly metrics: ReadonlyMap<string, number | null> | null;
  /** `day_events` from that night's `run.json`; null when there is no run record. */
  readonly dayEvents: number | null;
  /** `partition_missing` from `run.json` (false when there is no run record). */
  readonly partitionMissing: boolean;
  /** `partition_empty` from `run.json` (false when there is no run record, or it predates the field). */
  readonly partitionEmpty: boolean;
  /** That night's `segments.jsonl`; null when it has none (or segments were not asked for). */
  readonly segments?: SegmentValues | null;
}

/** The earlier nights a night's baselines use: `D-7, D-14, …, D-7·baseline_weeks`, newest first. */
export interface NightHistory {
  /** The night being judged. */
  readonly dt: string;
  readonly nights: readonly HistoryNight[];
}

/** A night with no history at all (the first nights of a results store). */
export function emptyHistory(dt: string): NightHistory {
  return { dt, nights: [] };
}

type SegmentLine = Pick<SegmentRow, 'metric_id' | 'dimension' | 'segment' | 'value'>;

async function readNight(store: ResultStore, dt: string, segments: boolean): Promise<HistoryNight> {
  const [rows, run, segmentLines] = await Promise.all([
    readJsonLines<Pick<MetricRow, 'metric_id' | 'value'>>(store, metricsKey(dt)),
    readJson<Pick<RunRecord, 'day_events' | 'partition_missing' | 'partition_empty'>>(store, runKey(dt)),
    segments ? readJsonLines<SegmentLine>(store, segmentsKey(dt)) : Promise.resolve(null),
  ]);
  const metrics = rows === null ? null : new Map(rows.map((r) => [r.metric_id, typeof r.value === 'number' ? r.value : null] as const));
  return {
    dt,
    metrics,
    dayEvents: run !== null && typeof run.day_events === 'number' ? run.day_events : null,
    partitionMissing: run?.partition_missing === true,
    partitionEmpty: run?.partition_empty === true,
    segments: segmentLines === null ? null : segmentValuesFromJsonl(segmentLines),
  };
}

/**
 * Reads the history of night `dt`: for each of `D-7, D-14, …, D-7·baselineWeeks`, its
 * `metrics.jsonl` and `run.json` (and, with `segments`, its `segments.jsonl`), all in parallel and
 * each exactly once (the baselines of every metric come from these few reads). Missing files are
 * not errors: a night that never ran simply contributes nothing. A file that is not valid JSON is
 * a `StoreError` naming its key.
 */
export async function readHistory(
  store: ResultStore,
  dt: string,
  baselineWeeks: number,
  options: { segments?: boolean } = {},
): Promise<NightHistory> {
  const nights = await Promise.all(sameWeekdayDays(dt, baselineWeeks).map((d) => readNight(store, d, options.segments === true)));
  return { dt, nights };
}

/** A metric's earlier values, newest first (null where the night or the value is missing). */
export function metricHistory(history: NightHistory, metricId: string): (number | null)[] {
  return history.nights.map((n) => n.metrics?.get(metricId) ?? null);
}

/**
 * The earlier nights' event counts, newest first. A night whose partition was missing or empty
 * gives null, not 0: its zero records an absence, and counting it would lower the bar the
 * freshness guard sets.
 */
export function eventHistory(history: NightHistory): (number | null)[] {
  return history.nights.map((n) => (n.partitionMissing || n.partitionEmpty ? null : n.dayEvents));
}
