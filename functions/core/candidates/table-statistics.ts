/**
 * The statistics a candidate action and a sweep cell share, from their 2×2 table alone
 * (docs/candidates.md): both groups' retention rates, the share that hit, the lift with its Katz
 * 95% interval, Welch's t test and the phi coefficient. Degenerate tables give nulls, never errors.
 */
import { katzLiftCi } from '../stats/katz-lift-ci';
import { lift as liftOf } from '../stats/lift';
import { phiCoefficient } from '../stats/phi-coefficient';
import { proportion } from '../stats/proportion';
import { share as shareOf } from '../stats/share';
import type { TwoByTwo } from '../stats/two-by-two';
import { welchTTest } from '../stats/welch-t-test';

export interface TableStatistics {
  readonly rate_hit: number | null;
  readonly rate_miss: number | null;
  readonly share: number | null;
  readonly lift: number | null;
  readonly lift_ci_low: number | null;
  readonly lift_ci_high: number | null;
  readonly t_welch: number | null;
  readonly df_welch: number | null;
  readonly p_welch: number | null;
  readonly phi: number | null;
}

export function tableStatistics(table: TwoByTwo): TableStatistics {
  const ci = katzLiftCi(table);
  const welch = welchTTest(table);
  return {
    rate_hit: proportion(table.retained_hit, table.n_hit),
    rate_miss: proportion(table.retained_miss, table.n_miss),
    share: shareOf(table),
    lift: liftOf(table),
    lift_ci_low: ci?.low ?? null,
    lift_ci_high: ci?.high ?? null,
    t_welch: welch.t,
    df_welch: welch.df,
    p_welch: welch.p,
    phi: phiCoefficient(table),
  };
}
