/**
 * lnΓ(x) for x > 0, accurate to a few ulps of the result.
 *
 * For x ≥ 10, Stirling's formula with its remainder series (Abramowitz & Stegun 6.1.41, see
 * `stirlingCorrection`). Below 10, the recurrence Γ(x) = Γ(x + n) / (x(x+1)…(x+n−1)) (A&S 6.1.15)
 * shifts the argument up first. jStat's `gammaln` is the 6-term Lanczos fit of Numerical Recipes,
 * good to ~2e-10 only, which is not enough for p-values checked to 1e-9 relative.
 *
 * @example logGamma(0.5) // 0.5723649429247001 = ln √π
 */
import { NsmError } from '../errors';
import { stirlingCorrection } from './stirling-correction';

const LN_SQRT_2PI = 0.9189385332046728;

export function logGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new NsmError(`logGamma: x must be a positive finite number, got ${x}`);
  let shift = 0;
  let product = 1;
  let z = x;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  if (product !== 1) shift = Math.log(product);
  return (z - 0.5) * Math.log(z) - z + LN_SQRT_2PI + stirlingCorrection(z) - shift;
}
