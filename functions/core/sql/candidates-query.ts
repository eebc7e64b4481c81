/**
 * Compiles the night's candidate lifts (docs/design.md §2 "Candidate lifts") into ONE query that reads
 * the events table once and returns one row per action with the 2×2 counts — no per-user row
 * leaves the engine. The shape: the cohort CTEs of `./cohort-users.ts` (ending in `users`, one row
 * per cohort member: retained, and hit per action), then
 *
 *   totals   one row of sums over the cohort.
 *   result   the action list as a VALUES relation crossed with `totals`, picking each action's
 *            columns: candidate_id, cohort_size, n_hit, n_miss, retained_hit, retained_miss.
 *
 * Day arithmetic is on DATE values (dialect.toDate / addDays), filters on the raw partition column
 * compare `YYYY-MM-DD` strings so both engines prune partitions.
 */
import type { CandidatesConfig, LakeConfig } from '../config/types';
import type { Query } from '../engine';
import { NsmError } from '../errors';
import { type ActionMeasures, cohortUsersFromLake } from './cohort-users';
import { countsFromUsers } from './counts-from-users';
import type { Dialect } from './dialect';
import { quoteString } from './quote';
import { sql } from './sql';

export { actColumn } from './cohort-users';

/** The query's name in `nsm sql`, logs and `run.json`. */
export const CANDIDATES_QUERY = 'candidates';

/** Result columns, one row per action. */
export const CANDIDATE_COLUMNS = ['candidate_id', 'cohort_size', 'n_hit', 'n_miss', 'retained_hit', 'retained_miss'] as const;

/** Per-action 0/1 column of a cohort member (`users`): did the action within its `within_days`. */
export const hitColumn = (i: number) => `nsm_hit_${i}`;

/** The candidates test per action: a 0/1 flag per day, and a hit when a flagged day is in E … E+within_days−1. */
export function candidateMeasures(candidates: CandidatesConfig): ActionMeasures {
  return {
    perDay: (_, isEvent) => `max(CASE WHEN ${isEvent} THEN 1 ELSE 0 END)`,
    perUser: (i, act, inWindow) => [
      `max(CASE WHEN ${act} = 1 AND ${inWindow(candidates.actions[i]!.within_days)} THEN 1 ELSE 0 END) AS ${hitColumn(i)}`,
    ],
  };
}

/** Builds the `candidates` query for night `dt`. `candidates.actions` must not be empty. */
export function buildCandidatesQuery(dialect: Dialect, lake: LakeConfig, candidates: CandidatesConfig, dt: string): Query {
  if (candidates.actions.length === 0) throw new NsmError('candidates: no actions to test');
  const query = sql`
    WITH ${cohortUsersFromLake(dialect, lake, candidates, dt, candidateMeasures(candidates))},
    ${candidateCounts(candidates.actions)}`;
  // Entries reach back through all history; every range ends on D at the latest.
  return { name: CANDIDATES_QUERY, sql: query, lakeDays: { to: dt } };
}

/** `totals` and the final SELECT of a candidates query: one row per action (`./counts-from-users.ts`). */
export function candidateCounts(actions: CandidatesConfig['actions']): string {
  return countsFromUsers(
    ['candidate_id'],
    actions.map((a, i) => ({
      labels: [quoteString(a.id)],
      nHit: `sum(${hitColumn(i)})`,
      retainedHit: `sum(${hitColumn(i)} * nsm_retained)`,
    })),
  );
}
