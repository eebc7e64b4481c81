/**
 * The part every candidate-test query shares (docs/design.md §2 "Candidate lifts"): CTEs ending in
 * `users`, one row per cohort member with `nsm_retained` (0/1) and per-action columns that the
 * query asks for — a hit flag for the `candidates` query, event counts per window for the `sweep`.
 * Two sources, with the same cohort, outcome and windows:
 *
 * - the lake (`cohortUsersFromLake`): `scanned` (one row per (user, day) holding an event the test
 *   needs, with an entry flag and a per-action aggregate), `facts` (the same rows with the user's
 *   entry day E as a window function, so the table is not read a second time for a join: Athena
 *   inlines a CTE at every reference), then `users`. Partition pruning keeps three day ranges:
 *   ≤ cohort end (entry history), cohort start … last hit day (action events), and the outcome days.
 * - the incremental state (`cohortUsersFromState`): `cohort` from the first-entry snapshot,
 *   `scanned` from the per-day rollups of the cohort's users, then `users` (a LEFT JOIN, so a
 *   member with no activity at all is still counted).
 *
 * Why the ranges are enough: E is the first entry day among days ≤ D, but a user whose first entry
 * is after the cohort's end is outside the cohort either way, so entry events after the cohort's end
 * are never read; every hit window E … E+k−1 lies in cohort start … cohort end + k − 1; every
 * outcome window E+R−W+1 … E+R lies in cohort start + R−W+1 … D. Nothing after D is read: a hit
 * window that would reach past D is cut at D, so a re-run of an old night sees what that night saw.
 */
import type { DayRange } from '../candidates/cohort';
import { candidateScanRanges } from '../candidates/scan-ranges';
import type { CandidatesConfig, LakeConfig } from '../config/types';
import type { Dialect } from './dialect';
import { quoteIdent, quoteString, quoteStringList } from './quote';
import { sql } from './sql';

/** Per (user, day) column of action `i`: its events that day, aggregated as the query needs. */
export const actColumn = (i: number) => `nsm_act_${i}`;

/** What a query asks for per action, in the two steps of the `users` CTEs. */
export interface ActionMeasures {
  /**
   * The aggregate over one user's rows of one day for action `i`. `isEvent` is true on the action's
   * event rows; `events` is how many events such a row stands for (`1` on the lake, `nsm_n` on a rollup).
   */
  perDay(i: number, isEvent: string, events: string): string;
  /**
   * The per-user columns (with their aliases) over the user's day rows. `act` is the day column of
   * `perDay`; `inWindow(k)` is true on the days E … E+k−1 (cut at D).
   */
  perUser(i: number, act: string, inWindow: (days: number) => string): string[];
}

/** `max(CASE WHEN <day in E+R−W+1 … E+R> THEN 1 ELSE 0 END) AS nsm_retained`. */
function retainedColumn(dialect: Dialect, candidates: CandidatesConfig, day: string, entryDay: string): string {
  const { day: r, window_days: w } = candidates.retention;
  const plus = (n: number) => dialect.addDays(entryDay, n);
  return `max(CASE WHEN ${day} BETWEEN ${plus(r - w + 1)} AND ${plus(r)} THEN 1 ELSE 0 END) AS nsm_retained`;
}

/**
 * `scanned AS (…), facts AS (…), users AS (…)` over the lake, without the leading WITH.
 * The query reads partitions up to `dt` only.
 */
export function cohortUsersFromLake(
  dialect: Dialect,
  lake: LakeConfig,
  candidates: CandidatesConfig,
  dt: string,
  measures: ActionMeasures,
): string {
  const { actions } = candidates;
  const ranges = candidateScanRanges(candidates, dt);
  const part = quoteIdent(lake.partition);
  const user = quoteIdent(lake.columns.user);
  const event = quoteIdent(lake.columns.event);
  const s = quoteString;
  const between = (r: DayRange) => `${part} BETWEEN ${s(r.start)} AND ${s(r.end)}`;
  const entryRange = `${part} <= ${s(ranges.entryUntil)}`;
  const isEntry = `${event} = ${s(candidates.cohort.entry_event)}`;
  const actionEvents = [...new Set(actions.map((a) => a.event))];
  const entryDay = 'nsm_entry_day';

  // Action aggregates need no day condition: a user-day outside cohort start … hit end cannot fall
  // in any member's hit window, which `users` checks against E.
  const scannedColumns = [
    `${user} AS nsm_user`,
    `${dialect.toDate(part)} AS nsm_day`,
    `max(CASE WHEN ${isEntry} AND ${entryRange} THEN 1 ELSE 0 END) AS nsm_entered`,
    ...actions.map((a, i) => `${measures.perDay(i, `${event} = ${s(a.event)}`, '1')} AS ${actColumn(i)}`),
  ];
  const inWindow = (days: number) => `nsm_day BETWEEN ${entryDay} AND ${dialect.addDays(entryDay, days - 1)}`;
  const userColumns = [
    'nsm_user',
    retainedColumn(dialect, candidates, 'nsm_day', entryDay),
    ...actions.flatMap((_, i) => measures.perUser(i, actColumn(i), inWindow)),
  ];
  // In `scanned`, the partition-only disjunction, redundant with the condition after it, is what
  // lets both engines prune: DuckDB reads every file without it (test/integration/candidates.test.ts
  // runs the query over the lake-wide view with a corrupt partition after D).
  return sql`
    scanned AS (
      SELECT
        ${scannedColumns}
      FROM ${dialect.eventsTable}
      WHERE ${user} IS NOT NULL
        AND ${event} IS NOT NULL
        AND (${entryRange} OR ${between(ranges.hits)} OR ${between(ranges.outcome)})
        AND ((${isEntry} AND ${entryRange})
          OR (${event} IN ${quoteStringList(actionEvents)} AND ${between(ranges.hits)})
          OR ${between(ranges.outcome)})
      GROUP BY ${user}, ${part}
    ),
    facts AS (
      SELECT
        nsm_user,
        nsm_day,
        ${actions.map((_, i) => actColumn(i))},
        min(CASE WHEN nsm_entered = 1 THEN nsm_day END) OVER (PARTITION BY nsm_user) AS ${entryDay}
      FROM scanned
    ),
    users AS (
      SELECT
        ${userColumns}
      FROM facts
      WHERE ${entryDay} BETWEEN ${dialect.dateLiteral(ranges.cohort.start)} AND ${dialect.dateLiteral(ranges.cohort.end)}
      GROUP BY nsm_user
    )`;
}

/**
 * `cohort AS (…), scanned AS (…), users AS (…)` over the incremental state, without the leading WITH.
 * @param rollups relation over the rollups of every day in `candidateRollupDays(...)`
 * @param entries relation over the first-entry snapshot of night `dt`
 */
export function cohortUsersFromState(
  dialect: Dialect,
  candidates: CandidatesConfig,
  dt: string,
  rollups: string,
  entries: string,
  measures: ActionMeasures,
): string {
  const { actions } = candidates;
  const ranges = candidateScanRanges(candidates, dt);
  const s = quoteString;
  const entryDay = 'c.nsm_entry_day';

  const scannedColumns = [
    'nsm_user',
    `${dialect.toDate('nsm_day')} AS nsm_day`,
    ...actions.map((a, i) => `${measures.perDay(i, `nsm_event = ${s(a.event)}`, 'nsm_n')} AS ${actColumn(i)}`),
  ];
  const inWindow = (days: number) =>
    `u.nsm_day BETWEEN ${entryDay} AND ${dialect.addDays(entryDay, days - 1)} AND u.nsm_day <= ${dialect.dateLiteral(ranges.hits.end)}`;
  const userColumns = [
    'c.nsm_user',
    retainedColumn(dialect, candidates, 'u.nsm_day', entryDay),
    ...actions.flatMap((_, i) => measures.perUser(i, `u.${actColumn(i)}`, inWindow)),
  ];
  // `scanned` keeps only cohort members' days (users LEFT JOINs scanned on them): filtering before
  // the GROUP BY keeps the aggregate to the cohort's rows instead of every active user's, about
  // 2.8x faster on the benchmark's night (docs/performance.md). NULL users never match IN.
  return sql`
    cohort AS (
      SELECT nsm_user, ${dialect.toDate('nsm_entry_day')} AS nsm_entry_day
      FROM ${entries}
      WHERE nsm_entry_day BETWEEN ${s(ranges.cohort.start)} AND ${s(ranges.cohort.end)}
    ),
    scanned AS (
      SELECT
        ${scannedColumns}
      FROM ${rollups}
      WHERE nsm_user IN (SELECT nsm_user FROM cohort) AND nsm_event IS NOT NULL
      GROUP BY nsm_user, nsm_day
    ),
    users AS (
      SELECT
        ${userColumns}
      FROM cohort c
      LEFT JOIN scanned u ON u.nsm_user = c.nsm_user
      GROUP BY c.nsm_user
    )`;
}
