import { describe, expect, it } from 'vitest';
import {
  closeEnough,
  compareNsmNights,
  compareResults,
  describeDisagreements,
  diffNights,
  type NsmNight,
  type SeedOutput,
} from '../../../bench/agreement';

const seed = (over: Partial<SeedOutput> = {}): SeedOutput => ({
  dt: '2024-06-30',
  rows: 100,
  metrics: { wau: 841, minutes: 832.7198833333334, ratio: 1.0965250965250966 },
  candidates: [{ candidate_id: 'pay_d7', n_hit: 72, n_miss: 368, retained_hit: 38, retained_miss: 52, p_student: 1.801143987801448e-14 }],
  timings_s: { load: 1, metrics: 0.1, candidates: 0.1, total: 1.2 },
  max_rss_kb: 1000,
  ...over,
});

const nsm = (over: Partial<NsmNight> = {}): NsmNight => ({
  metrics: [
    { metric_id: 'wau', value: 841 },
    { metric_id: 'minutes', value: 832.7198833333334 * (1 + 5e-10) },
    { metric_id: 'ratio', value: 1.0965250965250966 },
  ],
  candidates: [
    { candidate_id: 'pay_d7', n_hit: 72, n_miss: 368, retained_hit: 38, retained_miss: 52, p_student: 1.801143987801448e-14 * (1 + 5e-7) },
  ],
  ...over,
});

describe('closeEnough', () => {
  it.each([
    [1, 1, 0, true],
    [1, 1 + 1e-10, 1e-9, true],
    [1, 1 + 2e-9, 1e-9, false],
    [-5, -5.000000004, 1e-9, true],
    [null, null, 1e-9, true],
    [null, Number.NaN, 1e-9, true],
    [null, 0, 1e-9, false],
    [0, 1e-300, 1e-9, false],
  ])('closeEnough(%j, %j, %j) = %j', (a, b, rel, want) => {
    expect(closeEnough(a, b, rel)).toBe(want);
  });
});

describe('compareResults', () => {
  it('agrees within the tolerances (metrics 1e-9, p_student 1e-6 relative)', () => {
    const a = compareResults(nsm(), seed(), true);
    expect(a.verdict).toBe('agree');
    expect(a.checks).toHaveLength(3 + 5);
  });

  it('disagrees on a metric off by more than 1e-9 relative', () => {
    const a = compareResults(nsm({ metrics: [...nsm().metrics.slice(0, 2), { metric_id: 'ratio', value: 1.0965251 }] }), seed(), true);
    expect(a.verdict).toBe('disagree');
    expect(describeDisagreements(a)).toEqual(['metric ratio: nsm 1.0965251 vs seed 1.0965250965250966']);
  });

  it('requires counts to be exact', () => {
    const c = nsm().candidates![0]!;
    const a = compareResults(nsm({ candidates: [{ ...c, retained_miss: 53 }] }), seed(), true);
    expect(describeDisagreements(a)).toEqual(['candidate pay_d7 retained_miss: nsm 53 vs seed 52']);
  });

  it('disagrees on p_student off by more than 1e-6 relative', () => {
    const c = nsm().candidates![0]!;
    const a = compareResults(nsm({ candidates: [{ ...c, p_student: 1.8012e-14 }] }), seed(), true);
    expect(a.verdict).toBe('disagree');
  });

  it('is partial when nsm wrote no candidates although the config has some', () => {
    const a = compareResults(nsm({ candidates: null }), seed(), true);
    expect(a.verdict).toBe('partial');
    expect(a.notes[0]).toContain('no candidates.jsonl');
  });

  it('flags metrics or candidates present on one side only', () => {
    const a = compareResults(nsm({ metrics: [...nsm().metrics, { metric_id: 'extra', value: 1 }], candidates: [] }), seed(), true);
    expect(describeDisagreements(a)).toEqual([
      'metric extra (absent from the seed): nsm 1 vs seed undefined',
      'candidate pay_d7 (absent from nsm): nsm undefined vs seed 72',
    ]);
  });
});

describe('diffNights', () => {
  it('finds nothing between equal nights (metrics within 1e-9 relative)', () => {
    expect(diffNights(nsm(), nsm({ metrics: nsm().metrics.map((m) => ({ ...m, value: m.value! * (1 + 1e-12) })) }))).toEqual([]);
  });

  it('names a metric that moved and a candidate whose counts differ', () => {
    const other = nsm({
      metrics: [{ metric_id: 'wau', value: 840 }, ...nsm().metrics.slice(1)],
      candidates: [{ candidate_id: 'pay_d7', n_hit: 71, n_miss: 369, retained_hit: 38, retained_miss: 52, p_student: null }],
    });
    expect(diffNights(nsm(), other)).toEqual(['metric wau 841 vs 840', 'candidate pay_d7 72/368/38/52 vs 71/369/38/52']);
  });

  it('notices a missing metric and candidates written by one run only', () => {
    expect(diffNights(nsm(), nsm({ metrics: nsm().metrics.slice(0, 2), candidates: null }))).toEqual([
      'metric ratio 1.0965250965250966 vs missing',
      'candidates written by one run only',
      'candidate pay_d7 72/368/38/52 vs missing',
    ]);
  });

  it('looks both ways: what only the second night has is a difference too', () => {
    const extra = nsm({
      metrics: [...nsm().metrics, { metric_id: 'dau', value: 5 }],
      candidates: [
        ...nsm().candidates!,
        { candidate_id: 'invite_d7', n_hit: 1, n_miss: 2, retained_hit: 0, retained_miss: 1, p_student: null },
      ],
    });
    expect(diffNights(nsm(), extra)).toEqual(['metric dau missing vs 5', 'candidate invite_d7 missing vs 1/2/0/1']);
  });
});

describe('compareNsmNights', () => {
  it('pairs JSON with Parquet per history and each first night with its steady night', () => {
    const moved = nsm({ metrics: [{ metric_id: 'wau', value: 840 }, ...nsm().metrics.slice(1)] });
    const comparisons = compareNsmNights([
      { name: 'json-1x', format: 'json', history: 1, steady: nsm(), first: nsm() },
      { name: 'parquet-1x', format: 'parquet', history: 1, steady: moved, first: moved },
      // A lake whose other format was not measured is compared with nothing but itself.
      { name: 'json-2x', format: 'json', history: 2, steady: nsm() },
    ]);
    expect(comparisons.map((c) => [c.what, c.diff])).toEqual([
      ['json and parquet nights at 1×', ['metric wau 841 vs 840']],
      ['json-1x first night (state from the lake) and steady night (incremental state)', []],
      ['parquet-1x first night (state from the lake) and steady night (incremental state)', []],
    ]);
    expect(comparisons[0]).toMatchObject({ metrics: 3, candidates: 1 });
  });
});
