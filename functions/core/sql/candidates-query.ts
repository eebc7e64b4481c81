/**
 * Compiles the night's candidate lifts (DESIGN.md §2 "Candidate lifts") into ONE query that reads
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
import { cohortWindow, type DayRange, hitWindow, outcomeWindow } from '../candidates/cohort';
import type { CandidateCounts } from '../candidates/counts';
import type { CandidatesConfig, LakeConfig } from '../config/types';
import type { Cell, Query, Row } from '../engine';
import { NsmError, QueryError } from '../errors';
import { checkTwoByTwo } from '../stats/two-by-two';
import type { Dialect } from './dialect';
import { quoteIdent, quoteString, quoteStringList } from './quote';

/** The query's name in `nsm sql`, logs and `run.json`. */
export const CANDIDATES_QUERY = 'candidates';

/** Result columns, one row per action. */
export const CANDIDATE_COLUMNS = ['candidate_id', 'cohort_size', 'n_hit', 'n_miss', 'retained_hit', 'retained_miss'] as const;

/** The partition ranges the query reads on night `dt` (all inclusive; `entry` is open at the start). */
export interface CandidateScanRanges {
  readonly cohort: DayRange;
  /** Entry events: every day up to the cohort's last day. */
  readonly entryUntil: string;
  /** Action events: cohort start … min(cohort end + max within_days − 1, D). */
  readonly hits: DayRange;
  /** Any event: cohort start + R − W + 1 … D. */
  readonly outcome: DayRange;
}

export function candidateScanRanges(candidates: CandidatesConfig, dt: string): CandidateScanRanges {
  const cohort = cohortWindow(dt, candidates);
  const maxWithin = Math.max(1, ...candidates.actions.map((a) => a.within_days));
  // The union of every member's windows: the latest entrant's longest hit window, the earliest
  // entrant's outcome window, both cut at D (the outcome window of E = cohort end ends on D).
  const hitEnd = hitWindow(cohort.end, maxWithin).end;
  return {
    cohort,
    entryUntil: cohort.end,
    hits: { start: cohort.start, end: hitEnd < dt ? hitEnd : dt },
    outcome: { start: outcomeWindow(cohort.start, candidates.retention).start, end: dt },
  };
}

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
  const scanned =
    `  SELECT\n    ${scannedColumns.join(',\n    ')}\n` +
    `  FROM ${dialect.eventsTable}\n` +
    `  WHERE ${user} IS NOT NULL\n` +
    // The partition-only disjunction, redundant with the next condition, is what lets both engines
    // prune: DuckDB reads every file without it (test/integration/candidates.test.ts runs the query
    // over the lake-wide view with a corrupt partition after D).
    `    AND (${entryRange} OR ${between(ranges.hits)} OR ${between(ranges.outcome)})\n` +
    `    AND ((${isEntry} AND ${entryRange})\n` +
    `      OR (${event} IN ${quoteStringList(actionEvents)} AND ${between(ranges.hits)})\n` +
    `      OR ${between(ranges.outcome)})\n` +
    `  GROUP BY ${user}, ${part}`;

  const facts =
    `  SELECT\n    nsm_user,\n    nsm_day,\n    ${actions.map((_, i) => actColumn(i)).join(',\n    ')},\n` +
    `    min(CASE WHEN nsm_entered = 1 THEN nsm_day END) OVER (PARTITION BY nsm_user) AS ${entryDay}\n` +
    `  FROM scanned`;

  const userColumns = [
    'nsm_user',
    `max(CASE WHEN nsm_day BETWEEN ${plusDays(r - w + 1)} AND ${plusDays(r)} THEN 1 ELSE 0 END) AS nsm_retained`,
    ...actions.map(
      (a, i) =>
        `max(CASE WHEN ${actColumn(i)} = 1 AND nsm_day BETWEEN ${entryDay} AND ${plusDays(a.within_days - 1)} THEN 1 ELSE 0 END) AS ${hitColumn(i)}`,
    ),
  ];
  const users =
    `  SELECT\n    ${userColumns.join(',\n    ')}\n  FROM facts\n` +
    `  WHERE ${entryDay} BETWEEN ${dialect.dateLiteral(ranges.cohort.start)} AND ${dialect.dateLiteral(ranges.cohort.end)}\n` +
    `  GROUP BY nsm_user`;

  return {
    name: CANDIDATES_QUERY,
    sql: `WITH scanned AS (\n${scanned}\n),\nfacts AS (\n${facts}\n),\nusers AS (\n${users}\n),\n${countsFromUsers(actions)}`,
    // Entries reach back through all history; every range ends on D at the latest.
    lakeDays: { to: dt },
  };
}

/**
 * The end of every candidates query: from a CTE `users` (one row per cohort member with
 * `nsm_retained` and `nsm_hit_<i>` as 0/1), the CTE `totals` and the final SELECT with one row
 * per action: candidate_id, cohort_size, n_hit, n_miss, retained_hit, retained_miss.
 */
export function countsFromUsers(actions: CandidatesConfig['actions']): string {
  const s = quoteString;
  const totalColumns = [
    'count(*) AS nsm_cohort',
    'sum(nsm_retained) AS nsm_retained',
    ...actions.flatMap((_, i) => [
      `sum(${hitColumn(i)}) AS nsm_n_hit_${i}`,
      `sum(${hitColumn(i)} * nsm_retained) AS nsm_retained_hit_${i}`,
    ]),
  ];
  const totals = `  SELECT\n    ${totalColumns.join(',\n    ')}\n  FROM users`;

  // An empty cohort sums to NULL: COALESCE to 0. CAST to BIGINT: DuckDB sums integers as HUGEINT.
  const pick = (column: (i: number) => string) =>
    `CAST(coalesce(CASE a.nsm_idx ${actions.map((_, i) => `WHEN ${i} THEN ${column(i)}`).join(' ')} END, 0) AS BIGINT)`;
  const nHit = pick((i) => `t.nsm_n_hit_${i}`);
  const retainedHit = pick((i) => `t.nsm_retained_hit_${i}`);
  const values = actions.map((a, i) => `(${i}, ${s(a.id)})`).join(', ');
  const select =
    `SELECT\n` +
    `  a.candidate_id,\n` +
    `  CAST(t.nsm_cohort AS BIGINT) AS cohort_size,\n` +
    `  ${nHit} AS n_hit,\n` +
    `  CAST(t.nsm_cohort AS BIGINT) - ${nHit} AS n_miss,\n` +
    `  ${retainedHit} AS retained_hit,\n` +
    `  CAST(coalesce(t.nsm_retained, 0) AS BIGINT) - ${retainedHit} AS retained_miss\n` +
    `FROM (VALUES ${values}) AS a (nsm_idx, candidate_id)\n` +
    `CROSS JOIN totals t\n` +
    `ORDER BY a.nsm_idx`;
  return `totals AS (\n${totals}\n)\n${select}`;
}

/**
 * The query's rows as counts, one per configured action.
 * @throws QueryError when an action's row is missing or a count is not a non-negative integer
 */
export function parseCandidateCounts(rows: Row[], candidates: CandidatesConfig): CandidateCounts[] {
  const byId = new Map(rows.map((row) => [row.candidate_id, row]));
  return candidates.actions.map((action) => {
    const row = byId.get(action.id);
    if (!row) throw new QueryError(CANDIDATES_QUERY, `no row for candidate ${JSON.stringify(action.id)}`);
    const count = (column: (typeof CANDIDATE_COLUMNS)[number]) => toCount(row[column], action.id, column);
    const counts: CandidateCounts = {
      candidate_id: action.id,
      cohort_size: count('cohort_size'),
      n_hit: count('n_hit'),
      n_miss: count('n_miss'),
      retained_hit: count('retained_hit'),
      retained_miss: count('retained_miss'),
    };
    try {
      checkTwoByTwo(counts);
    } catch (err) {
      throw new QueryError(CANDIDATES_QUERY, `candidate ${action.id}: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (counts.n_hit + counts.n_miss !== counts.cohort_size) {
      throw new QueryError(CANDIDATES_QUERY, `candidate ${action.id}: n_hit + n_miss != cohort_size`);
    }
    return counts;
  });
}

/** A count cell: a number, or the decimal text engines use for BIGINT (Athena always, DuckDB past 2^53). */
function toCount(cell: Cell | undefined, id: string, column: string): number {
  const value = typeof cell === 'string' && /^\d+$/.test(cell) ? Number(cell) : cell;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new QueryError(CANDIDATES_QUERY, `candidate ${id}: ${column} is not a count: ${JSON.stringify(cell)}`);
  }
  return value;
}
