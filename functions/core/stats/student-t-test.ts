/**
 * Student's two-sample t test with pooled variance on the 0/1 retention outcome of hit vs miss
 * users — exactly `scipy.stats.ttest_ind(hit, miss)` on the expanded 0/1 arrays (the seed
 * method's test), computed from the 2×2 counts:
 *
 *   s²ₚ = ((n₁−1)s₁² + (n₂−1)s₂²) / (n₁+n₂−2),  t = (x̄₁ − x̄₂) / √(s²ₚ(1/n₁ + 1/n₂)),  df = n₁+n₂−2
 *
 * (e.g. Welch 1947 §1; scipy's `_equal_var_ttest_denom`). With s² the ddof = 1 variances.
 *
 * Undefined (all fields null) when either group has fewer than 2 users (scipy: nan, since a
 * one-element sample has no ddof = 1 variance) or when both groups have zero variance (every user
 * of each group has the same outcome; scipy: nan for equal means, ±inf and p = 0 otherwise — a
 * standard error of 0 gives no test, and JSON has no infinity).
 */
import { binarySampleVariance } from './binary-sample-variance';
import { type TTestResult, UNDEFINED_TEST } from './t-test-result';
import { tTwoSidedP } from './t-two-sided-p';
import type { TwoByTwo } from './two-by-two';

export function studentTTest(table: TwoByTwo): TTestResult {
  const { n_hit: n1, retained_hit: r1, n_miss: n2, retained_miss: r2 } = table;
  const v1 = binarySampleVariance(r1, n1);
  const v2 = binarySampleVariance(r2, n2);
  if (v1 === null || v2 === null) return UNDEFINED_TEST;
  const df = n1 + n2 - 2;
  const pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
  const se = Math.sqrt(pooled * (1 / n1 + 1 / n2));
  if (se === 0) return UNDEFINED_TEST;
  const t = (r1 / n1 - r2 / n2) / se;
  return { t, df, p: tTwoSidedP(t, df) };
}
