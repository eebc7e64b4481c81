/** A range of nights, oldest first, one progress line each (docs/design.md §4), under the run lease. */
import type { NsmConfig } from '../config/types';
import { ConfigError, DeadlineError } from '../errors';
import type { PipelineDeps } from './deps';
import { inspectLake, type LakeInspection } from './inspect-lake';
import { rejudgeLateNights } from './late-nights';
import { type NightOutcome, runNight } from './run-night';
import { newRunId, underRunLease } from './under-run-lease';

export interface RunNightsOptions {
  /** Send alerts for every night of the range, not only the newest. */
  readonly alertAll?: boolean;
  /**
   * Send no alerts at all: a night of a Step Functions backfill that is not the backfill's newest
   * (each night is its own invocation there, so "the newest of this range" is every one of them).
   */
  readonly noAlerts?: boolean;
  /** Identifies this invocation in run.json; default: a timestamp-based id. */
  readonly runId?: string;
  /**
   * Called before each night starts (e.g. to tag the log lines that follow with the night).
   * An exception here stops the range before the night runs.
   */
  readonly beforeNight?: (dt: string) => void;
  /**
   * Called after each night that succeeded, in order, before the next one starts. Replaces the
   * default, `deps.log(progressLine(outcome))`, so a caller with structured logs (the Lambda)
   * reports the night once, in its own shape, instead of twice.
   */
  readonly afterNight?: (outcome: NightOutcome) => void;
  /** Aborted at the invocation's deadline: the running night is stopped, and no later night starts. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `days` (any order given; run oldest first, duplicates once). Stops at the first failed
 * night (runNight's error propagates). Alerts go out for the newest night only, unless
 * `alertAll` (every night) or `noAlerts` (none): a backfill must not page anyone about nights that
 * are long past.
 *
 * The whole range runs under the results location's run lease (under-run-lease.ts): every write
 * of the nights goes through a store fenced by it. The first night's lake
 * check comes before the lease (see below).
 *
 * @throws ConfigError when the lake lacks a configured column (nothing was written)
 * @throws LeaseHeldError when another run keeps the lease beyond the wait (nothing was written)
 */
export async function runNights(
  config: NsmConfig,
  days: readonly string[],
  deps: PipelineDeps,
  options: RunNightsOptions = {},
): Promise<NightOutcome[]> {
  const ordered = [...new Set(days)].sort();
  const newest = ordered[ordered.length - 1];
  const runId = options.runId ?? newRunId(deps.now());
  const afterNight = options.afterNight ?? ((outcome: NightOutcome) => deps.log(progressLine(outcome)));
  const signal = options.signal ? { signal: options.signal } : {};
  // The night whose log lines are tagged (beforeNight): each night once, in the order they run.
  let entered: string | undefined;
  const enter = (dt: string) => {
    if (dt !== entered) options.beforeNight?.(dt);
    entered = dt;
  };
  // The first night begins here, with the lake against the config (inspect-lake.ts) before the
  // lease: a config the lake does not fit (a missing column, a ConfigError) stops the range with
  // nothing written, not even the lease. Any other failure (a query) is the night's to record: it
  // checks again in its turn and writes its failed run.json. The newest night is checked again,
  // in its turn, for its report's warnings.
  let firstCheck: LakeInspection | 'inspect' | undefined;
  if (ordered.length > 0) {
    enter(ordered[0]!);
    // A Step Functions backfill step (noAlerts) checks the columns only: see InspectOptions.
    firstCheck = await inspectLake(config, ordered[0]!, deps.engine, {
      eventNames: options.noAlerts !== true,
      signal: options.signal,
    }).catch((err: unknown) => {
      if (err instanceof ConfigError) throw err;
      return 'inspect' as const;
    });
  }
  return underRunLease(deps, runId, async (leased, lease) => {
    // Earlier data_incomplete nights whose data has landed since are judged again first, so that
    // tonight's baselines and incidents see them; their alerts go out now, marked late. Not in a
    // Step Functions backfill (noAlerts): it judges its nights on the data as it is.
    const late =
      options.noAlerts === true
        ? undefined
        : await rejudgeLateNights(config, ordered, leased, { runId, lease, sendAlerts: true, ...signal }, async (c, dt, d, o) => {
            if (options.signal?.aborted) throw new DeadlineError(`night ${dt}`);
            enter(dt);
            const outcome = await runNight(c, dt, d, o);
            afterNight(outcome);
            return outcome;
          });
    const recheck = late && { rejudged: late.rejudged.map((o) => o.dt), queries: late.queries, warnings: late.warnings };
    const outcomes: NightOutcome[] = [];
    for (const dt of ordered) {
      if (options.signal?.aborted) throw new DeadlineError(`night ${dt}`);
      enter(dt);
      const outcome = await runNight(config, dt, leased, {
        runId,
        lease,
        sendAlerts: options.noAlerts !== true && (options.alertAll === true || dt === newest),
        ...signal,
        ...(recheck && dt === ordered[0] ? { recheck } : {}),
        lake: dt === ordered[0] ? firstCheck : dt === newest ? 'inspect' : undefined,
      });
      outcomes.push(outcome);
      afterNight(outcome);
    }
    return outcomes;
  });
}

/** `2024-05-01  nsm posting_teams_weekly=1,234  3 queries 412 ms  2 alerts`. */
export function progressLine(o: NightOutcome): string {
  const ns = o.report.metrics.find((m) => m.is_north_star);
  const value = ns?.value === null || ns?.value === undefined ? 'n/a' : formatCount(ns.value);
  const flags = [
    o.run.late ? 're-judged (data landed late)' : null,
    o.report.data.partition_missing ? 'partition missing' : o.report.data.partition_empty ? 'partition empty' : null,
    o.alertsSent.length ? `${o.alertsSent.length} alert${o.alertsSent.length === 1 ? '' : 's'} sent` : null,
    o.digestSent ? 'digest sent' : null,
  ].filter(Boolean);
  return `${o.dt}  ${ns?.metric_id ?? 'nsm'}=${value}  ${o.run.queries.length} queries ${o.run.ms} ms${flags.length ? `  ${flags.join(', ')}` : ''}`;
}

function formatCount(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
