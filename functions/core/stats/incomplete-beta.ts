/**
 * The regularized incomplete beta function I_x(a, b) (Numerical Recipes, 3rd ed., §6.4 `betai`),
 * with its prefactor x^a (1−x)^b / B(a, b) formed in log space, so a result of 1e-90 (or 1e-300)
 * comes out with full relative precision instead of underflowing through intermediate products.
 *
 * `y = 1 − x` may be passed when the caller knows it more accurately than `1 - x` (for the t tail,
 * x = df/(df+t²) and y = t²/(df+t²) are both exact ratios; `1 - x` would lose y's digits when t² ≪ df).
 *
 * @example regularizedIncompleteBeta(0.5, 2, 2) // 0.5
 */
import { NsmError } from '../errors';
import { betaContinuedFraction } from './beta-continued-fraction';
import { logBeta } from './log-beta';

export function regularizedIncompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(x >= 0 && x <= 1) || !(y >= 0 && y <= 1)) throw new NsmError(`regularizedIncompleteBeta: x must be in [0, 1], got ${x}`);
  if (!(a > 0 && b > 0)) throw new NsmError(`regularizedIncompleteBeta: a and b must be > 0, got ${a}, ${b}`);
  if (x === 0) return 0;
  if (y === 0) return 1;
  // ln x and ln(1−x) from whichever of x, y is small, via log1p, so neither loses digits.
  const lnX = y < 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = x < 0.5 ? Math.log1p(-x) : Math.log(y);
  const lnFront = a * lnX + b * lnY - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b, y)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(y, b, a, x)) / b;
}
