/**
 * The nightly job for one night D (docs/design.md §1): run the night's queries, turn their few rows
 * into metric values, judge them against history, write the night's files, send its alerts
 * once, and finally move `latest.json`. Engine, store and notifier are ports, so this same code
 * runs in `nsm run` (DuckDB, a folder, the console) and in the Lambda (Athena, S3, SNS).
 */
import { deliverNightAlerts } from '../alerts/deliver-night';
import { buildDigest, digestPeriod, nightBefore } from '../alerts/digest';
import { evaluateNight } from '../alerts/evaluate-night';
import { baselineNights } from '../baseline/clean-nights';
import { type NightHistory, readHistory } from '../baseline/history';
import { cohortWindow } from '../candidates/cohort';
import { evaluateCandidates } from '../candidates/evaluate';
import { parseCandidateCounts } from '../candidates/parse-counts';
import { candidatesSection } from '../candidates/section';
import { mapLimit, QUERY_CONCURRENCY } from '../concurrency';
import type { NsmConfig } from '../config/types';
import { costUsd, totalBytes, totalCostUsd } from '../cost';
import type { Query, QueryResult, QueryStats } from '../engine';
import { ConfigError, NsmError } from '../errors';
import type { LeaseToken } from '../lease/run-lease';
import { metricValues } from '../metrics/metric-values';
import { northStarCheckSection } from '../north-star-check/section';
import { readEarlierWeeks, weeklySeries } from '../north-star-check/weekly-values';
import { renderReportHtml } from '../report/render-report';
import { toJsonLines } from '../results/json-lines';
import { candidatesKey, LATEST_KEY, metricsKey, reportHtmlKey, reportJsonKey, runKey, segmentsKey, sweepKey } from '../results/layout';
import { readJsonLines } from '../results/read-json';
import type { CandidatesSection, NightReport } from '../results/report';
import type { AlertRow, CandidateRow, RunRecord, RunWarning } from '../results/rows';
import { CONTENT_TYPE } from '../results/store';
import type { SegmentValues } from '../segments/segment-values';
import { segmentValuesFromRows, splitMetricsRows } from '../segments/segment-values';
import { segmentedMetrics, segmentPlan } from '../segments/segmented-metrics';
import { CANDIDATES_QUERY } from '../sql/candidates-query';
import { DAY_EVENTS_COLUMN, MALFORMED_ROWS_COLUMN, METRICS_QUERY } from '../sql/metrics-query';
import type { SegmentPlan } from '../sql/segmented-metrics-query';
import { SWEEP_QUERY } from '../sql/sweep-query';
import { planLimits, prepareNightState } from '../state/night-state';
import { evaluateSweep } from '../sweep/evaluate';
import { parseSweepCounts } from '../sweep/parse-counts';
import { sweepSection } from '../sweep/section';
import { type PipelineDeps, stateDepsOf } from './deps';
import { inspectLake, type LakeInspection } from './inspect-lake';
import { type LakePartitionState, lakePartitionState } from './lake-partition';
import { planLatest } from './latest-pointer';
import { writeNightsIndex } from './nights-index';
import { planNight, planNightFromState } from './plan-night';
import { readReportHistory } from './report-history';

export interface NightOptions {
  /** Send this night's alerts (a range sends only for its newest night unless `--alert-all`). */
  readonly sendAlerts: boolean;
  /** Identifies the invocation in run.json and logs. */
  readonly runId: string;
  /** The run lease this night runs under (`runNights` holds it); alert claims name it. */
  readonly lease: LeaseToken;
  /**
   * Aborted at the night's deadline (the Lambda's remaining time minus a margin): running queries
   * are stopped and the night fails, recording run.json, before Lambda's own timeout.
   */
  readonly signal?: AbortSignal;
  /** The night is re-judged by a later night's run because its data landed late (`late-nights.ts`). */
  readonly late?: boolean;
  /** What the run's late-data re-check did before this night (the run's first night only): run.json records it. */
  readonly recheck?: {
    readonly rejudged: readonly string[];
    readonly queries: readonly QueryStats[];
    readonly warnings: readonly RunWarning[];
  };
  /**
   * The lake against the config (`inspectLake`): `'inspect'` checks it first — a missing column
   * fails the night before anything is built or written (no run.json either); a `LakeInspection` is
   * a check already made (runNights checks the first night before it takes the lease). Either
   * way its unseen event names become the night's warnings (console, run.json, report) and its
   * queries are the night's.
   */
  readonly lake?: 'inspect' | LakeInspection;
}

export interface NightOutcome {
  readonly dt: string;
  readonly report: NightReport;
  readonly run: RunRecord;
  /** Alerts delivered by this run (not those an earlier run of the night already sent). */
  /** The alerts this run sent for the night (the digest not among them). */
  readonly alertsSent: AlertRow[];
  /** Whether this run sent the digest of the period the night closes. */
  readonly digestSent?: boolean;
}

/** Runs night `dt` end to end. On failure, records run.json with status `failed`, then rethrows. */
export async function runNight(config: NsmConfig, dt: string, deps: PipelineDeps, options: NightOptions): Promise<NightOutcome> {
  const { now } = deps;
  const startedAt = now();
  const queries: QueryStats[] = [];
  // Earlier nights from the store (the baseline's same weekdays, the report's 90 days) do not
  // depend on tonight's queries: read them while the queries run. On S3 that is ~100 GETs.
  const historyRead = settleLater(
    readHistory(deps.store, dt, config.alerts.baseline_weeks, {
      segments: config.segments !== undefined,
      metricIds: config.metrics.map((m) => m.id),
    }),
  );
  const reportHistoryRead = settleLater(readReportHistory(deps.store, dt));
  // What the night noticed and handled without failing: run.json, the report and the log say it.
  const warnings = new NightWarnings(deps.warn);
  let historyUnusable: string[] = [];
  // The re-check's count queries ran for this run before the night: its run.json accounts for them.
  queries.push(...(options.recheck?.queries ?? []));
  warnings.add(...(options.recheck?.warnings ?? []));
  const check = config.north_star_check;
  const earlierWeeksRead = check ? settleLater(readEarlierWeeks(deps.store, dt)) : null;
  try {
    if (options.lake) {
      const lake =
        options.lake === 'inspect'
          ? await inspectLake(config, dt, deps.engine, { eventNames: options.sendAlerts, signal: options.signal })
          : options.lake;
      queries.push(...lake.stats);
      warnings.add(...lake.warnings);
    }
    // Segments keep the values of earlier nights named (a value that vanishes is reported at 0), so
    // with segments the query waits for the baseline nights' few files.
    const segments = config.segments ? segmentPlan(config, segmentBaselineNights(config, await historyRead)) : undefined;
    const runOptions = options.signal ? { signal: options.signal } : {};
    const plan = await planWithState(config, dt, deps, queries, segments, options.signal, warnings);
    // The night's queries are independent: run them side by side, a few at a time.
    const results = await mapLimit(plan, QUERY_CONCURRENCY, (q) => deps.engine.run(q, runOptions));
    queries.push(...results.map((r) => r.stats));
    // Results by query name, not position: the plan's order is the planner's business.
    const byName = (name: string): QueryResult | undefined => results[plan.findIndex((q) => q.name === name)];
    const metricsResult = byName(METRICS_QUERY);
    if (!metricsResult) throw new NsmError(`night ${dt}: the plan has no ${METRICS_QUERY} query`);
    const { whole: row, segmentRows } = splitMetricsRows(metricsResult.rows);
    const values = metricValues(config.metrics, row);
    const dayEvents = Number(row[DAY_EVENTS_COLUMN] ?? 0);
    const partition = await lakePartitionState(deps.engine, dt, dayEvents, (w) => warnings.add(w));
    const segmentValues = config.segments
      ? segmentValuesFromRows(segmentRows, segmentedMetrics(config), config.segments.dimensions)
      : undefined;
    const malformedRows = Number(row[MALFORMED_ROWS_COLUMN] ?? 0);
    // Skipped by every metric, and said out loud: a loader that writes broken lines must be seen.
    if (malformedRows > 0) {
      warnings.add({
        code: 'malformed_rows',
        message: `${malformedRows} row${malformedRows === 1 ? '' : 's'} of the day's partition are not events (malformed JSON, or no event name): skipped by every metric, counted in run.json malformed_rows`,
        dt,
        key: null,
      });
    }

    // Drop detection (docs/design.md §2): judge against the same weekday of earlier nights in the store.
    const history = await historyRead;
    warnings.add(...history.warnings);
    historyUnusable = [...history.unusable];
    // The report's 90 nights, read while the queries ran, also hold every metric's open incident.
    const reportHistory = await reportHistoryRead;
    const night = evaluateNight({
      config,
      dt,
      values,
      dayEvents,
      partitionMissing: partition === 'missing',
      partitionEmpty: partition === 'empty',
      history,
      earlier: { rows: reportHistory.rows, unusable: reportHistory.unusable },
      segmentValues,
      reportUri: deps.store.uriFor(reportHtmlKey(dt)),
      consoleUrl: deps.store.consoleUrlFor?.(reportHtmlKey(dt)),
      late: options.late === true,
    });
    warnings.add(...night.warnings);
    const metrics = night.metrics;
    // Tonight's values end the weekly series (the store does not hold them yet).
    const earlierWeeks = earlierWeeksRead ? await earlierWeeksRead : null;
    if (earlierWeeks) warnings.add(...earlierWeeks.warnings);
    const northStarCheck =
      check && earlierWeeks
        ? northStarCheckSection(config.north_star, check, weeklySeries(dt, earlierWeeks.rows, [config.north_star, check.revenue], values))
        : null;
    await deps.store.put(metricsKey(dt), toJsonLines(metrics), CONTENT_TYPE.jsonl);
    if (config.segments) await deps.store.put(segmentsKey(dt), toJsonLines(night.segments), CONTENT_TYPE.jsonl);

    const candidates = candidateLifts(config, dt, byName(CANDIDATES_QUERY), byName(SWEEP_QUERY));
    if (candidates) await deps.store.put(candidatesKey(dt), toJsonLines(candidates.rows), CONTENT_TYPE.jsonl);
    if (candidates?.sweep) await deps.store.put(sweepKey(dt), toJsonLines(candidates.sweep.rows), CONTENT_TYPE.jsonl);

    // The digest goes out with the night that closes its period, when the night's alerts do.
    // Only from the newest night: not from a re-judged late night (its period's digest went out on
    // time, or is long past), nor from the re-run of an older one (a repair), whose period is over.
    const latest = await planLatest(deps.store, dt);
    const newest = latest.write?.dt === dt;
    const period = options.sendAlerts && options.late !== true && newest ? digestPeriod(config.alerts.digest, dt) : null;
    const digest =
      period &&
      buildDigest({
        config,
        period,
        metrics,
        earlier: reportHistory.rows,
        candidates: candidates?.rows ?? null,
        candidatesBefore: candidates ? await readCandidatesBefore(deps.store, nightBefore(period), (w) => warnings.add(w)) : null,
        reportUri: deps.store.uriFor(reportHtmlKey(dt)),
        consoleUrl: deps.store.consoleUrlFor?.(reportHtmlKey(dt)),
      });

    // Exactly once per (night, metric, kind); a backfilled night that does not send still gets its
    // alerts.jsonl refreshed from the sent markers. A failed send fails the night after that.
    const toSend = options.sendAlerts ? [...night.alerts, ...(digest ? [digest] : [])] : [];
    const delivery = await deliverNightAlerts(deps.store, deps.notifier, dt, toSend, {
      lease: options.lease,
      now: () => deps.now().getTime(),
    });
    warnings.add(
      ...delivery.reconciled.map((a) => deliveryWarning('alert_reconciled', a)),
      ...delivery.resent.map((a) => deliveryWarning('alert_resent', a)),
    );
    if (delivery.error !== undefined) throw delivery.error;
    // The digest is a summary, not an alert: alerts_sent and the progress line count alerts.
    const alertsSent = delivery.sent.filter((a) => a.kind !== 'digest');
    const digestSent = delivery.sent.some((a) => a.kind === 'digest');
    warnings.add(...reportHistory.warnings);
    if (latest.warning) warnings.add(latest.warning);
    const finishedAt = now();
    const run = runRecord(deps, {
      dt,
      runId: options.runId,
      lease: options.lease.lease,
      startedAt,
      finishedAt,
      queries,
      day: { events: dayEvents, partition, malformedRows },
      alertsSent: alertsSent.length,
      metricsRows: metrics.length,
      warnings: warnings.list,
      historyUnusable,
      rejudged: options.recheck?.rejudged ?? [],
      late: options.late === true,
      error: null,
    });
    const report: NightReport = {
      dt,
      generated_at: finishedAt.toISOString(),
      engine: deps.engine.name,
      north_star: config.north_star,
      results_location: deps.store.location,
      tree: Object.fromEntries(Object.entries(config.tree).map(([k, v]) => [k, [...v]])),
      relations: { ...config.relations },
      watch: [...config.alerts.watch],
      data: night.data,
      metrics,
      segments: config.segments ? night.segments : null,
      candidates,
      north_star_check: northStarCheck,
      // The report is what the digest links to; its alert cards are the alerts.
      alerts: delivery.recorded.filter((a) => a.kind !== 'digest'),
      run: { run_id: run.run_id, queries: run.queries, ms: run.ms, bytes_scanned: run.bytes_scanned, cost_usd: run.cost_usd },
      warnings: warnings.list,
    };
    await deps.store.put(reportJsonKey(dt), JSON.stringify(report, null, 2), CONTENT_TYPE.json);
    await deps.store.put(reportHtmlKey(dt), renderReportHtml(report, reportHistory.rows), CONTENT_TYPE.html);
    await deps.store.put(runKey(dt), JSON.stringify(run, null, 2), CONTENT_TYPE.json);
    // The index of nights follows latest.json: only a night that becomes the latest rewrites it.
    if (latest.write?.dt === dt) await writeNightsIndex(deps.store, report, reportHistory.rows);
    // Last of all (docs/design.md §3), and never back to an older night.
    if (latest.write) await deps.store.put(LATEST_KEY, `${JSON.stringify(latest.write)}\n`, CONTENT_TYPE.json);
    return { dt, report, run, alertsSent, digestSent };
  } catch (err) {
    // A config the lake does not fit: nothing of the night was written, and nothing is now.
    if (err instanceof ConfigError) throw err;
    const error = withStateHint(err instanceof Error ? err.message : String(err), deps.store.location);
    const failed = runRecord(deps, {
      dt,
      runId: options.runId,
      lease: options.lease.lease,
      startedAt,
      finishedAt: now(),
      queries,
      day: null,
      alertsSent: 0,
      metricsRows: null,
      warnings: warnings.list,
      historyUnusable,
      rejudged: options.recheck?.rejudged ?? [],
      late: options.late === true,
      error,
    });
    // Best effort: the original error matters more than a failure to record it.
    await deps.store.put(runKey(dt), JSON.stringify(failed, null, 2), CONTENT_TYPE.json).catch(() => undefined);
    // The way out belongs in what the user reads too, not only in run.json.
    if (err instanceof Error && error !== err.message) throw new NsmError(error, { cause: err });
    throw err;
  }
}

/**
 * `promise`, marked as handled: a night that fails before awaiting it must not also leave an
 * unhandled rejection behind. Awaiting the returned promise still throws its error.
 */
function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The night's queries: over the incremental state when the engine keeps one (brought up to date
 * first; its materializations are recorded in `stats`), else over the lake.
 */
async function planWithState(
  config: NsmConfig,
  dt: string,
  deps: PipelineDeps,
  stats: QueryStats[],
  segments: SegmentPlan | undefined,
  signal: AbortSignal | undefined,
  warnings: NightWarnings,
): Promise<Query[]> {
  const { engine } = deps;
  const stateDeps = stateDepsOf(deps, signal);
  if (!stateDeps) return planNight(config, engine.dialect, dt, segments);
  // Recorded as they finish, so a night stopped part way still lists what it built.
  const builtSoFar: QueryStats[] = [];
  try {
    const state = await prepareNightState(config, dt, stateDeps, planLimits(config, engine.firstLakeDay?.()), builtSoFar);
    // State pieces that did not match their manifests were rebuilt: run.json and the report say so.
    warnings.add(...state.repairs);
    return planNightFromState(config, engine.dialect, dt, state, segments);
  } finally {
    stats.push(...builtSoFar);
  }
}

/** The night's warnings, each said once (as it comes, through `warn`) and kept for run.json and the report. */
class NightWarnings {
  readonly list: RunWarning[] = [];
  constructor(private readonly warn: (line: string) => void) {}
  add(...warnings: RunWarning[]): void {
    for (const w of warnings) {
      // The baselines and the charts read some of the same nights: one warning per file and reason.
      if (this.list.some((seen) => seen.code === w.code && seen.key === w.key && seen.dt === w.dt)) continue;
      this.list.push(w);
      this.warn(w.dt ? `${w.dt}  ${w.message}` : w.message);
    }
  }
}

function deliveryWarning(code: 'alert_reconciled' | 'alert_resent', a: AlertRow): RunWarning {
  const which = `the ${a.kind} alert${a.metric_id ? ` for ${a.metric_id}` : ''} of ${a.dt}`;
  const message =
    code === 'alert_reconciled'
      ? `${which} was delivered by a run that was stopped before recording it: recorded as sent, not sent again`
      : `${which} may have been delivered by a run that was stopped before recording it, and the notifier keeps no record: sent again, so it may arrive twice`;
  return { code, message, dt: a.dt, key: null };
}

/**
 * An error about a state file gets the way out appended: the state is a cache. (A piece whose
 * manifest matches is read as is; a file damaged before its manifest was written is the one case
 * verification cannot catch.)
 */
function withStateHint(message: string, location: string): string {
  if (!/[\\/]state[\\/](daily|entries)[\\/]/.test(message)) return message;
  return `${message} (the incremental state is a cache: delete that day's folder under ${location}/state/ and its manifest under state/manifests/, or all of state/, and run the night again)`;
}

/**
 * The candidate rows of `night` for the digest's "verdicts that changed"; null when it has none. A
 * damaged file is a warning and leaves the section out, never a failed night.
 */
async function readCandidatesBefore(
  store: PipelineDeps['store'],
  night: string,
  warn: (w: RunWarning) => void,
): Promise<CandidateRow[] | null> {
  try {
    return await readJsonLines<CandidateRow>(store, candidatesKey(night));
  } catch (err) {
    const key = candidatesKey(night);
    warn({
      code: 'history_unusable',
      message: `${key} cannot be read (${(err as Error).message}): the digest leaves out the verdicts that changed (repair it: nsm run --date ${night})`,
      dt: night,
      key,
    });
    return null;
  }
}

/**
 * The night's candidate lifts (docs/design.md §2) from the candidates query's sufficient statistics,
 * with the threshold sweep (docs/candidates.md) from the sweep query's when the config has one.
 */
function candidateLifts(
  config: NsmConfig,
  dt: string,
  result: QueryResult | undefined,
  sweepResult: QueryResult | undefined,
): CandidatesSection | null {
  const candidates = config.candidates;
  if (!candidates || !result) return null;
  const counts = parseCandidateCounts(result.rows, candidates);
  const cohort = cohortWindow(dt, candidates);
  const rows = evaluateCandidates(counts, candidates, dt, cohort);
  let sweep = null;
  if (candidates.sweep) {
    if (!sweepResult) throw new NsmError(`night ${dt}: the plan has no ${SWEEP_QUERY} query`);
    sweep = sweepSection(candidates.sweep, evaluateSweep(parseSweepCounts(sweepResult.rows, candidates), candidates, dt));
  }
  return candidatesSection(candidates, cohort, counts[0]?.cohort_size ?? 0, rows, sweep);
}

/** What `run.json` is made of. */
interface RunFacts {
  readonly dt: string;
  readonly runId: string;
  readonly lease: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly queries: readonly QueryStats[];
  /** D's event count, partition and rows that are not events; null when the night failed before counting. */
  readonly day: { readonly events: number; readonly partition: LakePartitionState; readonly malformedRows: number } | null;
  readonly alertsSent: number;
  /** Null when the night failed before writing metrics.jsonl. */
  readonly metricsRows: number | null;
  readonly warnings: readonly RunWarning[];
  readonly historyUnusable: readonly string[];
  readonly rejudged: readonly string[];
  readonly late: boolean;
  /** Null for a night that succeeded. */
  readonly error: string | null;
}

function runRecord(deps: PipelineDeps, facts: RunFacts): RunRecord {
  const { dt, startedAt, finishedAt, queries, day, alertsSent, error } = facts;
  const scanned = queries.map((q) => q.bytes_scanned);
  return {
    dt,
    run_id: facts.runId,
    status: error ? 'failed' : 'succeeded',
    engine: deps.engine.name,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    ms: finishedAt.getTime() - startedAt.getTime(),
    day_events: day?.events ?? null,
    partition_missing: day === null ? null : day.partition === 'missing',
    partition_empty: day === null ? null : day.partition === 'empty',
    malformed_rows: day?.malformedRows ?? null,
    queries: queries.map((q) => ({ ...q, cost_usd: costUsd(q.bytes_scanned) })),
    bytes_scanned: totalBytes(scanned),
    cost_usd: totalCostUsd(scanned),
    alerts_sent: alertsSent,
    metrics_rows: facts.metricsRows,
    lease: facts.lease,
    warnings: [...facts.warnings],
    history_unusable: [...facts.historyUnusable],
    rejudged: [...facts.rejudged],
    late: facts.late,
    error,
  };
}
/**
 * The segments of the earlier nights some segmented metric's clean baseline uses (oldest nights
 * of the look-back included only when a baseline reaches them): the values the segment query keeps
 * named, so that a value on a baseline night that vanishes tonight is reported at 0.
 */
function segmentBaselineNights(config: NsmConfig, history: NightHistory): (SegmentValues | null)[] {
  const used = new Set(segmentedMetrics(config).flatMap((m) => baselineNights(history, m.id, config.alerts.baseline_weeks)));
  return history.nights.filter((n) => used.has(n)).map((n) => n.segments ?? null);
}
