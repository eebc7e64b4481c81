/**
 * The threshold sweep (docs/candidates.md "Threshold sweep") as ONE query per night: per cohort
 * member, the count of each action's events in each window E … E+k−1 of the grid stays inside the
 * engine (`users`, from `./cohort-users.ts`, over the lake or the incremental state); the query
 * returns one row per (action, n, k) cell with the 2×2 counts:
 *
 *   totals   one row: for every cell, the users whose count in window k is at least n, and how
 *            many of them were retained (two sums per cell).
 *   result   the cell list as a VALUES relation crossed with `totals`, picking each cell's columns:
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
import { countsFromUsers } from './counts-from-users';
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
    ${cellCountsFromUsers(cells)}`;
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
    ${cellCountsFromUsers(cells)}`;
  return { name: SWEEP_QUERY, sql: query };
}

/** `totals` and the final SELECT: one row per cell, in cell order (`./counts-from-users.ts`). */
function cellCountsFromUsers(cells: readonly SweepCell[]): string {
  const hit = (c: SweepCell) => `${countColumn(c.action, c.window)} >= ${c.min_count}`;
  return countsFromUsers(
    ['candidate_id', 'min_count', 'within_days'],
    cells.map((c) => ({
      labels: [quoteString(c.candidate_id), String(c.min_count), String(c.within_days)],
      nHit: `sum(CASE WHEN ${hit(c)} THEN 1 ELSE 0 END)`,
      retainedHit: `sum(CASE WHEN ${hit(c)} THEN nsm_retained ELSE 0 END)`,
    })),
  );
}
