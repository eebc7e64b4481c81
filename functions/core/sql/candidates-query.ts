/**
 * Compiles the night's candidate lifts (docs/design.md §2 "Candidate lifts") into ONE query that reads
 * the events table once and returns one row per action with the 2×2 counts — no per-user row
 * leaves the engine. The shape:
 *
 *   scanned  one row per (user, day) that holds an event the test needs, with 0/1 flags: entered
 *            (entry event on a day ≤ the cohort's last day) and, per action, did the action's event.
 *            Partition pruning keeps three day ranges: ≤ cohort end (entry history), cohort start
 *            … last hit day (the action events), and the outcome days (every event).
 *   facts    the same rows with the user's entry day E = the first entered day, as a window
 *            function over the user, so the table is not read a second time for a join (Athena
 *            inlines a CTE at every reference, so a CTE used twice is a second scan).
 *   users    one row per cohort member (E in the cohort window): retained, and hit per action.
 *   totals   one row of sums over the cohort.
 *   result   the action list as a VALUES relation crossed with `totals`, picking each action's
 *            columns: candidate_id, cohort_size, n_hit, n_miss, retained_hit, retained_miss.
 *
 * Day arithmetic is on DATE values (dialect.toDate / addDays), filters on the raw partition column
 * compare `YYYY-MM-DD` strings so both engines prune partitions. Why the ranges are enough:
 * E is the first entry day among days ≤ D, but a user whose first entry is after the cohort's end
 * is outside the cohort either way, so entry events after the cohort's end are never read; every
 * hit window E … E+within−1 lies in cohort start … cohort end + within − 1; every outcome window
 * E+R−W+1 … E+R lies in cohort start + R−W+1 … D. Nothing after D is read: a hit window that
 * would reach past D (within_days > R + 1) is cut at D, so a re-run of an old night sees what
 * that night saw.
 */
import type { DayRange } from '../candidates/cohort';
import { candidateScanRanges } from '../candidates/scan-ranges';
import type { CandidatesConfig, LakeConfig } from '../config/types';
import type { Query } from '../engine';
import { NsmError } from '../errors';
import type { Dialect } from './dialect';
import { quoteIdent, quoteString, quoteStringList } from './quote';
import { sql } from './sql';

/** The query's name in `nsm sql`, logs and `run.json`. */
export const CANDIDATES_QUERY = 'candidates';

/** Result columns, one row per action. */
export const CANDIDATE_COLUMNS = ['candidate_id', 'cohort_size', 'n_hit', 'n_miss', 'retained_hit', 'retained_miss'] as const;

/** Per-action 0/1 columns: a hit of cohort member (`users`), an action on a user-day (`scanned`). */
export const hitColumn = (i: number) => `nsm_hit_${i}`;
export const actColumn = (i: number) => `nsm_act_${i}`;

/** Builds the `candidates` query for night `dt`. `candidates.actions` must not be empty. */
export function buildCandidatesQuery(dialect: Dialect, lake: LakeConfig, candidates: CandidatesConfig, dt: string): Query {
  const actions = candidates.actions;
  if (actions.length === 0) throw new NsmError('candidates: no actions to test');
  const ranges = candidateScanRanges(candidates, dt);
  const part = quoteIdent(lake.partition);
  const user = quoteIdent(lake.columns.user);
  const event = quoteIdent(lake.columns.event);
  const s = quoteString;
  const between = (r: DayRange) => `${part} BETWEEN ${s(r.start)} AND ${s(r.end)}`;
  const entryRange = `${part} <= ${s(ranges.entryUntil)}`;
  const isEntry = `${event} = ${s(candidates.cohort.entry_event)}`;
  const actionEvents = [...new Set(actions.map((a) => a.event))];

  const day = dialect.toDate(part);
  const entryDay = 'nsm_entry_day';
  const plusDays = (n: number) => dialect.addDays(entryDay, n);
  const { day: r, window_days: w } = candidates.retention;

  // Action flags need no day condition: a user-day outside cohort start … hit end cannot fall in any
  // member's hit window, which `users` checks against E.
  const scannedColumns = [
    `${user} AS nsm_user`,
    `${day} AS nsm_day`,
    `max(CASE WHEN ${isEntry} AND ${entryRange} THEN 1 ELSE 0 END) AS nsm_entered`,
    ...actions.map((a, i) => `max(CASE WHEN ${event} = ${s(a.event)} THEN 1 ELSE 0 END) AS ${actColumn(i)}`),
  ];
  const userColumns = [
    'nsm_user',
    `max(CASE WHEN nsm_day BETWEEN ${plusDays(r - w + 1)} AND ${plusDays(r)} THEN 1 ELSE 0 END) AS nsm_retained`,
    ...actions.map(
      (a, i) =>
        `max(CASE WHEN ${actColumn(i)} = 1 AND nsm_day BETWEEN ${entryDay} AND ${plusDays(a.within_days - 1)} THEN 1 ELSE 0 END) AS ${hitColumn(i)}`,
    ),
  ];
  // In `scanned`, the partition-only disjunction, redundant with the condition after it, is what
  // lets both engines prune: DuckDB reads every file without it (test/integration/candidates.test.ts
  // runs the query over the lake-wide view with a corrupt partition after D).
  const query = sql`
    WITH scanned AS (
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
    ),
    ${countsFromUsers(actions)}`;
  // Entries reach back through all history; every range ends on D at the latest.
  return { name: CANDIDATES_QUERY, sql: query, lakeDays: { to: dt } };
}

/**
 * The end of every candidates query: from a CTE `users` (one row per cohort member with
 * `nsm_retained` and `nsm_hit_<i>` as 0/1), the CTE `totals` and the final SELECT with one row
 * per action: candidate_id, cohort_size, n_hit, n_miss, retained_hit, retained_miss.
 */
export function countsFromUsers(actions: CandidatesConfig['actions']): string {
  const totalColumns = [
    'count(*) AS nsm_cohort',
    'sum(nsm_retained) AS nsm_retained',
    ...actions.flatMap((_, i) => [
      `sum(${hitColumn(i)}) AS nsm_n_hit_${i}`,
      `sum(${hitColumn(i)} * nsm_retained) AS nsm_retained_hit_${i}`,
    ]),
  ];
  // An empty cohort sums to NULL: COALESCE to 0. CAST to BIGINT: DuckDB sums integers as HUGEINT.
  const pick = (column: (i: number) => string) =>
    `CAST(coalesce(CASE a.nsm_idx ${actions.map((_, i) => `WHEN ${i} THEN ${column(i)}`).join(' ')} END, 0) AS BIGINT)`;
  const nHit = pick((i) => `t.nsm_n_hit_${i}`);
  const retainedHit = pick((i) => `t.nsm_retained_hit_${i}`);
  const values = actions.map((a, i) => `(${i}, ${quoteString(a.id)})`).join(', ');
  return sql`
    totals AS (
      SELECT
        ${totalColumns}
      FROM users
    )
    SELECT
      a.candidate_id,
      CAST(t.nsm_cohort AS BIGINT) AS cohort_size,
      ${nHit} AS n_hit,
      CAST(t.nsm_cohort AS BIGINT) - ${nHit} AS n_miss,
      ${retainedHit} AS retained_hit,
      CAST(coalesce(t.nsm_retained, 0) AS BIGINT) - ${retainedHit} AS retained_miss
    FROM (VALUES ${values}) AS a (nsm_idx, candidate_id)
    CROSS JOIN totals t
    ORDER BY a.nsm_idx`;
}
