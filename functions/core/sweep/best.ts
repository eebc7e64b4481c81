/**
 * The best cell of each action (docs/candidates.md "Threshold sweep"): among the action's cells
 * with `q_value < max_p`, a share of the cohort between {@link MIN_BEST_SHARE} and
 * {@link MAX_BEST_SHARE} (a threshold almost nobody or almost everybody crosses makes a poor target,
 * as Amplitude Compass warns) and a positive phi (hitters retain better: a target to steer users
 * towards), the one with the highest phi; the first in cell order on a tie. None when no cell qualifies.
 */
import type { SweepRow } from '../results/rows';

export const MIN_BEST_SHARE = 0.05;
export const MAX_BEST_SHARE = 0.95;

/** Whether `row` may be its action's best cell. */
export function qualifiesAsBest(row: SweepRow, maxP: number): boolean {
  return (
    row.q_value !== null &&
    row.q_value < maxP &&
    row.share !== null &&
    row.share >= MIN_BEST_SHARE &&
    row.share <= MAX_BEST_SHARE &&
    row.phi !== null &&
    row.phi > 0
  );
}

/** `rows` with `best` set on each action's best cell (and false everywhere else). */
export function markBest(rows: readonly SweepRow[], maxP: number): SweepRow[] {
  const bestIndex = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!qualifiesAsBest(row, maxP)) return;
    const current = bestIndex.get(row.candidate_id);
    if (current === undefined || row.phi! > rows[current]!.phi!) bestIndex.set(row.candidate_id, i);
  });
  const best = new Set(bestIndex.values());
  return rows.map((row, i) => ({ ...row, best: best.has(i) }));
}
