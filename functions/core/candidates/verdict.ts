/** The verdict of docs/design.md §2 for one candidate action. */
import type { CandidatesConfig } from '../config/types';
import type { Verdict } from '../results/rows';
import type { TwoByTwo } from '../stats/two-by-two';

/** Fewer users than this in the hit or the miss group: no ddof = 1 variance, no test. */
export const MIN_GROUP_USERS = 2;

/**
 * `insufficient_data` if either group has fewer than 2 users; else `strong` if
 * `lift > min_lift` and `q_value < max_p`; else `weak` (which includes a null lift or q).
 */
export function candidateVerdict(
  table: TwoByTwo,
  lift: number | null,
  qValue: number | null,
  thresholds: Pick<CandidatesConfig, 'min_lift' | 'max_p'>,
): Verdict {
  if (table.n_hit < MIN_GROUP_USERS || table.n_miss < MIN_GROUP_USERS) return 'insufficient_data';
  if (lift !== null && qValue !== null && lift > thresholds.min_lift && qValue < thresholds.max_p) return 'strong';
  return 'weak';
}
