/**
 * Benjamini–Hochberg adjusted p-values (q-values) controlling the false discovery rate over one
 * family of tests (Benjamini & Hochberg 1995, JRSS B 57:289–300; the step-up adjustment of
 * `scipy.stats.false_discovery_control(p, method='bh')` and R's `p.adjust(p, "BH")`):
 *
 *   q₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎ / j)   for the sorted p₍₁₎ ≤ … ≤ p₍ₘ₎,
 *
 * returned in the input's order. Monotone in p and capped at 1.
 *
 * `familySize` m may exceed the number of p-values given: tests that were part of the search but
 * could not be computed (a sweep cell nobody hit) still count in m. That equals running BH with
 * p = 1 for each of them, and never gives a smaller q than leaving them out would.
 *
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
import { NsmError } from '../errors';

export function benjaminiHochberg(pValues: readonly number[], familySize = pValues.length): number[] {
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new NsmError(`benjaminiHochberg: p-values must be in [0, 1], got ${p}`);
  }
  if (!(Number.isInteger(familySize) && familySize >= pValues.length)) {
    throw new NsmError(`benjaminiHochberg: the family size must be a whole number >= ${pValues.length}, got ${familySize}`);
  }
  const m = familySize;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const q = new Array<number>(pValues.length);
  let running = 1;
  for (let rank = pValues.length; rank >= 1; rank--) {
    const { p, i } = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    q[i] = running;
  }
  return q;
}
