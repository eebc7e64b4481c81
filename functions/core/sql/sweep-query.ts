/**
 * The threshold sweep (docs/candidates.md "Threshold sweep") as ONE query per night: per cohort
 * member, the count of each action's events in each window E … E+k−1 of the grid stays inside the
 * engine (`users`, from `./cohort-users.ts`, over the lake or the incremental state); the query
 * returns one row per (action, n, k) cell with the 2×2 counts:
 *
 *   counts, totals, cells   for every cell, the members whose count in window k is at least n and
 *            how many of them were retained (see `cellCountsFromUsers`), one row per cell:
 *            candidate_id, min_count, within_days, cohort_size, n_hit, n_miss, retained_hit, retained_miss.
 *
 * The cohort and the outcome are the candidates query's; the scan ranges already include the
 * sweep's longest window (`candidateScanRanges`).
 */
import type { CandidatesConfig, LakeConfig } from '../config/types';
import type { Query } from '../engine';
import { NsmError } from '../errors';
import { type SweepCell, sweepCells } from '../sweep/cells';
import { type ActionMeasures, cohortUsersFromLake, cohortUsersFromState } from './cohort-users';
import type { Dialect } from './dialect';
import { quoteString } from './quote';
import { sql } from './sql';

/** The query's name in `nsm sql`, logs and `run.json`. */
export const SWEEP_QUERY = 'sweep';

/** Result columns, one row per cell. */
export const SWEEP_COLUMNS = [
  'candidate_id',
  'min_count',
  'within_days',
  'cohort_size',
  'n_hit',
  'n_miss',
  'retained_hit',
  'retained_miss',
] as const;

/** A member's count of action `i`'s events in the grid's window number `w` (`sweep.within_days[w]`). */
const countColumn = (i: number, w: number) => `nsm_cnt_${i}_${w}`;

/** Events per day, summed per window of the grid. */
function sweepMeasures(within: readonly number[]): ActionMeasures {
  return {
    perDay: (_, isEvent, events) => `sum(CASE WHEN ${isEvent} THEN ${events} ELSE 0 END)`,
    // `act > 0` is false for NULL too: a member without any row (state's LEFT JOIN) counts 0.
    perUser: (i, act, inWindow) =>
      within.map((k, w) => `sum(CASE WHEN ${act} > 0 AND ${inWindow(k)} THEN ${act} ELSE 0 END) AS ${countColumn(i, w)}`),
  };
}

/** The grid of `candidates`, checked: a sweep query needs one. */
function gridOf(candidates: CandidatesConfig): { cells: SweepCell[]; within: readonly number[] } {
  const cells = sweepCells(candidates);
  if (!candidates.sweep || cells.length === 0) throw new NsmError('sweep: no cells to test');
  return { cells, within: candidates.sweep.within_days };
}

/** Builds the `sweep` query for night `dt` over the lake. */
export function buildSweepQuery(dialect: Dialect, lake: LakeConfig, candidates: CandidatesConfig, dt: string): Query {
  const { cells, within } = gridOf(candidates);
  const query = sql`
    WITH ${cohortUsersFromLake(dialect, lake, candidates, dt, sweepMeasures(within))},
    ${cellCountsFromUsers(cells, candidates.actions.length, within)}`;
  return { name: SWEEP_QUERY, sql: query, lakeDays: { to: dt } };
}

/**
 * Builds the `sweep` query for night `dt` over the incremental state: same cells, same counts.
 * @param rollups relation over the rollups of every day in `candidateRollupDays(...)`
 * @param entries relation over the first-entry snapshot of night `dt`
 */
export function buildSweepStateQuery(dialect: Dialect, candidates: CandidatesConfig, dt: string, rollups: string, entries: string): Query {
  const { cells, within } = gridOf(candidates);
  const query = sql`
    WITH ${cohortUsersFromState(dialect, candidates, dt, rollups, entries, sweepMeasures(within))},
    ${cellCountsFromUsers(cells, candidates.actions.length, within)}`;
  return { name: SWEEP_QUERY, sql: query };
}

/**
 * From `users`, one row per cell, in cell order. The per-user counts are turned long — one row per
 * (member, action, window) — and joined with the cells, so that the statement stays small: written
 * as one aggregate per cell (two sums × 120 cells, picked back out by CASE) it took DuckDB ~250 ms
 * just to plan, more than running it.
 *
 *   counts   one row per (member, action × window column) with the member's count and outcome;
 *   totals   the cohort's size and its retained users;
 *   cells    per cell (a VALUES row naming its column and n), the members whose count reaches n
 *            and the retained ones among them (a LEFT JOIN, so an empty cohort still gives its row).
 */
function cellCountsFromUsers(cells: readonly SweepCell[], actions: number, within: readonly number[]): string {
  const column = (action: number, window: number) => action * within.length + window;
  const columns = Array.from({ length: actions * within.length }, (_, col) => col);
  const pickCount = `CASE w.nsm_col ${columns.map((col) => `WHEN ${col} THEN u.${countColumn(Math.floor(col / within.length), col % within.length)}`).join(' ')} END`;
  const cellValues = cells
    .map((c) => `(${c.index}, ${column(c.action, c.window)}, ${quoteString(c.candidate_id)}, ${c.min_count}, ${c.within_days})`)
    .join(', ');
  return sql`
    counts AS (
      SELECT w.nsm_col, u.nsm_retained, ${pickCount} AS nsm_count
      FROM users u
      CROSS JOIN (VALUES ${columns.map((col) => `(${col})`).join(', ')}) AS w (nsm_col)
    ),
    totals AS (
      SELECT count(*) AS nsm_cohort, coalesce(sum(nsm_retained), 0) AS nsm_retained
      FROM users
    ),
    cells AS (
      SELECT
        c.nsm_idx,
        c.candidate_id,
        c.min_count,
        c.within_days,
        coalesce(sum(CASE WHEN k.nsm_count >= c.min_count THEN 1 ELSE 0 END), 0) AS nsm_n_hit,
        coalesce(sum(CASE WHEN k.nsm_count >= c.min_count THEN k.nsm_retained ELSE 0 END), 0) AS nsm_retained_hit
      FROM (VALUES ${cellValues}) AS c (nsm_idx, nsm_col, candidate_id, min_count, within_days)
      LEFT JOIN counts k ON k.nsm_col = c.nsm_col
      GROUP BY c.nsm_idx, c.candidate_id, c.min_count, c.within_days
    )
    SELECT
      c.candidate_id,
      c.min_count,
      c.within_days,
      CAST(t.nsm_cohort AS BIGINT) AS cohort_size,
      CAST(c.nsm_n_hit AS BIGINT) AS n_hit,
      CAST(t.nsm_cohort - c.nsm_n_hit AS BIGINT) AS n_miss,
      CAST(c.nsm_retained_hit AS BIGINT) AS retained_hit,
      CAST(t.nsm_retained - c.nsm_retained_hit AS BIGINT) AS retained_miss
    FROM cells c
    CROSS JOIN totals t
    ORDER BY c.nsm_idx`;
}
