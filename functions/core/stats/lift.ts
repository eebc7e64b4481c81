/** `lift` of docs/design.md §2: the risk ratio of retention, users who hit over users who missed. */
import { proportion } from './proportion';
import type { TwoByTwo } from './two-by-two';

/**
 * `rate_hit / rate_miss`, where rate = retained / users of the group. Null when `rate_miss` is 0
 * (no retained misser: the ratio is infinite or 0/0) or when either group is empty (no rate).
 *
 * @example lift({ n_hit: 100, retained_hit: 60, n_miss: 400, retained_miss: 60 }) // 4
 */
export function lift(table: TwoByTwo): number | null {
  const hit = proportion(table.retained_hit, table.n_hit);
  const miss = proportion(table.retained_miss, table.n_miss);
  if (hit === null || miss === null || miss === 0) return null;
  return hit / miss;
}
