/**
 * The cells of the threshold sweep (docs/candidates.md "Threshold sweep"): for every action, every
 * (n, k) of the grid, meaning "did the action's event at least n times on days E … E+k−1". The
 * order — action (config order), then min_count, then within_days, each as configured — is the
 * order of the sweep query's rows and of `sweep.jsonl`.
 */
import type { CandidatesConfig } from '../config/types';

export interface SweepCell {
  /** Position in the sweep's cell list (the query's `nsm_idx`). */
  readonly index: number;
  /** Index of the action in `candidates.actions`. */
  readonly action: number;
  readonly candidate_id: string;
  readonly event: string;
  /** n. */
  readonly min_count: number;
  /** k. */
  readonly within_days: number;
  /** Index of k in `sweep.within_days`. */
  readonly window: number;
}

/** Every cell of the sweep, or none when the config has no sweep. */
export function sweepCells(candidates: CandidatesConfig): SweepCell[] {
  const sweep = candidates.sweep;
  if (!sweep) return [];
  const cells: SweepCell[] = [];
  candidates.actions.forEach((a, action) => {
    for (const n of sweep.min_count) {
      sweep.within_days.forEach((k, window) => {
        cells.push({ index: cells.length, action, candidate_id: a.id, event: a.event, min_count: n, within_days: k, window });
      });
    }
  });
  return cells;
}
