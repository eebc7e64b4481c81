/**
 * The confidence interval of a correlation by Fisher's z transformation (Fisher 1915; the interval
 * of `scipy.stats.pearsonr(x, y).confidence_interval(0.95)`):
 *
 *   z = atanh(r),  se = 1/√(n−3),  interval = tanh(z ± z_{1−α/2}·se)
 *
 * Null with fewer than 4 pairs (se undefined). r = ±1 gives the degenerate interval [r, r].
 *
 * @example fisherZInterval(0.5, 30) // ≈ { low: 0.1732, high: 0.7289 }
 */
import jStat from 'jstat';
import { NsmError } from '../errors';

export interface CorrelationInterval {
  readonly low: number;
  readonly high: number;
}

export function fisherZInterval(r: number, n: number, level = 0.95): CorrelationInterval | null {
  if (!(r >= -1 && r <= 1)) throw new NsmError(`fisherZInterval: r must be in [-1, 1], got ${r}`);
  if (!(level > 0 && level < 1)) throw new NsmError(`fisherZInterval: level must be in (0, 1), got ${level}`);
  if (n < 4) return null;
  if (Math.abs(r) === 1) return { low: r, high: r };
  const z = Math.atanh(r);
  const half = jStat.normal.inv(1 - (1 - level) / 2, 0, 1) / Math.sqrt(n - 3);
  return { low: Math.tanh(z - half), high: Math.tanh(z + half) };
}
