/** The rows of the `sweep` query as counts, checked: a wrong count is a query problem, never a statistic. */

import type { CandidateCounts } from '../candidates/counts';
import { checkCohortTable, toCount } from '../candidates/parse-counts';
import type { CandidatesConfig } from '../config/types';
import type { Row } from '../engine';
import { QueryError } from '../errors';
import { type SWEEP_COLUMNS, SWEEP_QUERY } from '../sql/sweep-query';
import { type SweepCell, sweepCells } from './cells';

/** A cell and its 2×2 table over the night's cohort. */
export interface SweepCounts extends CandidateCounts {
  readonly cell: SweepCell;
}

/**
 * The query's rows as counts, one per cell of `sweepCells(candidates)`, in that order.
 * @throws QueryError when a cell's row is missing or a count is not a non-negative integer
 */
export function parseSweepCounts(rows: Row[], candidates: CandidatesConfig): SweepCounts[] {
  const key = (id: unknown, n: unknown, k: unknown) => `${String(id)}|${String(n)}|${String(k)}`;
  const byCell = new Map(rows.map((row) => [key(row.candidate_id, row.min_count, row.within_days), row]));
  return sweepCells(candidates).map((cell) => {
    const what = `cell ${cell.candidate_id} (${cell.min_count}, ${cell.within_days})`;
    const row = byCell.get(key(cell.candidate_id, cell.min_count, cell.within_days));
    if (!row) throw new QueryError(SWEEP_QUERY, `no row for ${what}`);
    const count = (column: Exclude<(typeof SWEEP_COLUMNS)[number], 'candidate_id' | 'min_count' | 'within_days'>) =>
      toCount(row[column], SWEEP_QUERY, what, column);
    return checkCohortTable(
      {
        cell,
        candidate_id: cell.candidate_id,
        cohort_size: count('cohort_size'),
        n_hit: count('n_hit'),
        n_miss: count('n_miss'),
        retained_hit: count('retained_hit'),
        retained_miss: count('retained_miss'),
      },
      SWEEP_QUERY,
      what,
    );
  });
}
