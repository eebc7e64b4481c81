/** What the two-sample t tests return. */
export interface TTestResult {
  /** The t statistic, hit minus miss; null when the test is undefined (see each test). */
  readonly t: number | null;
  /** Degrees of freedom; null when undefined. */
  readonly df: number | null;
  /** Two-sided p-value; null when `t` is null. */
  readonly p: number | null;
}

/** The result of a test that cannot be computed on these counts. */
export const UNDEFINED_TEST: TTestResult = Object.freeze({ t: null, df: null, p: null });
