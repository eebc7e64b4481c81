/**
 * Athena cost estimate per query ("USD 5 per TB", recorded in `run.json`: docs/design.md §3).
 *
 * Athena's on-demand SQL pricing is USD 5 per TB of data scanned, "rounded up to the nearest
 * megabyte, with a 10 MB minimum per query" (https://aws.amazon.com/athena/pricing/; restated in
 * https://athena.guide/articles/athena-basics-pricing-model and
 * https://rcpedia.stanford.edu/services/athena.html). AWS bills data volumes in binary units
 * (1 MB = 2^20 bytes, 1 TB = 2^40 bytes), so those are used here. DDL and failed queries are not
 * billed; callers pass `null` bytes (no cost) for engines that do not scan S3.
 *
 * This is an estimate for `run.json`, not the bill: discounts, capacity reservations and
 * region-specific prices are ignored.
 */

/** USD per TB scanned (on-demand, most regions). */
export const USD_PER_TB = 5;
/** Bytes in a billed megabyte (binary). */
export const BYTES_PER_MB = 2 ** 20;
/** Bytes in a billed terabyte (binary). */
export const BYTES_PER_TB = 2 ** 40;
/** Athena's per-query minimum charge, in megabytes. */
export const MIN_BILLED_MB = 10;

/**
 * Estimated USD for one query that scanned `bytes`: whole megabytes rounded up, at least 10 MB,
 * at USD 5 per TB. `null` when the engine reports no bytes (DuckDB).
 *
 * @example costUsd(0) // 10 MB minimum: 10 * 2^20 / 2^40 * 5 = 4.76837158203125e-5
 * @example costUsd(2 ** 40) // 5
 */
export function costUsd(bytes: number | null): number | null {
  if (bytes === null) return null;
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`bytes scanned must be a non-negative number, got ${bytes}`);
  const billedMb = Math.max(MIN_BILLED_MB, Math.ceil(bytes / BYTES_PER_MB));
  return (billedMb * BYTES_PER_MB * USD_PER_TB) / BYTES_PER_TB;
}

/**
 * Bytes scanned by a night's queries, summed the way {@link totalCostUsd} sums their cost: the
 * queries that reported bytes count, and null when none did.
 */
export function totalBytes(bytesPerQuery: readonly (number | null)[]): number | null {
  const known = bytesPerQuery.filter((b): b is number => b !== null);
  return known.length === 0 ? null : known.reduce((sum, b) => sum + b, 0);
}

/**
 * Sum of the per-query estimates, or null when no query reported bytes (an engine without
 * costs). A query with null bytes among others that have them adds nothing.
 */
export function totalCostUsd(bytesPerQuery: readonly (number | null)[]): number | null {
  const known = bytesPerQuery.filter((b): b is number => b !== null);
  if (known.length === 0) return null;
  return known.reduce((sum, b) => sum + (costUsd(b) as number), 0);
}
