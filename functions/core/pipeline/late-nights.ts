/**
 * Late data re-judged (docs/alerts.md "Late data re-judged"). A night judged `data_incomplete` at
 * 06:00 may hide a real drop behind a late partition; nobody re-runs it by hand at 09:00. So each
 * of the next `alerts.freshness.recheck_nights` runs first counts that night's partition again and,
 * once it holds enough events, recomputes the night (its metrics, candidates, report), judges it
 * afresh and sends what it finds then — once, marked late.
 *
 * Why re-check before tonight's night rather than after: a re-judged night's statuses are tonight's
 * history, so tonight's baselines and incidents see the real night, not the hole.
 */
import { judgeFreshness } from '../baseline/freshness';
import { eventHistory, readHistory } from '../baseline/history';
import type { NsmConfig } from '../config/types';
import { addDays, dayRange } from '../dates';
import type { QueryStats } from '../engine';
import { readEarlierNight } from '../results/earlier-night';
import type { RunWarning } from '../results/rows';
import { buildDayEventsQuery } from '../sql/day-events-query';
import { DAY_EVENTS_COLUMN } from '../sql/metrics-query';
import { deleteSnapshotsAfter } from '../state/prune-snapshots';
import type { PipelineDeps } from './deps';
import type { NightOptions, NightOutcome } from './run-night';

/**
 * The earlier nights a run of `nights` (oldest first) re-checks: those within `recheckNights` before
 * its first night that are also within `recheckNights` before its newest. A one-night run re-checks
 * `N-k … N-1`; a range re-checks only what precedes it (its own nights were just judged on the data
 * as it is), and a backfill longer than `k` nights re-checks nothing: its newest night is tonight's
 * business, its oldest are long past.
 */
export function nightsToRecheck(nights: readonly string[], recheckNights: number): string[] {
  const first = nights[0];
  const newest = nights[nights.length - 1];
  if (first === undefined || newest === undefined || recheckNights <= 0) return [];
  const from = addDays(newest, -recheckNights);
  const to = addDays(first, -1);
  return from <= to ? dayRange(from, to) : [];
}

/** What re-checking the earlier nights did, for the run.json of the run's first night. */
export interface LateNightsResult {
  /** Nights recomputed because their data landed (oldest first), with their outcomes. */
  readonly rejudged: readonly NightOutcome[];
  /** The re-check counts that ran (`recheck <night>`), for run.json's queries. */
  readonly queries: readonly QueryStats[];
  /** Re-checks that could not be done (the night stays as judged; a later run tries again). */
  readonly warnings: readonly RunWarning[];
}

/** How a re-judged night is run: `runNight` itself, injected so this module does not import it in a cycle. */
export type RunNightFn = (config: NsmConfig, dt: string, deps: PipelineDeps, options: NightOptions) => Promise<NightOutcome>;

/**
 * Re-checks `nightsToRecheck(nights, …)`: for each earlier night whose `metrics.jsonl` says
 * `data_incomplete`, counts its partition now (one query over that partition); when the count is
 * above what the night saw and the freshness guard, judged with that night's own history, no longer
 * trips, the night is run again with `late: true` (its alerts then say so). A night that is still
 * incomplete is left alone: a later run tries again, until `recheck_nights` have passed.
 *
 * A re-check that fails (the count query, or the recomputed night) is a warning, never tonight's
 * failure: tonight's night and its alerts matter more than a late verdict on an earlier one.
 */
export async function rejudgeLateNights(
  config: NsmConfig,
  nights: readonly string[],
  deps: PipelineDeps,
  options: Omit<NightOptions, 'late'>,
  runNight: RunNightFn,
): Promise<LateNightsResult> {
  const { recheck_nights: recheckNights, min_ratio: minRatio } = config.alerts.freshness;
  const weeks = config.alerts.baseline_weeks;
  const rejudged: NightOutcome[] = [];
  const queries: QueryStats[] = [];
  const warnings: RunWarning[] = [];
  for (const dt of nightsToRecheck(nights, recheckNights)) {
    const earlier = await readEarlierNight(deps.store, dt);
    const wasIncomplete = earlier.rows !== null && earlier.rows.length > 0 && earlier.rows.every((r) => r.status === 'data_incomplete');
    if (!wasIncomplete) continue;
    try {
      const result = await deps.engine.run(buildDayEventsQuery(deps.engine.dialect, config.lake, dt));
      queries.push(result.stats);
      const events = Number(result.rows[0]?.[DAY_EVENTS_COLUMN] ?? 0);
      const before = earlier.run?.day_events ?? 0;
      // Nothing new landed: the verdict cannot change (and the history need not be read).
      if (!(events > before)) continue;
      // Only the event counts are used: the freshness guard's history, not the metrics' baselines.
      const history = await readHistory(deps.store, dt, weeks);
      const data = judgeFreshness({
        dayEvents: events,
        partitionMissing: false,
        partitionEmpty: false,
        earlierDayEvents: eventHistory(history, weeks),
        minRatio,
        baselineWeeks: weeks,
      });
      if (data.status === 'incomplete') {
        deps.log(`${dt}  still incomplete: ${events} events now (${before} when judged), re-checked again by later nights`);
        continue;
      }
      deps.log(`${dt}  data landed late: ${events} events now (${before} when judged); re-judging the night`);
      rejudged.push(await runNight(config, dt, deps, { ...options, late: true }));
      if (deps.engine.state) {
        const deleted = await deleteSnapshotsAfter(deps.store, dt, nights[0]!, deps.now);
        if (deleted.length > 0)
          deps.log(
            `${dt}  first-entry snapshots of ${deleted.join(', ')} deleted: they folded ${dt}'s partial data (the next night folds from ${dt}'s)`,
          );
      }
    } catch (err) {
      warnings.push({
        code: 'rejudge_failed',
        message: `the late-data re-check of night ${dt} failed (it stays data_incomplete; the next night tries again): ${
          err instanceof Error ? err.message : String(err)
        }`,
        dt,
        key: null,
      });
    }
  }
  return { rejudged, queries, warnings };
}
