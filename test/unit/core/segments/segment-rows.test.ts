import { describe, expect, it } from 'vitest';
import { metricSegmentRows, type SegmentNight, topSegments } from '../../../../functions/core/segments/segment-rows';

const DT = '2024-03-31';
const seg = (entries: Record<string, number>) => new Map(Object.entries(entries));
const night = (metric: number | null, byDimension: Record<string, Record<string, number>> | null): SegmentNight => ({
  metric,
  segments: byDimension === null ? null : new Map(Object.entries(byDimension).map(([d, s]) => [d, seg(s)])),
});
const pick = (rows: ReturnType<typeof metricSegmentRows>, dimension: string, segment: string) =>
  rows.find((r) => r.dimension === dimension && r.segment === segment);

describe('metricSegmentRows: one platform falls', () => {
  // Four baseline nights: ios 40%, android 40%, web 20% of the metric every night; country de 50%,
  // the named-out values 30% as (other), rows without a country 20% as (none).
  const split = (y: number) => ({
    platform: { ios: 0.4 * y, android: 0.4 * y, web: 0.2 * y },
    country: { de: 0.5 * y, '(other)': 0.3 * y, '(none)': 0.2 * y },
  });
  const history = [100, 100, 120, 80].map((y) => night(y, split(y)));
  // Tonight the metric falls from its baseline B = median(100, 100, 120, 80) = 100 to 70, all of it on android.
  const rows = metricSegmentRows({
    dt: DT,
    metricId: 'messages',
    dimensions: ['platform', 'country'],
    value: 70,
    baseline: 100,
    tonight: new Map([
      ['platform', seg({ ios: 40, android: 10, web: 20 })],
      ['country', seg({ de: 35, '(other)': 21, '(none)': 14 })],
    ]),
    history,
  });

  it('gives the fallen segment its usual share as baseline and the whole fall as contribution', () => {
    // baseline_share = 100 * (40+40+48+32) / (100+100+120+80) = 40; baseline = 40% of 100 = 40;
    // change = 10 - 40 = -30; change_pct = -75; share = 100 * 10/70; contribution = 100 * -30 / (70 - 100) = 100;
    // score = |100| + |14.2857 - 40| = 125.714...
    const android = pick(rows, 'platform', 'android')!;
    expect(android).toMatchObject({
      dt: DT,
      metric_id: 'messages',
      value: 10,
      baseline: 40,
      change: -30,
      change_pct: -75,
      baseline_share_pct: 40,
      contribution_pct: 100,
      rank: 1,
    });
    expect(android.share_pct).toBeCloseTo(100 / 7, 12);
    expect(android.score).toBeCloseTo(100 + (40 - 100 / 7), 12);
  });

  it('gives the segments that held steady no part of the fall, but a score for their share shift', () => {
    // ios: baseline 40, change 0, share 100 * 40/70 = 57.14 against 40: score 17.14.
    const ios = pick(rows, 'platform', 'ios')!;
    expect(ios).toMatchObject({ value: 40, baseline: 40, change: 0, change_pct: 0, contribution_pct: 0 });
    expect(ios.score).toBeCloseTo(400 / 7 - 40, 12);
    const web = pick(rows, 'platform', 'web')!;
    expect(web.score).toBeCloseTo(200 / 7 - 20, 12);
  });

  it('treats (none) and (other) as segments; proportional segments share the fall by their size', () => {
    // Every country segment moved with the metric: contributions 50, 30, 20 (= their shares), and they add up to 100.
    const de = pick(rows, 'country', 'de')!;
    const other = pick(rows, 'country', '(other)')!;
    const none = pick(rows, 'country', '(none)')!;
    expect([de.baseline, other.baseline, none.baseline]).toEqual([50, 30, 20]);
    expect(de.contribution_pct).toBeCloseTo(50, 12);
    expect(other.contribution_pct).toBeCloseTo(30, 12);
    expect(none.contribution_pct).toBeCloseTo(20, 12);
    expect(de.change_pct).toBeCloseTo(-30, 12);
  });

  it('ranks across dimensions by score, lists dimension by dimension, named values before (none) and (other)', () => {
    // Scores: android 125.7, de 50, (other) 30, (none) 20, ios 17.1, web 8.6.
    expect(rows.map((r) => [r.dimension, r.segment, r.rank])).toEqual([
      ['platform', 'android', 1],
      ['platform', 'ios', 5],
      ['platform', 'web', 6],
      ['country', 'de', 2],
      ['country', '(none)', 4],
      ['country', '(other)', 3],
    ]);
    expect(topSegments(rows, ['messages']).map((r) => r.segment)).toEqual(['android', 'de', '(other)']);
  });
});

describe('metricSegmentRows: a segment appears and another vanishes tonight', () => {
  // Two baseline nights of 100: a 60, b 40. Tonight 90: a 80, b gone, c new with 10. B = 100.
  const rows = metricSegmentRows({
    dt: DT,
    metricId: 'signups',
    dimensions: ['platform'],
    value: 90,
    baseline: 100,
    tonight: new Map([['platform', seg({ a: 80, c: 10 })]]),
    history: [night(100, { platform: { a: 60, b: 40 } }), night(100, { platform: { a: 60, b: 40 } })],
  });

  it('reports the vanished segment at 0: its whole baseline is its change', () => {
    // b: baseline 40% of 100 = 40; change -40 (-100%); contribution 100 * -40 / (90 - 100) = 400; score 400 + |0 - 40| = 440.
    expect(pick(rows, 'platform', 'b')).toEqual({
      dt: DT,
      metric_id: 'signups',
      dimension: 'platform',
      segment: 'b',
      value: 0,
      baseline: 40,
      change: -40,
      change_pct: -100,
      share_pct: 0,
      baseline_share_pct: 40,
      contribution_pct: 400,
      score: 440,
      rank: 1,
    });
  });

  it('gives the new segment a usual share of 0: a baseline of 0 and no relative change', () => {
    // c: baseline 0, change +10, change_pct null (relative to 0), contribution 100 * 10 / -10 = -100, score 100 + 11.1.
    const c = pick(rows, 'platform', 'c')!;
    expect(c).toMatchObject({
      value: 10,
      baseline: 0,
      change: 10,
      change_pct: null,
      baseline_share_pct: 0,
      contribution_pct: -100,
      rank: 3,
    });
    expect(c.score).toBeCloseTo(100 + 100 / 9, 12);
  });

  it("contributions of an additive metric's segments add up to 100", () => {
    // a: baseline 60, change +20, contribution -200.
    expect(pick(rows, 'platform', 'a')!.contribution_pct).toBe(-200);
    expect(rows.reduce((s, r) => s + (r.contribution_pct ?? 0), 0)).toBeCloseTo(100, 12);
  });
});

describe('metricSegmentRows: edges', () => {
  it('uses only baseline nights that recorded segments (a night before segments were turned on counts for nothing)', () => {
    const rows = metricSegmentRows({
      dt: DT,
      metricId: 'm',
      dimensions: ['platform'],
      value: 50,
      baseline: 100,
      tonight: new Map([['platform', seg({ a: 50 })]]),
      // The night without segments (metric 1000) must not dilute a's share: 100 * 30 / 60 = 50, not 100 * 30 / 1060.
      history: [night(60, { platform: { a: 30, b: 30 } }), night(1000, null), night(null, { platform: { a: 999 } })],
    });
    expect(pick(rows, 'platform', 'a')).toMatchObject({ baseline_share_pct: 50, baseline: 50, change: 0 });
    expect(pick(rows, 'platform', 'b')).toMatchObject({ value: 0, baseline_share_pct: 50, baseline: 50, contribution_pct: 100 });
  });

  it('without segment history has values and shares, but no baseline, contribution, score or rank', () => {
    const rows = metricSegmentRows({
      dt: DT,
      metricId: 'm',
      dimensions: ['platform'],
      value: 80,
      baseline: 100,
      tonight: new Map([['platform', seg({ a: 60, '(none)': 20 })]]),
      history: [night(100, null)],
    });
    expect(rows).toEqual([
      expect.objectContaining({
        segment: 'a',
        value: 60,
        share_pct: 75,
        baseline: null,
        change: null,
        contribution_pct: null,
        score: null,
        rank: null,
      }),
      expect.objectContaining({ segment: '(none)', value: 20, share_pct: 25, baseline: null, rank: null }),
    ]);
  });

  it('with a metric baseline of 0 has no baseline share, contribution or rank', () => {
    const rows = metricSegmentRows({
      dt: DT,
      metricId: 'm',
      dimensions: ['platform'],
      value: 5,
      baseline: 0,
      tonight: new Map([['platform', seg({ a: 5 })]]),
      history: [night(0, { platform: {} }), night(0, { platform: {} })],
    });
    expect(rows).toEqual([
      expect.objectContaining({ segment: 'a', value: 5, share_pct: 100, baseline_share_pct: null, baseline: null, rank: null }),
    ]);
  });

  it('leaves segments under 1% both tonight and usually out of the ranking, and zero-zero segments out of the file', () => {
    const rows = metricSegmentRows({
      dt: DT,
      metricId: 'm',
      dimensions: ['platform'],
      value: 100,
      baseline: 200,
      tonight: new Map([['platform', seg({ a: 99.5, tiny: 0.5, nothing: 0 })]]),
      history: [night(200, { platform: { a: 199, tiny: 1, gone_long_ago: 0 } })],
    });
    expect(rows.map((r) => [r.segment, r.rank])).toEqual([
      ['a', 1],
      ['tiny', null],
    ]);
    // tiny: 0.5% tonight, 0.5% usually (1 of 200): baseline 1, change -0.5, contribution 100 * -0.5 / -100 = 0.5,
    // score 0.5 + |0.5 - 0.5| = 0.5: scored but not ranked.
    expect(pick(rows, 'platform', 'tiny')!.score).toBeCloseTo(0.5, 12);
  });
});

describe('metricSegmentRows: a value that enters the named list tonight (it was inside (other) before)', () => {
  // max_values 2. Four baseline nights of 60: de 30, it 15, and (other) 15 = fr 11 + es 4 (fr not named then).
  // Tonight de falls to 10 and fr (11) enters the top 2, so fr is named and (other) is es alone (4): Y = 40, B = 60.
  const before = { country: { de: 30, it: 15, '(other)': 15 } };
  const tonight = new Map([['country', seg({ de: 10, it: 15, fr: 11, '(other)': 4 })]]);
  const input = { dt: DT, metricId: 'm', dimensions: ['country'], value: 40, baseline: 60, tonight };

  it('gives fr no baseline (its history is inside (other)) and (other) none (its members changed), so neither is ranked', () => {
    // Read naively, fr would have a usual share of 0 (baseline 0, +11, -55% of the fall) and (other) would
    // lose 11 (+55%): two segments that did not move, ranked 2 and 3, in a drop alert's top 3.
    const rows = metricSegmentRows({ ...input, history: [1, 2, 3, 4].map(() => night(60, before)) });
    expect(pick(rows, 'country', 'fr')).toMatchObject({
      value: 11,
      baseline_share_pct: null,
      baseline: null,
      change: null,
      contribution_pct: null,
      score: null,
      rank: null,
    });
    expect(pick(rows, 'country', '(other)')).toMatchObject({ value: 4, baseline: null, contribution_pct: null, rank: null });
    // de: 50% usually, baseline 30, change -20 = the whole fall; it: 25%, baseline 15, no change, score |37.5 - 25|.
    expect(pick(rows, 'country', 'de')).toMatchObject({ baseline: 30, change: -20, contribution_pct: 100, rank: 1 });
    expect(pick(rows, 'country', 'it')).toMatchObject({ baseline: 15, change: 0, contribution_pct: 0, score: 12.5, rank: 2 });
  });

  it('uses the baseline nights on which fr was named, for fr and for (other)', () => {
    // Two nights named fr (de 30, it 15, fr 11, (other) 4); two did not. fr: 100 * 22 / 120 = 18.33% of B = 11, no
    // change; (other): 100 * 8 / 120 = 6.67% of B = 4, no change. de keeps all four nights.
    const named = { country: { de: 30, it: 15, fr: 11, '(other)': 4 } };
    const history = [night(60, named), night(60, before), night(60, named), night(60, before)];
    const rows = metricSegmentRows({ ...input, history });
    const fr = pick(rows, 'country', 'fr')!;
    expect(fr.baseline_share_pct).toBeCloseTo((100 * 22) / 120, 12);
    expect(fr.baseline).toBeCloseTo(11, 12);
    expect(fr.contribution_pct).toBeCloseTo(0, 12);
    const other = pick(rows, 'country', '(other)')!;
    expect(other.baseline).toBeCloseTo(4, 12);
    expect(other.contribution_pct).toBeCloseTo(0, 12);
    expect(pick(rows, 'country', 'de')).toMatchObject({ baseline: 30, contribution_pct: 100, rank: 1 });
  });

  it('still reads a value new tonight as appeared (usual share 0) when the baseline nights folded nothing into (other)', () => {
    const rows = metricSegmentRows({ ...input, history: [night(60, { country: { de: 30, it: 30 } })] });
    expect(pick(rows, 'country', 'fr')).toMatchObject({ baseline_share_pct: 0, baseline: 0, change: 11 });
    expect(pick(rows, 'country', '(other)')).toMatchObject({ baseline_share_pct: 0, baseline: 0, change: 4 });
  });
});

describe('metricSegmentRows: a metric that did not move', () => {
  it('has no contribution (no fall to share); the score is the mix shift alone, still ranked', () => {
    // Y = B = 100; usually a 50 / b 50, tonight a 70 / b 30: shares shift by 20 points each way.
    const rows = metricSegmentRows({
      dt: DT,
      metricId: 'm',
      dimensions: ['platform'],
      value: 100,
      baseline: 100,
      tonight: new Map([['platform', seg({ a: 70, b: 30 })]]),
      history: [night(100, { platform: { a: 50, b: 50 } })],
    });
    expect(pick(rows, 'platform', 'a')).toMatchObject({ baseline: 50, change: 20, contribution_pct: null, score: 20, rank: 1 });
    expect(pick(rows, 'platform', 'b')).toMatchObject({ baseline: 50, change: -20, contribution_pct: null, score: 20, rank: 2 });
  });
});

describe('metricSegmentRows: the 1% floor takes both volumes', () => {
  it('ranks a segment under 1% tonight that usually is 10% (it vanished), and one usually 0 that is 10% tonight', () => {
    const rows = metricSegmentRows({
      dt: DT,
      metricId: 'm',
      dimensions: ['platform'],
      value: 100,
      baseline: 100,
      tonight: new Map([['platform', seg({ a: 89.5, fading: 0.5, rising: 10 })]]),
      history: [night(100, { platform: { a: 90, fading: 10 } })],
    });
    expect(pick(rows, 'platform', 'fading')!.rank).not.toBeNull();
    expect(pick(rows, 'platform', 'rising')!.rank).not.toBeNull();
  });
});
