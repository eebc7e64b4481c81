/**
 * The sample median: the middle value of the sorted sample, or the mean of the two middle values
 * when the count is even (Hyndman & Fan 1996, the p = 0.5 case shared by every common definition;
 * identical to `numpy.median`).
 *
 * @param values finite numbers, in any order (not modified)
 * @returns the median, or null for an empty sample
 * @example median([3, 1, 2]) // 2
 * @example median([1, 2, 3, 10]) // 2.5
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  // Indices are in range by construction; `!` only satisfies noUncheckedIndexedAccess.
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
