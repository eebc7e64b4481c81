/**
 * What the baselines of one night need from earlier nights, read back from the results store
 * (docs/design.md §2: history comes from `metrics.jsonl`, not from re-querying the lake), checked by
 * `readEarlierNight`: a damaged or cut-short night is left out — as if it had never run — and
 * said out loud, never an error that fails every later night and never a silent "no history".
 */
import { type EarlierNight, readEarlierNight } from '../results/earlier-night';
import { segmentsKey } from '../results/layout';
import { readJsonLines } from '../results/read-json';
import type { MetricStatus, RunWarning, SegmentRow } from '../results/rows';
import type { ResultStore } from '../results/store';
import { type SegmentValues, segmentValuesFromJsonl } from '../segments/segment-values';
import { BASELINE_LOOKBACK_FACTOR } from './clean-nights';
import { sameWeekdayDays } from './same-weekday';

/** One earlier night as the store recorded it. */
export interface HistoryNight {
  readonly dt: string;
  /** metric_id -> value from that night's `metrics.jsonl`; null when the night has no usable metrics file. */
  readonly metrics: ReadonlyMap<string, number | null> | null;
  /**
   * metric_id -> the status that night's `metrics.jsonl` recorded (`drop`, `data_incomplete`, …);
   * null when the night has no usable metrics file. A night without statuses counts as clean
   * (see `baselineNights`).
   */
  readonly statuses?: ReadonlyMap<string, MetricStatus> | null;
  /** `day_events` from that night's `run.json`; null when there is no usable run record. */
  readonly dayEvents: number | null;
  /** `partition_missing` from `run.json` (false when there is no run record). */
  readonly partitionMissing: boolean;
  /** `partition_empty` from `run.json` (false when there is no run record, or it predates the field). */
  readonly partitionEmpty: boolean;
  /** That night's `segments.jsonl`; null when it has none (or segments were not asked for). */
  readonly segments?: SegmentValues | null;
}

/**
 * The earlier nights a night's baselines may use: `D-7, D-14, …, D-7·2·baseline_weeks`, newest first
 * (the look-back of `baselineNights`, which picks the clean ones per metric).
 */
export interface NightHistory {
  /** The night being judged. */
  readonly dt: string;
  readonly nights: readonly HistoryNight[];
  /** What was wrong with the history (damaged files, missing metrics); empty when nothing was. */
  readonly warnings: readonly RunWarning[];
  /** The nights whose metrics could not be used, oldest first. */
  readonly unusable: readonly string[];
}

/** A night with no history at all (the first nights of a results store). */
export function emptyHistory(dt: string): NightHistory {
  return { dt, nights: [], warnings: [], unusable: [] };
}

/** The warning for an earlier night whose file cannot be used; `use` says what it is left out of. */
export function unusableNightWarning(night: EarlierNight, use: string): RunWarning | undefined {
  if (!night.problem) return undefined;
  const { key, reason } = night.problem;
  return {
    code: 'history_unusable',
    message: `${key} ${reason}: night ${night.dt} is left out of ${use} (repair it: nsm run --date ${night.dt})`,
    dt: night.dt,
    key,
  };
}

type SegmentLine = Pick<SegmentRow, 'metric_id' | 'dimension' | 'segment' | 'value'>;
type SegmentsRead = { values: SegmentValues | null; warning?: RunWarning };

/** A night's `segments.jsonl` for the segment baselines; a damaged one is left out with a warning. */
async function readSegments(store: ResultStore, dt: string): Promise<SegmentsRead> {
  try {
    const lines = await readJsonLines<SegmentLine>(store, segmentsKey(dt));
    return { values: lines === null ? null : segmentValuesFromJsonl(lines) };
  } catch (err) {
    const key = segmentsKey(dt);
    const message = `${key} cannot be read (${err instanceof Error ? err.message : String(err)}): night ${dt} is left out of the segment baselines (repair it: nsm run --date ${dt})`;
    return { values: null, warning: { code: 'history_unusable', message, dt, key } };
  }
}

const MAX_NAMED = 5;

/**
 * Reads the history of night `dt`: for each of `D-7, D-14, …, D-7·2·baselineWeeks` (the look-back of
 * clean baselines, docs/alerts.md), its `metrics.jsonl` and `run.json` (and, with `segments`, its
 * `segments.jsonl`), all in parallel and each exactly once (the baselines of every metric come from
 * these few reads). Missing files are
 * not errors: a night that never ran simply contributes nothing. A damaged night contributes
 * nothing either, with a warning; a night that lacks some of `metricIds` (a metric added since) is
 * used for the others, with a warning (only within the newest `baselineWeeks` nights: the older ones
 * are a fallback, and a metric added five weeks ago should not be reported for eight); a damaged `segments.jsonl` leaves only that night's segments out.
 */
export async function readHistory(
  store: ResultStore,
  dt: string,
  baselineWeeks: number,
  options: { segments?: boolean; metricIds?: readonly string[] } = {},
): Promise<NightHistory> {
  const days = sameWeekdayDays(dt, BASELINE_LOOKBACK_FACTOR * baselineWeeks);
  const [earlier, segmentNights] = await Promise.all([
    Promise.all(days.map((d) => readEarlierNight(store, d))),
    Promise.all(days.map((d) => (options.segments === true ? readSegments(store, d) : Promise.resolve<SegmentsRead>({ values: null })))),
  ]);
  const metricIds = options.metricIds ?? [];
  const warnings: RunWarning[] = [];
  const unusable: string[] = [];
  const nights = earlier.map((night, i): HistoryNight => {
    const warning = unusableNightWarning(night, "the baselines and the report's charts");
    if (warning) warnings.push(warning);
    const segments = segmentNights[i]!;
    if (segments.warning) warnings.push(segments.warning);
    if (night.rows === null && night.problem) unusable.push(night.dt);
    const metrics =
      night.rows === null ? null : new Map(night.rows.map((r) => [r.metric_id, typeof r.value === 'number' ? r.value : null] as const));
    const statuses = night.rows === null ? null : new Map(night.rows.map((r) => [r.metric_id, r.status] as const));
    if (metrics !== null && metrics.size > 0 && i < baselineWeeks) {
      const lacking = metricIds.filter((id) => !metrics.has(id));
      if (lacking.length > 0) {
        const named =
          lacking.slice(0, MAX_NAMED).join(', ') + (lacking.length > MAX_NAMED ? ` and ${lacking.length - MAX_NAMED} more` : '');
        warnings.push({
          code: 'history_incomplete',
          message: `night ${night.dt} has no value for ${named} (added to the config since?): their baselines leave that night out`,
          dt: night.dt,
          key: null,
        });
      }
    }
    return {
      dt: night.dt,
      metrics,
      statuses,
      dayEvents: night.run?.day_events ?? null,
      partitionMissing: night.run?.partition_missing === true,
      partitionEmpty: night.run?.partition_empty === true,
      segments: segments.values,
    };
  });
  return { dt, nights, warnings, unusable: unusable.sort() };
}

/**
 * The event counts of the `baselineWeeks` newest earlier nights (`D-7 … D-7·baselineWeeks`), newest
 * first: the freshness guard's history, which does not look further back. A night whose partition
 * was missing or empty gives null, not 0: its zero records an absence, and counting it would lower
 * the bar the freshness guard sets.
 */
export function eventHistory(history: NightHistory, baselineWeeks: number): (number | null)[] {
  return history.nights.slice(0, baselineWeeks).map((n) => (n.partitionMissing || n.partitionEmpty ? null : n.dayEvents));
}
