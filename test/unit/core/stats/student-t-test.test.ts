import { describe, expect, it } from 'vitest';
import { studentTTest } from '../../../../functions/core/stats/student-t-test';
import { expectClose } from './expect-close';
import { REFERENCE_CASES } from './reference-cases';

describe('studentTTest', () => {
  it.each(REFERENCE_CASES)('equals scipy.stats.ttest_ind(h, m) on the expanded 0/1 arrays: $name', (c) => {
    const r = studentTTest(c.table);
    expectClose(r.t, c.t_student);
    expectClose(r.p, c.p_student);
    expect(r.df).toBe(c.table.n_hit + c.table.n_miss - 2);
  });

  it('keeps a p-value near 1e-90 instead of collapsing it to 0', () => {
    const r = studentTTest({ n_hit: 3000, retained_hit: 1550, n_miss: 3000, retained_miss: 800 });
    expect(r.p).toBeGreaterThan(1e-91);
    expect(r.p).toBeLessThan(1e-89);
  });

  it('is antisymmetric: swapping the groups flips t and keeps p', () => {
    const a = studentTTest({ n_hit: 120, retained_hit: 60, n_miss: 2880, retained_miss: 430 });
    const b = studentTTest({ n_hit: 2880, retained_hit: 430, n_miss: 120, retained_miss: 60 });
    expectClose(b.t, -(a.t as number), 1e-14);
    expectClose(b.p, a.p, 1e-14);
  });

  // scipy: ttest_ind([1], [1, 0, 0]) -> nan; ttest_ind([], [1, 0]) -> nan
  it.each([
    ['one hit user', { n_hit: 1, retained_hit: 1, n_miss: 3, retained_miss: 1 }],
    ['one miss user', { n_hit: 30, retained_hit: 10, n_miss: 1, retained_miss: 0 }],
    ['no hit user', { n_hit: 0, retained_hit: 0, n_miss: 2, retained_miss: 1 }],
    ['empty cohort', { n_hit: 0, retained_hit: 0, n_miss: 0, retained_miss: 0 }],
  ])('is undefined (nulls) with fewer than 2 users in a group: %s', (_, table) => {
    expect(studentTTest(table)).toEqual({ t: null, df: null, p: null });
  });

  // scipy: ttest_ind([1, 1], [0, 0, 0]) -> (inf, 0.0); ttest_ind([1, 1], [1, 1]) -> nan; ([0, 0], [0, 0, 0]) -> nan
  it.each([
    ['different constant outcomes', { n_hit: 2, retained_hit: 2, n_miss: 3, retained_miss: 0 }],
    ['everyone retained', { n_hit: 2, retained_hit: 2, n_miss: 2, retained_miss: 2 }],
    ['nobody retained', { n_hit: 2, retained_hit: 0, n_miss: 3, retained_miss: 0 }],
  ])('is undefined (nulls) when both groups have zero variance: %s', (_, table) => {
    expect(studentTTest(table)).toEqual({ t: null, df: null, p: null });
  });
});
