import { describe, expect, it } from 'vitest';
import type { CandidateCounts } from '../../../../functions/core/candidates/counts';
import { evaluateCandidates } from '../../../../functions/core/candidates/evaluate';
import { candidatesSection } from '../../../../functions/core/candidates/section';
import type { CandidatesConfig } from '../../../../functions/core/config/types';
import { expectClose } from '../stats/expect-close';
import { REFERENCE_CASES } from '../stats/reference-cases';

const DT = '2026-06-30';
const COHORT = { start: '2026-03-05', end: '2026-04-01' };

function config(ids: string[], overrides: Partial<CandidatesConfig> = {}): CandidatesConfig {
  return {
    cohort: { entry_event: 'signed_up', cohort_days: 28 },
    retention: { day: 90, window_days: 7 },
    min_lift: 2,
    max_p: 0.01,
    actions: ids.map((id) => ({ id, event: `${id}_event`, within_days: 7 })),
    ...overrides,
  };
}

const counts = (candidate_id: string, n_hit: number, retained_hit: number, n_miss: number, retained_miss: number): CandidateCounts => ({
  candidate_id,
  cohort_size: n_hit + n_miss,
  n_hit,
  retained_hit,
  n_miss,
  retained_miss,
});

describe('evaluateCandidates', () => {
  const ids = REFERENCE_CASES.map((_, i) => `c${i}`);
  const rows = evaluateCandidates(
    REFERENCE_CASES.map((c, i) => counts(ids[i]!, c.table.n_hit, c.table.retained_hit, c.table.n_miss, c.table.retained_miss)),
    config(ids),
    DT,
    COHORT,
  );
  const byId = new Map(rows.map((r) => [r.candidate_id, r]));

  it('fills every field of candidates.jsonl, in the contract order', () => {
    expect(Object.keys(rows[0]!)).toEqual([
      'dt',
      'candidate_id',
      'event',
      'within_days',
      'cohort_start',
      'cohort_end',
      'n_hit',
      'n_miss',
      'retained_hit',
      'retained_miss',
      'rate_hit',
      'rate_miss',
      'share',
      'lift',
      'lift_ci_low',
      'lift_ci_high',
      't_student',
      'p_student',
      't_welch',
      'df_welch',
      'p_welch',
      'q_value',
      'phi',
      'verdict',
      'rank',
    ]);
    const r = byId.get('c0')!; // balanced: g(500,150) vs g(500,100)
    expect(r).toMatchObject({ dt: DT, event: 'c0_event', within_days: 7, cohort_start: COHORT.start, cohort_end: COHORT.end });
    expect(r).toMatchObject({ n_hit: 500, retained_hit: 150, n_miss: 500, retained_miss: 100, rate_hit: 0.3, rate_miss: 0.2, share: 0.5 });
    expectClose(r.lift, 1.5, 1e-12);
    expectClose(r.lift_ci_low, 1.2030721851062567); // Katz by hand, see katz-lift-ci.test.ts
    expectClose(r.phi, 0.11547005383792515, 1e-12); // np.corrcoef, see phi-coefficient.test.ts
  });

  it.each(REFERENCE_CASES.map((c, i) => [c.name, i] as const))('carries scipy t tests for %s', (_, i) => {
    const c = REFERENCE_CASES[i]!;
    const r = byId.get(`c${i}`)!;
    expectClose(r.t_student, c.t_student);
    expectClose(r.p_student, c.p_student);
    expectClose(r.t_welch, c.t_welch);
    expectClose(r.p_welch, c.p_welch);
    expectClose(r.df_welch, c.df_welch);
  });

  it('computes BH q-values from p_welch over the night’s actions', () => {
    // statsmodels multipletests([p_welch of the 8 cases], method='fdr_bh')[1], same as scipy's false_discovery_control:
    // p = [2.5327758369459265e-04, 7.284936856681755e-12, 0.3734797469866552, 5.004378837459743e-41, 1.0,
    //      8.0305518900517815e-50, 2.017907330356297e-90, 2.645198308477537e-13]
    const expected = [
      0.0003377034449261235, 1.1655898970690808e-11, 0.4268339965561774, 1.3345010233225981e-40, 1.0, 3.2122207560207126e-49,
      1.6143258642850375e-89, 5.290396616955074e-13,
    ];
    for (const [i, id] of ids.entries()) expectClose(byId.get(id)!.q_value, expected[i]!);
  });

  it('gives verdicts and ranks: strong first by lift, then weak by lift', () => {
    // Strong (lift > 2, q < 0.01): extreme (120), one-zero-variance (4), unbalanced (3.35), p1e-50 (2.18).
    // Weak: tiny groups (2.67 but q 0.43), p1e-90 (1.94), balanced (1.5), identical (1).
    expect(rows.map((r) => [REFERENCE_CASES[Number(r.candidate_id.slice(1))]!.name, r.verdict, r.rank])).toEqual([
      ['extreme lift', 'strong', 1],
      ['one zero-variance group', 'strong', 2],
      ['unbalanced', 'strong', 3],
      ['p around 1e-50', 'strong', 4],
      ['tiny groups', 'weak', 5],
      ['p around 1e-90', 'weak', 6],
      ['balanced', 'weak', 7],
      ['identical groups', 'weak', 8],
    ]);
  });

  it('turns degenerate counts into nulls and verdicts, not errors', () => {
    const degenerate = evaluateCandidates(
      [
        counts('one_hit', 1, 1, 99, 10), // a group of 1: no test
        counts('no_miss_retained', 40, 20, 60, 0), // rate_miss = 0: lift null
        counts('flat', 30, 30, 70, 70), // everyone retained: zero variance in both groups
        counts('everyone_hits', 100, 30, 0, 0), // all users hit
        counts('plain', 50, 25, 50, 10),
      ],
      config(['one_hit', 'no_miss_retained', 'flat', 'everyone_hits', 'plain']),
      DT,
      COHORT,
    );
    const d = new Map(degenerate.map((r) => [r.candidate_id, r]));
    expect(d.get('one_hit')).toMatchObject({
      t_student: null,
      p_student: null,
      t_welch: null,
      df_welch: null,
      p_welch: null,
      q_value: null,
      verdict: 'insufficient_data',
    });
    expect(d.get('one_hit')!.lift).toBeCloseTo(1 / 0.10101010101010101, 12);
    expect(d.get('no_miss_retained')).toMatchObject({ rate_miss: 0, lift: null, lift_ci_low: null, lift_ci_high: null, verdict: 'weak' });
    expect(d.get('no_miss_retained')!.p_welch).toBeGreaterThan(0);
    expect(d.get('flat')).toMatchObject({
      lift: 1,
      t_student: null,
      p_student: null,
      t_welch: null,
      p_welch: null,
      q_value: null,
      phi: null,
      verdict: 'weak',
    });
    expect(d.get('flat')!.lift_ci_low).toBe(1); // Katz: se = 0
    expect(d.get('everyone_hits')).toMatchObject({
      share: 1,
      rate_miss: null,
      lift: null,
      phi: null,
      q_value: null,
      verdict: 'insufficient_data',
      rank: 5,
    });
    // The BH family is the two actions with a p-value: q = min(1, 2p / rank).
    const withP = degenerate.filter((r) => r.p_welch !== null);
    expect(withP.map((r) => r.candidate_id).sort()).toEqual(['no_miss_retained', 'plain']);
    const [lo, hi] = [...withP].sort((a, b) => a.p_welch! - b.p_welch!);
    expectClose(lo!.q_value, Math.min(2 * lo!.p_welch!, hi!.p_welch!), 1e-15);
    expectClose(hi!.q_value, hi!.p_welch, 1e-15);
  });

  it('handles a cohort of 0 users', () => {
    const empty = evaluateCandidates([counts('a', 0, 0, 0, 0), counts('b', 0, 0, 0, 0)], config(['a', 'b']), DT, COHORT);
    expect(empty).toEqual([
      expect.objectContaining({
        candidate_id: 'a',
        share: null,
        rate_hit: null,
        rate_miss: null,
        lift: null,
        phi: null,
        q_value: null,
        verdict: 'insufficient_data',
        rank: 1,
      }),
      expect.objectContaining({ candidate_id: 'b', verdict: 'insufficient_data', rank: 2 }),
    ]);
  });

  it('uses the configured thresholds', () => {
    const strict = evaluateCandidates([counts('x', 120, 60, 2880, 430)], config(['x'], { min_lift: 4 }), DT, COHORT);
    expect(strict[0]!.verdict).toBe('weak'); // lift 3.35 <= 4
    const loose = evaluateCandidates([counts('x', 500, 150, 500, 100)], config(['x'], { min_lift: 1.2, max_p: 0.001 }), DT, COHORT);
    expect(loose[0]!.verdict).toBe('strong'); // lift 1.5, q = p_welch = 2.5e-4
  });

  it('throws when an action has no counts or counts are impossible', () => {
    expect(() => evaluateCandidates([counts('a', 1, 0, 1, 0)], config(['a', 'b']), DT, COHORT)).toThrow(/no counts for action "b"/);
    expect(() => evaluateCandidates([counts('a', 1, 2, 1, 0)], config(['a']), DT, COHORT)).toThrow(/retained_hit/);
  });
});

describe('candidatesSection', () => {
  it('wraps the rows with the night’s settings', () => {
    const cfg = config(['a']);
    const rows = evaluateCandidates([counts('a', 10, 5, 20, 5)], cfg, DT, COHORT);
    expect(candidatesSection(cfg, COHORT, 30, rows)).toEqual({
      entry_event: 'signed_up',
      cohort_start: COHORT.start,
      cohort_end: COHORT.end,
      retention_day: 90,
      retention_window_days: 7,
      min_lift: 2,
      max_p: 0.01,
      cohort_size: 30,
      rows,
      sweep: null,
    });
  });
});
