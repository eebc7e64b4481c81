/**
 * Katz log confidence interval of a risk ratio — here the lift, rate_hit / rate_miss
 * (Katz, Baptista, Azen & Pike 1978, "Obtaining confidence intervals for the risk ratio in cohort
 * studies", Biometrics 34:469–474):
 *
 *   ln RR ± z_{1−α/2} · √(1/a − 1/n₁ + 1/c − 1/n₂)
 *
 * with a = retained_hit of n₁ = n_hit and c = retained_miss of n₂ = n_miss. The normal quantile
 * comes from jStat. Null when the log scale is undefined: a or c is 0 (no retained user in a group,
 * so ln RR is −∞ or the lift itself is null).
 *
 * @example katzLiftCi({ n_hit: 100, retained_hit: 40, n_miss: 200, retained_miss: 40 }) // ≈ { low: 1.386, high: 2.886 }
 */
import jStat from 'jstat';
import { NsmError } from '../errors';
import type { TwoByTwo } from './two-by-two';

export interface LiftInterval {
  readonly low: number;
  readonly high: number;
}

export function katzLiftCi(table: TwoByTwo, level = 0.95): LiftInterval | null {
  if (!(level > 0 && level < 1)) throw new NsmError(`katzLiftCi: level must be in (0, 1), got ${level}`);
  const { n_hit: n1, retained_hit: a, n_miss: n2, retained_miss: c } = table;
  if (a === 0 || c === 0) return null;
  const logRr = Math.log(a / n1) - Math.log(c / n2);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  const z = jStat.normal.inv(1 - (1 - level) / 2, 0, 1);
  return { low: Math.exp(logRr - z * se), high: Math.exp(logRr + z * se) };
}
