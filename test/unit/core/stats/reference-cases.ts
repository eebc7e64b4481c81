/**
 * The seven reference 2×2 tables of the t-test tests, with scipy's answers (Debian python3-scipy
 * 1.10.1, /usr/bin/python3). Each group is expanded to 0/1 arrays:
 *
 *   import numpy as np; from scipy import stats
 *   def g(n, r): return np.r_[np.ones(r), np.zeros(n - r)]
 *   h, m = g(n_hit, retained_hit), g(n_miss, retained_miss)
 *   student = stats.ttest_ind(h, m)                    # -> t_student, p_student
 *   welch   = stats.ttest_ind(h, m, equal_var=False)   # -> t_welch, p_welch
 *   v1, v2 = h.var(ddof=1)/len(h), m.var(ddof=1)/len(m)
 *   df_welch = (v1+v2)**2/(v1**2/(len(h)-1) + v2**2/(len(m)-1))   # scipy's _unequal_var_ttest_denom
 *
 * scipy 1.10 does not return Welch's df; 2*stats.t.sf(abs(welch.statistic), df_welch) reproduces
 * welch.pvalue for every case, which checks the df expression against scipy's own.
 */
import type { TwoByTwo } from '../../../../functions/core/stats/two-by-two';

export interface ReferenceCase {
  readonly name: string;
  readonly table: TwoByTwo;
  readonly t_student: number;
  readonly p_student: number;
  readonly t_welch: number;
  readonly p_welch: number;
  readonly df_welch: number;
}

const table = (n_hit: number, retained_hit: number, n_miss: number, retained_miss: number): TwoByTwo => ({
  n_hit,
  retained_hit,
  n_miss,
  retained_miss,
});

export const REFERENCE_CASES: readonly ReferenceCase[] = [
  // g(500,150) vs g(500,100)
  {
    name: 'balanced',
    table: table(500, 150, 500, 100),
    t_student: 3.672395197481676,
    p_student: 0.0002530406159268168,
    t_welch: 3.672395197481676,
    p_welch: 0.00025327758369459265,
    df_welch: 980.1018651362983,
  },
  // g(120,60) vs g(2880,430)
  {
    name: 'unbalanced',
    table: table(120, 60, 2880, 430),
    t_student: 10.359381021842736,
    p_student: 9.86520235388461e-25,
    t_welch: 7.5721557279526985,
    p_welch: 7.284936856681755e-12,
    df_welch: 124.04816567228099,
  },
  // g(3,2) vs g(4,1)
  {
    name: 'tiny groups',
    table: table(3, 2, 4, 1),
    t_student: 1.0249000771134849,
    p_student: 0.35241319520191294,
    t_welch: 0.9999999999999999,
    p_welch: 0.3734797469866552,
    df_welch: 4.032258064516129,
  },
  // g(200,120) vs g(5000,25): lift 120. Student's p is ~3.7e-747 (mpmath), below the smallest double: 0.
  {
    name: 'extreme lift',
    table: table(200, 120, 5000, 25),
    t_student: 69.68577712830258,
    p_student: 0,
    t_welch: 17.126111616429547,
    p_welch: 5.004378837459743e-41,
    df_welch: 199.32855407877423,
  },
  // g(400,100) vs g(800,200): same rate 0.25
  {
    name: 'identical groups',
    table: table(400, 100, 800, 200),
    t_student: 0,
    p_student: 1,
    t_welch: 0,
    p_welch: 1,
    df_welch: 797.6666673628503,
  },
  // g(1000,490) vs g(4000,900)
  {
    name: 'p around 1e-50',
    table: table(1000, 490, 4000, 900),
    t_student: 17.215605539670396,
    p_student: 1.4306314485111548e-64,
    t_welch: 15.461562740482476,
    p_welch: 8.0305518900517815e-50,
    df_welch: 1367.2558083123433,
  },
  // g(3000,1550) vs g(3000,800)
  {
    name: 'p around 1e-90',
    table: table(3000, 1550, 3000, 800),
    t_student: 20.516946725378087,
    p_student: 1.825448547743296e-90,
    t_welch: 20.516946725378087,
    p_welch: 2.017907330356297e-90,
    df_welch: 5910.5360575909035,
  },
  // g(5,5) vs g(40,10): zero variance in the hit group only (df_welch = n_miss - 1)
  {
    name: 'one zero-variance group',
    table: table(5, 5, 40, 10),
    t_student: 3.785938897200183,
    p_student: 0.0004700759935950775,
    t_welch: 10.816653826391969,
    p_welch: 2.645198308477537e-13,
    df_welch: 39.0,
  },
];
