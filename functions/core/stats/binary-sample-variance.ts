/**
 * Sample variance (ddof = 1, as numpy's `var(ddof=1)` and scipy's t tests use) of a 0/1 sample
 * with `k` ones among `n`: Σ(xᵢ − k/n)² / (n − 1) = k(n − k) / (n(n − 1)). Null when n < 2.
 *
 * @example binarySampleVariance(1, 4) // 0.25 (numpy: np.var([1, 0, 0, 0], ddof=1))
 */
export function binarySampleVariance(k: number, n: number): number | null {
  if (n < 2) return null;
  return (k * (n - k)) / (n * (n - 1));
}
