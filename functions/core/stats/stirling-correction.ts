/**
 * The remainder of Stirling's formula, `δ(x) = lnΓ(x) − ((x − ½)·ln x − x + ½·ln 2π)`, for x ≥ 10.
 *
 * Asymptotic series δ(x) = Σ B₂ₖ / (2k(2k−1)·x^(2k−1)) (Abramowitz & Stegun 6.1.41, Bernoulli numbers
 * B₂ … B₁₆). The series alternates, so the error is below the first omitted term, 43867/244188·x⁻¹⁷
 * ≈ 1.8e-18 at x = 10. Keeping δ separate lets `logBeta` cancel the large terms of lnΓ
 * analytically instead of subtracting lnΓ values of ~10⁶ (as R's `lbeta` does with `lgammacor`).
 */
import { NsmError } from '../errors';

/** B₂ₖ / (2k(2k−1)) for k = 1 … 8. */
const COEFFICIENTS = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/** δ(x) for x ≥ 10; throws below, where the series is not accurate to double precision. */
export function stirlingCorrection(x: number): number {
  if (!(x >= 10)) throw new NsmError(`stirlingCorrection: x must be >= 10, got ${x}`);
  const inv2 = 1 / (x * x);
  // Horner in 1/x²: (c1 + c2/x² + c3/x⁴ + …) / x, smallest terms first.
  let sum = 0;
  for (let k = COEFFICIENTS.length - 1; k >= 0; k--) sum = sum * inv2 + COEFFICIENTS[k]!;
  return sum / x;
}
