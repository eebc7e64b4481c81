/**
 * What the `candidates` query returns per action (docs/design.md §2 "Candidate lifts"): the 2×2 table
 * of the night's cohort, the sufficient statistics of every test in `core/stats`.
 */
import type { TwoByTwo } from '../stats/two-by-two';

export interface CandidateCounts extends TwoByTwo {
  /** The action's `id` in the config. */
  readonly candidate_id: string;
  /** Users in the cohort; always `n_hit + n_miss`. */
  readonly cohort_size: number;
}
