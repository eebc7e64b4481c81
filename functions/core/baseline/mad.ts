import { median } from './median';

/**
 * The factor that makes the MAD a consistent estimator of the standard deviation for normal data:
 * 1 / Φ⁻¹(3/4) ≈ 1.4826 (Rousseeuw & Croux 1993, "Alternatives to the Median Absolute Deviation",
 * JASA 88:1273). docs/design.md §2 fixes it at four decimals; scipy's `scale='normal'` uses the full
 * 1.482602218…, so reference values below are computed as `median_abs_deviation(x) * 1.4826`.
 */
export const MAD_NORMAL_SCALE = 1.4826;

/**
 * Robust spread: the median absolute deviation from the median, times {@link MAD_NORMAL_SCALE}.
 * `MAD = median(|xᵢ − median(x)|)`.
 *
 * @param values finite numbers (not modified)
 * @returns the scaled MAD (0 when more than half the values are equal), or null for an empty sample
 * @example madSpread([1, 2, 3, 4, 100]) // 1.4826 (median 3, deviations 2 1 0 1 97 → MAD 1)
 */
export function madSpread(values: readonly number[]): number | null {
  const center = median(values);
  if (center === null) return null;
  const mad = median(values.map((v) => Math.abs(v - center)));
  return mad === null ? null : mad * MAD_NORMAL_SCALE;
}
