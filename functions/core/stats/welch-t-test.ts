/**
 * Welch's unequal-variance t test on the 0/1 retention outcome of hit vs miss users — exactly
 * `scipy.stats.ttest_ind(hit, miss, equal_var=False)` on the expanded 0/1 arrays:
 *
 *   t = (x̄₁ − x̄₂) / √(s₁²/n₁ + s₂²/n₂)
 *   df = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1))   (Welch–Satterthwaite)
 *
 * (Welch 1947; Satterthwaite 1946). With s² the ddof = 1 variances. This is the p-value the
 * verdict uses: a rare action has a much smaller group than the rest of the cohort, and the
 * variances of the two 0/1 outcomes differ whenever the rates do.
 *
 * Undefined (all fields null) when either group has fewer than 2 users or both variances are 0
 * (see `studentTTest`; df is 0/0 there too). One zero-variance group is fine: df = n−1 of the other.
 */
import { binarySampleVariance } from './binary-sample-variance';
import { type TTestResult, UNDEFINED_TEST } from './t-test-result';
import { tTwoSidedP } from './t-two-sided-p';
import type { TwoByTwo } from './two-by-two';

export function welchTTest(table: TwoByTwo): TTestResult {
  const { n_hit: n1, retained_hit: r1, n_miss: n2, retained_miss: r2 } = table;
  const v1 = binarySampleVariance(r1, n1);
  const v2 = binarySampleVariance(r2, n2);
  if (v1 === null || v2 === null) return UNDEFINED_TEST;
  const a = v1 / n1;
  const b = v2 / n2;
  const se2 = a + b;
  if (se2 === 0) return UNDEFINED_TEST;
  const t = (r1 / n1 - r2 / n2) / Math.sqrt(se2);
  const df = (se2 * se2) / ((a * a) / (n1 - 1) + (b * b) / (n2 - 1));
  return { t, df, p: tTwoSidedP(t, df) };
}
