import { describe, expect, it } from 'vitest';
import { scaleLinear } from '../../../../functions/core/report/scale-linear';
import { scaleLog } from '../../../../functions/core/report/scale-log';
import { scaleTime } from '../../../../functions/core/report/scale-time';

describe('scaleLinear', () => {
  it('maps the domain onto the range, inverted ranges included', () => {
    const y = scaleLinear([0, 10], [62, 20]);
    expect([y(0), y(5), y(10), y(-5)]).toEqual([62, 41, 20, 83]);
  });
  it('maps a degenerate domain to the middle of the range', () => {
    expect(scaleLinear([5, 5], [0, 100])(5)).toBe(50);
    expect(scaleLinear([5, 5], [0, 100])(1e9)).toBe(50);
  });
  it('stays finite for domains whose width overflows a double', () => {
    const s = scaleLinear([-Number.MAX_VALUE, Number.MAX_VALUE], [0, 100]);
    expect(s(0)).toBe(50);
    expect(s(Number.MAX_VALUE)).toBe(100);
    expect(s(-Number.MAX_VALUE)).toBe(0);
  });
  it('never returns NaN or Infinity', () => {
    const s = scaleLinear([0, 1], [0, 100]);
    expect(s(Number.NaN)).toBe(50);
    expect(s(Infinity)).toBe(100);
    expect(s(-Infinity)).toBe(0);
    expect(Number.isFinite(s(Number.MAX_VALUE))).toBe(true);
    expect(scaleLinear([Number.NaN, 1], [0, 10])(0.5)).toBe(5);
  });
});

describe('scaleLog', () => {
  it('puts ratios symmetric around 1', () => {
    const x = scaleLog([0.5, 2], [0, 100]);
    expect(x(1)).toBeCloseTo(50, 12);
    expect(x(0.5)).toBe(0);
    expect(x(2)).toBeCloseTo(100, 12);
  });
  it('is linear in log: 10 sits at one third of [1, 1000]', () => {
    expect(scaleLog([1, 1000], [0, 300])(10)).toBeCloseTo(100, 12);
  });
  it('clamps values outside the domain, zero and negatives to the low end', () => {
    const x = scaleLog([0.5, 2], [0, 100]);
    expect([x(0), x(-3), x(Number.NaN), x(0.1)]).toEqual([0, 0, 0, 0]);
    expect(x(50)).toBeCloseTo(100, 12);
  });
  it('maps an unusable domain to the middle', () => {
    expect(scaleLog([0, 2], [0, 100])(1)).toBe(50);
    expect(scaleLog([2, 2], [0, 100])(1)).toBe(50);
  });
});

describe('scaleTime', () => {
  it('is linear in whole days, across a DST change and a month end', () => {
    const x = scaleTime('2026-10-24', '2026-11-03', [0, 100]);
    expect(x('2026-10-24')).toBe(0);
    expect(x('2026-10-29')).toBe(50);
    expect(x('2026-11-03')).toBe(100);
  });
  it('puts a one-day domain in the middle', () => {
    expect(scaleTime('2026-11-17', '2026-11-17', [10, 110])('2026-11-17')).toBe(60);
  });
});
