/**
 * The demo lake's two segment columns: each user's `country` and `app_version`, fixed per user so
 * a segment's users stay in it from night to night (docs/configuration.md "Segments"). Twenty
 * values each, with the skew of real traffic (a few large values, a long tail), and 3% of users
 * with no country (the `(none)` segment). Drawn from a hash of the user's index, not from the
 * generator's random streams, so adding them left every other byte of the lake as it was.
 */

/** ISO 3166 codes, the most common first. */
export const DEMO_COUNTRIES = [
  'us', 'de', 'gb', 'fr', 'in', 'br', 'ca', 'es', 'it', 'nl',
  'pl', 'se', 'jp', 'au', 'mx', 'ch', 'be', 'at', 'dk', 'no',
] as const;

/** App versions, the newest (most common) first. */
export const DEMO_APP_VERSIONS = Array.from({ length: 20 }, (_, i) => `5.${19 - i}`);

/** Share of users whose country is unknown (null in the lake). */
const NO_COUNTRY = 0.03;

/** A 32-bit integer hash (lowbias32) mapped to [0, 1): a fixed, well-mixed draw per (user, salt). */
function unit(index: number, salt: number): number {
  let x = (index ^ Math.imul(salt, 0x9e3779b9)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return (x >>> 0) / 2 ** 32;
}

/** Zipf-like weights over `n` values (value k has weight 1/(k+1)), as a cumulative distribution. */
function skewedCdf(n: number): number[] {
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => (acc += w / total));
}

const CDF = skewedCdf(20);

function pick<T>(values: readonly T[], u: number): T {
  const k = CDF.findIndex((c) => u < c);
  return values[k === -1 ? values.length - 1 : k]!;
}

/** User number `index`'s segments (the same for every event of theirs). */
export function userSegments(index: number): { country: string | null; app_version: string } {
  const c = unit(index, 1);
  return {
    country: c < NO_COUNTRY ? null : pick(DEMO_COUNTRIES, (c - NO_COUNTRY) / (1 - NO_COUNTRY)),
    app_version: pick(DEMO_APP_VERSIONS, unit(index, 2)),
  };
}
