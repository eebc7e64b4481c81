import { describe, expect, it } from 'vitest';
import type { CandidatesConfig } from '../../../../functions/core/config/types';
import type { SweepRow } from '../../../../functions/core/results/rows';
import { markBest } from '../../../../functions/core/sweep/best';
import { sweepCells } from '../../../../functions/core/sweep/cells';
import { evaluateSweep } from '../../../../functions/core/sweep/evaluate';
import type { SweepCounts } from '../../../../functions/core/sweep/parse-counts';
import { expectClose } from '../stats/expect-close';

const CONFIG: CandidatesConfig = {
  cohort: { entry_event: 'signed_up', cohort_days: 28 },
  retention: { day: 90, window_days: 7 },
  min_lift: 2,
  max_p: 0.01,
  actions: [
    { id: 'a', event: 'posted', within_days: 7 },
    { id: 'b', event: 'shared', within_days: 7 },
  ],
  sweep: { min_count: [1, 3], within_days: [3, 7] },
};

/** Per cell in cell order (a: (1,3) (1,7) (3,3) (3,7), then b): n_hit, retained_hit, n_miss, retained_miss. */
const TABLES: [number, number, number, number][] = [
  [700, 238, 300, 45],
  [850, 272, 150, 11],
  [120, 84, 880, 199],
  [310, 186, 690, 97],
  [1000, 283, 0, 0], // everyone hit: no test
  [1000, 283, 0, 0],
  [1, 1, 999, 282], // one hitter: no test
  [480, 140, 520, 143],
];

function counts(): SweepCounts[] {
  return sweepCells(CONFIG).map((cell, i) => {
    const [nHit, rHit, nMiss, rMiss] = TABLES[i]!;
    return {
      cell,
      candidate_id: cell.candidate_id,
      cohort_size: 1000,
      n_hit: nHit,
      retained_hit: rHit,
      n_miss: nMiss,
      retained_miss: rMiss,
    };
  });
}

/*
 * Expected values from /usr/bin/python3 (scipy 1.10.1, numpy 1.24, Debian), per testable cell with 0/1 arrays
 * hit = np.r_[np.ones(retained_hit), np.zeros(n_hit - retained_hit)], miss likewise:
 *   t, p = scipy.stats.ttest_ind(hit, miss, equal_var=False)
 *   phi = np.corrcoef(np.r_[np.ones(n_hit), np.zeros(n_miss)], outcomes)[0, 1]
 * and the q-values over the whole grid of 8 cells, the 3 untestable ones counting as p = 1:
 *   o = np.argsort(p); q = p[o]*m/np.arange(1, m+1); q = np.minimum.accumulate(q[::-1])[::-1]   with p = tested + [1.0]*3, m = 8
 */
const EXPECTED: Record<number, { t: number; p: number; phi: number; q: number }> = {
  0: { t: 6.949636785306667, p: 8.047614997553061e-12, phi: 0.193290474734391, q: 1.6095229995106122e-11 },
  1: { t: 9.24176422709546, p: 2.5758273100353474e-18, phi: 0.19552971254389404, q: 6.8688728267609265e-18 },
  2: { t: 10.693143292067528, p: 4.1951861382647607e-20, phi: 0.34184760875209996, q: 1.6780744553059043e-19 },
  3: { t: 14.889503445220601, p: 4.099639006393644e-41, phi: 0.4716966242399546, q: 3.279711205114915e-40 },
  7: { t: 0.583642591310796, p: 0.559593940983802, phi: 0.018484948482169604, q: 0.8953503055740832 },
};

describe('evaluateSweep', () => {
  const rows = evaluateSweep(counts(), CONFIG, '2026-06-30');

  it('writes one row per cell in cell order, with the cell and its counts', () => {
    expect(rows.map((r) => [r.candidate_id, r.event, r.min_count, r.within_days])).toEqual([
      ['a', 'posted', 1, 3],
      ['a', 'posted', 1, 7],
      ['a', 'posted', 3, 3],
      ['a', 'posted', 3, 7],
      ['b', 'shared', 1, 3],
      ['b', 'shared', 1, 7],
      ['b', 'shared', 3, 3],
      ['b', 'shared', 3, 7],
    ]);
    expect(rows[3]).toMatchObject({ dt: '2026-06-30', n_hit: 310, retained_hit: 186, n_miss: 690, retained_miss: 97 });
  });

  it('matches scipy for Welch and phi, and BH over every cell of every action (untested cells count in m)', () => {
    for (const [i, e] of Object.entries(EXPECTED)) {
      const r = rows[Number(i)]!;
      expectClose(r.t_welch, e.t, 1e-9);
      expectClose(r.p_welch, e.p, 1e-9);
      expectClose(r.phi, e.phi, 1e-12);
      expectClose(r.q_value, e.q, 1e-9);
    }
  });

  it('gives degenerate cells values, not errors: everyone hit, a single hitter', () => {
    const everyone = rows[4]!;
    expect(everyone).toMatchObject({
      share: 1,
      rate_miss: null,
      lift: null,
      phi: null,
      npv: null,
      t_welch: null,
      p_welch: null,
      q_value: null,
      best: false,
    });
    expectClose(everyone.ppv, 0.283, 1e-12);
    expect(everyone.sensitivity).toBe(1);
    expect(everyone.specificity).toBe(0);
    const single = rows[6]!;
    expect(single).toMatchObject({ n_hit: 1, ppv: 1, p_welch: null, q_value: null, best: false });
    expect(single.phi).not.toBeNull();
  });

  it('has ppv = rate_hit and npv = 1 − rate_miss on every cell', () => {
    for (const r of rows) {
      expect(r.ppv).toBe(r.rate_hit);
      if (r.rate_miss === null) expect(r.npv).toBeNull();
      else expectClose(r.npv, 1 - r.rate_miss, 1e-12);
    }
  });

  it('marks one best cell per action: (3, 7) for a, none for b (its only tested cell has q ≥ max_p)', () => {
    expect(rows.filter((r) => r.best).map((r) => [r.candidate_id, r.min_count, r.within_days])).toEqual([['a', 3, 7]]);
  });
});

describe('markBest', () => {
  const row = (id: string, phi: number | null, q: number | null, share: number | null): SweepRow =>
    ({ candidate_id: id, phi, q_value: q, share, best: true }) as SweepRow;

  it('skips cells too rare or too common, not significant, or negatively associated; keeps the first of equal phis', () => {
    const rows = [
      row('a', 0.9, 1e-9, 0.04), // too rare
      row('a', 0.8, 1e-9, 0.96), // too common
      row('a', 0.7, 0.02, 0.5), // q not below max_p
      row('a', 0.3, 1e-9, 0.05), // qualifies (share at the lower bound)
      row('a', 0.3, 1e-9, 0.95), // a tie: the first one wins
      row('b', -0.6, 1e-9, 0.5), // hitters retain worse: no target
      row('c', null, null, 0.5),
    ];
    expect(markBest(rows, 0.01).map((r) => r.best)).toEqual([false, false, false, true, false, false, false]);
  });
});
