/** `share` of docs/design.md §2: the fraction of the cohort that did the action. */
import { proportion } from './proportion';
import type { TwoByTwo } from './two-by-two';

/** `n_hit / (n_hit + n_miss)`; null for an empty cohort. */
export function share(table: TwoByTwo): number | null {
  return proportion(table.n_hit, table.n_hit + table.n_miss);
}
