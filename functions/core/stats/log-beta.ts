/**
 * ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b) for a, b > 0, without cancellation for large arguments.
 *
 * Algorithm of R's `lbeta` (R Core Team, src/nmath/lbeta.c): with p = min(a, b), q = max(a, b),
 * - p ≥ 10: −½·ln q + ½·ln 2π + δ(p) + δ(q) − δ(p+q) + (p − ½)·ln(p/(p+q)) + q·ln1p(−p/(p+q));
 * - q ≥ 10 > p: lnΓ(p) + δ(q) − δ(p+q) + p − p·ln(p+q) + (q − ½)·ln1p(−p/(p+q));
 * - otherwise the plain sum of lnΓ values (all small, nothing to cancel).
 * δ is Stirling's remainder (`stirlingCorrection`). The t-test tail needs B(df/2, ½) with df up to
 * millions, where the plain sum would subtract two numbers near 10⁷ and lose 9 digits.
 *
 * @example logBeta(1, 1) // 0
 */
import { NsmError } from '../errors';
import { logGamma } from './log-gamma';
import { stirlingCorrection } from './stirling-correction';

const LN_SQRT_2PI = 0.9189385332046728;

export function logBeta(a: number, b: number): number {
  if (!(a > 0 && b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new NsmError(`logBeta: a and b must be positive finite numbers, got ${a}, ${b}`);
  }
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const ratio = p / (p + q);
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(ratio) + q * Math.log1p(-ratio);
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-ratio);
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}
