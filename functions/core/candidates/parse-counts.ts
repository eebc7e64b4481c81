/** The rows of the `candidates` query as counts, checked: a wrong count is a query problem, never a statistic. */
import type { CandidatesConfig } from '../config/types';
import type { Cell, Row } from '../engine';
import { QueryError } from '../errors';
import { type CANDIDATE_COLUMNS, CANDIDATES_QUERY } from '../sql/candidates-query';
import { checkTwoByTwo } from '../stats/two-by-two';
import type { CandidateCounts } from './counts';

/**
 * The query's rows as counts, one per configured action.
 * @throws QueryError when an action's row is missing or a count is not a non-negative integer
 */
export function parseCandidateCounts(rows: Row[], candidates: CandidatesConfig): CandidateCounts[] {
  const byId = new Map(rows.map((row) => [row.candidate_id, row]));
  return candidates.actions.map((action) => {
    const row = byId.get(action.id);
    if (!row) throw new QueryError(CANDIDATES_QUERY, `no row for candidate ${JSON.stringify(action.id)}`);
    const count = (column: (typeof CANDIDATE_COLUMNS)[number]) => toCount(row[column], CANDIDATES_QUERY, `candidate ${action.id}`, column);
    const counts: CandidateCounts = {
      candidate_id: action.id,
      cohort_size: count('cohort_size'),
      n_hit: count('n_hit'),
      n_miss: count('n_miss'),
      retained_hit: count('retained_hit'),
      retained_miss: count('retained_miss'),
    };
    return checkCohortTable(counts, CANDIDATES_QUERY, `candidate ${action.id}`);
  });
}

/**
 * `counts` when they are a 2×2 table of the whole cohort (`n_hit + n_miss = cohort_size`).
 * @throws QueryError naming the query and `what` (an action, a cell) otherwise
 */
export function checkCohortTable<T extends CandidateCounts>(counts: T, query: string, what: string): T {
  try {
    checkTwoByTwo(counts);
  } catch (err) {
    throw new QueryError(query, `${what}: ${(err as Error).message}`, undefined, { cause: err });
  }
  if (counts.n_hit + counts.n_miss !== counts.cohort_size) {
    throw new QueryError(query, `${what}: n_hit + n_miss != cohort_size`);
  }
  return counts;
}

/**
 * A count cell: a number, or the decimal text engines use for BIGINT (Athena always, DuckDB past 2^53).
 * @throws QueryError naming the query, `what` and the column when it is not a non-negative integer
 */
export function toCount(cell: Cell | undefined, query: string, what: string, column: string): number {
  const value = typeof cell === 'string' && /^\d+$/.test(cell) ? Number(cell) : cell;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new QueryError(query, `${what}: ${column} is not a count: ${JSON.stringify(cell)}`);
  }
  return value;
}
