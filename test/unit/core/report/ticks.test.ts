import { describe, expect, it } from 'vitest';
import { dayTicks } from '../../../../functions/core/report/day-ticks';
import { logCeil125, logFloor125, logTicks, niceTicks, tickStep } from '../../../../functions/core/report/ticks';

describe('tickStep (d3-array tickIncrement rule)', () => {
  it.each([
    // raw = span/count; mantissa thresholds √50≈7.07, √10≈3.16, √2≈1.41
    [294, 5, 50], // raw 58.8 → mantissa 5.88 ≥ 3.16 → 5·10
    [1, 5, 0.2], // raw 0.2 → mantissa 2 ≥ 1.41 → 2·0.1
    [10, 5, 2], // raw 2 → 2
    [100, 10, 10], // raw 10 → mantissa 1 → 1·10
    [75, 10, 10], // raw 7.5 → mantissa 7.5 ≥ 7.07 → 10
  ])('span %d / %d → %d', (span, count, step) => expect(tickStep(span, count)).toBeCloseTo(step, 12));
});

describe('niceTicks', () => {
  it('covers the data with whole steps', () => {
    expect(niceTicks(1044, 1338, 5)).toEqual({ domain: [1000, 1350], ticks: [1000, 1050, 1100, 1150, 1200, 1250, 1300, 1350] });
  });
  it('has no binary noise on decimal steps', () => {
    expect(niceTicks(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.1, 0.35, 5).ticks).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });
  it('handles negative ranges and zero crossings', () => {
    expect(niceTicks(-7, 3, 5).ticks).toEqual([-8, -6, -4, -2, 0, 2, 4]);
    expect(Object.is(niceTicks(-1, 1, 2).ticks[1], -0)).toBe(false);
  });
  it('pads a single value by 10% (or ±1 around zero)', () => {
    // padded to [450, 550]; step 100/5 = 20, so whole steps give [440, 560]
    expect(niceTicks(500, 500, 5).domain).toEqual([440, 560]);
    expect(niceTicks(0, 0, 2).domain).toEqual([-1, 1]);
  });
  it('falls back instead of failing on unusable input', () => {
    expect(niceTicks(Number.NaN, 1)).toEqual(niceTicks(0, 1));
    const huge = niceTicks(-Number.MAX_VALUE, Number.MAX_VALUE);
    expect(huge.ticks).toEqual([-Number.MAX_VALUE, Number.MAX_VALUE]);
    const big = niceTicks(0, 1e15, 5);
    expect(big.ticks).toEqual([0, 2e14, 4e14, 6e14, 8e14, 1e15]);
  });
});

describe('log axis helpers', () => {
  it('rounds to the 1-2-5 sequence', () => {
    expect([logFloor125(0.909), logFloor125(3.7), logFloor125(1), logFloor125(7)]).toEqual([0.5, 2, 1, 5]);
    expect([logCeil125(3.68), logCeil125(5.86), logCeil125(2), logCeil125(0.3)]).toEqual([5, 10, 2, 0.5]);
  });
  it('ticks 1-2-5 over up to 2.5 decades, powers of ten beyond', () => {
    expect(logTicks(0.5, 10)).toEqual([0.5, 1, 2, 5, 10]);
    expect(logTicks(0.001, 1000)).toEqual([0.001, 0.01, 0.1, 1, 10, 100, 1000]);
    expect(logTicks(0, 10)).toEqual([]);
  });
});

describe('dayTicks', () => {
  it('uses every other Monday over 90 nights with at most 8 labels', () => {
    const t = dayTicks('2026-08-19', '2026-11-17', 8);
    expect(t.map((x) => x.day)).toEqual(['2026-08-31', '2026-09-14', '2026-09-28', '2026-10-12', '2026-10-26', '2026-11-09']);
    expect(t[0]?.label).toBe('31 Aug');
    for (const x of t) expect(new Date(`${x.day}T00:00:00Z`).getUTCDay()).toBe(1);
  });
  it('switches to months when weeks would crowd', () => {
    expect(dayTicks('2026-08-19', '2026-11-17', 4).map((x) => x.label)).toEqual(['Sep 2026', 'Oct 2026', 'Nov 2026']);
  });
  it('labels every day of a short window and a single day', () => {
    expect(dayTicks('2026-11-15', '2026-11-17', 8).map((x) => x.label)).toEqual(['15 Nov', '16 Nov', '17 Nov']);
    expect(dayTicks('2026-11-17', '2026-11-17', 8)).toEqual([{ day: '2026-11-17', label: '17 Nov' }]);
    expect(dayTicks('2026-11-18', '2026-11-17', 8)).toEqual([]);
  });
  it('keeps the same ticks when the window moves by a night', () => {
    const a = dayTicks('2026-08-19', '2026-11-17', 8).map((x) => x.day);
    const b = dayTicks('2026-08-20', '2026-11-18', 8).map((x) => x.day);
    expect(b).toEqual(a);
  });
});
