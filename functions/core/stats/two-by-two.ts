/**
 * The 2×2 table of a candidate action: cohort users split by hit / miss, each with how many
 * were retained. For a 0/1 outcome these four counts are the sufficient statistics of every
 * test in this folder (means, sample variances, the table itself), so no per-user data is needed.
 */
import { NsmError } from '../errors';

export interface TwoByTwo {
  /** Users who did the action in time. */
  readonly n_hit: number;
  /** Of those, users retained. */
  readonly retained_hit: number;
  /** Users who did not. */
  readonly n_miss: number;
  /** Of those, users retained. */
  readonly retained_miss: number;
}

/**
 * Throws when the counts cannot be a 2×2 table (negative, fractional, or more retained users than
 * users): that is a bug upstream, not a data condition, so it is not turned into a null.
 */
export function checkTwoByTwo(table: TwoByTwo): TwoByTwo {
  const { n_hit, retained_hit, n_miss, retained_miss } = table;
  for (const [name, v] of Object.entries({ n_hit, retained_hit, n_miss, retained_miss })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new NsmError(`2×2 table: ${name} must be a count, got ${v}`);
  }
  if (retained_hit > n_hit) throw new NsmError(`2×2 table: retained_hit ${retained_hit} > n_hit ${n_hit}`);
  if (retained_miss > n_miss) throw new NsmError(`2×2 table: retained_miss ${retained_miss} > n_miss ${n_miss}`);
  return table;
}
