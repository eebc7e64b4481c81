/**
 * Pearson's product-moment correlation of paired samples (`numpy.corrcoef(x, y)[0, 1]`,
 * `scipy.stats.pearsonr(x, y).statistic`):
 *
 *   r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² · Σ(y−ȳ)²)
 *
 * computed with centred sums (two passes), so large values with small changes lose no precision.
 * Null when there are fewer than 2 pairs or either sample is constant (no correlation to speak of).
 * Clamped to [−1, 1] against rounding.
 *
 * @example pearsonCorrelation([1, 2, 3], [2, 4, 7]) // 0.9933992677987828
 */
import { NsmError } from '../errors';

export function pearsonCorrelation(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new NsmError(`pearsonCorrelation: ${x.length} x values but ${y.length} y values`);
  const n = x.length;
  if (n < 2) return null;
  const mean = (v: readonly number[]) => v.reduce((s, a) => s + a, 0) / n;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
