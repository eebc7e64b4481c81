/**
 * The phi coefficient of the 2×2 table hit/miss × retained/not: the Pearson correlation of the two
 * 0/1 variables (Yule 1912; equals `numpy.corrcoef(hit, retained)[0, 1]` on per-user arrays):
 *
 *   φ = (a·d − b·c) / √((a+b)(c+d)(a+c)(b+d))
 *
 * with a = retained hitters, b = not-retained hitters, c = retained missers, d = not-retained missers.
 * Null when a margin is 0 (a variable is constant, so there is no correlation to speak of).
 *
 * @example phiCoefficient({ n_hit: 10, retained_hit: 10, n_miss: 10, retained_miss: 0 }) // 1
 */
import type { TwoByTwo } from './two-by-two';

export function phiCoefficient(table: TwoByTwo): number | null {
  const a = table.retained_hit;
  const b = table.n_hit - table.retained_hit;
  const c = table.retained_miss;
  const d = table.n_miss - table.retained_miss;
  const hits = a + b;
  const misses = c + d;
  const retained = a + c;
  const lost = b + d;
  if (hits === 0 || misses === 0 || retained === 0 || lost === 0) return null;
  // Two square roots of pairs: the product of all four margins of a big cohort would pass 2^53.
  const denominator = Math.sqrt(hits * misses) * Math.sqrt(retained * lost);
  return (a * d - b * c) / denominator;
}
