/**
 * `k / n`, the mean of a 0/1 sample with `k` ones among `n`; null when `n` is 0 (no users, no rate).
 *
 * @example proportion(3, 4) // 0.75
 */
export function proportion(k: number, n: number): number | null {
  return n === 0 ? null : k / n;
}
