/**
 * The candidates query over the incremental state (docs/design.md §5): the cohort comes from the
 * first-entry snapshot, the outcome and hit flags from the per-day rollups of the hit and
 * outcome ranges (`./cohort-users.ts`). Same columns and same counts as `buildCandidatesQuery`
 * over the lake (a test checks they are equal), but it reads about 70 small rollups instead of all
 * of history.
 */
import type { CandidatesConfig } from '../config/types';
import type { Query } from '../engine';
import { CANDIDATES_QUERY, candidateCounts, candidateMeasures } from './candidates-query';
import { cohortUsersFromState } from './cohort-users';
import type { Dialect } from './dialect';
import { sql } from './sql';

/**
 * @param rollups relation over the rollups of every day in `candidateRollupDays(...)`
 * @param entries relation over the first-entry snapshot of night `dt`
 */
export function buildCandidatesStateQuery(
  dialect: Dialect,
  candidates: CandidatesConfig,
  dt: string,
  rollups: string,
  entries: string,
): Query {
  const query = sql`
    WITH ${cohortUsersFromState(dialect, candidates, dt, rollups, entries, candidateMeasures(candidates))},
    ${candidateCounts(candidates.actions)}`;
  return { name: CANDIDATES_QUERY, sql: query };
}
