import { describe, expect, it } from 'vitest';
import { welchTTest } from '../../../../functions/core/stats/welch-t-test';
import { expectClose } from './expect-close';
import { REFERENCE_CASES } from './reference-cases';

describe('welchTTest', () => {
  it.each(REFERENCE_CASES)('equals scipy.stats.ttest_ind(h, m, equal_var=False): $name', (c) => {
    const r = welchTTest(c.table);
    expectClose(r.t, c.t_welch);
    expectClose(r.p, c.p_welch);
    expectClose(r.df, c.df_welch);
  });

  it('differs from the pooled test when group sizes and variances differ', () => {
    // scipy: 7.5721557279526985 (Welch) vs 10.359381021842736 (pooled) for g(120,60) vs g(2880,430)
    expectClose(welchTTest({ n_hit: 120, retained_hit: 60, n_miss: 2880, retained_miss: 430 }).t, 7.5721557279526985);
  });

  it('keeps a p-value near 1e-90 instead of collapsing it to 0', () => {
    const r = welchTTest({ n_hit: 3000, retained_hit: 1550, n_miss: 3000, retained_miss: 800 });
    expect(r.p).toBeGreaterThan(1e-91);
    expect(r.p).toBeLessThan(1e-89);
  });

  // scipy: ttest_ind([1], [1, 0, 0], equal_var=False) -> nan
  it('is undefined (nulls) with fewer than 2 users in a group', () => {
    expect(welchTTest({ n_hit: 1, retained_hit: 1, n_miss: 3, retained_miss: 1 })).toEqual({ t: null, df: null, p: null });
    expect(welchTTest({ n_hit: 0, retained_hit: 0, n_miss: 0, retained_miss: 0 })).toEqual({ t: null, df: null, p: null });
  });

  // scipy: ttest_ind([1, 1], [0, 0, 0], equal_var=False) -> (inf, 0.0); ([1, 1], [1, 1]) -> nan
  it('is undefined (nulls) when both groups have zero variance', () => {
    expect(welchTTest({ n_hit: 2, retained_hit: 2, n_miss: 3, retained_miss: 0 })).toEqual({ t: null, df: null, p: null });
    expect(welchTTest({ n_hit: 4, retained_hit: 4, n_miss: 9, retained_miss: 9 })).toEqual({ t: null, df: null, p: null });
  });
});
