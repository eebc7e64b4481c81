import { describe, expect, it } from 'vitest';
import { bandPts, fin, type LinePoint, nightWindow, seriesPts } from '../../../../functions/core/report/night-series';

const pts: LinePoint[] = [
  { dt: '2026-01-01', value: 5, baseline: 4, low: 3, high: 6 },
  { dt: '2026-01-02', value: null, low: 3, high: null },
  { dt: '2026-01-03', value: Number.NaN, baseline: 2, low: 1, high: 2 },
  { dt: '2025-12-31', value: 99 },
  { dt: '2026-01-05', value: 8 },
  { dt: '2026-01-01', value: 6, low: 2, high: 7 },
];
// identity-like scales so the expected coordinates read directly off the data
const x = (d: string) => Number(d.slice(8));
const y = (v: number) => v * 10;

describe('nightWindow', () => {
  it('orders a swapped window, lists every day, keeps only points inside (the later one for a day)', () => {
    const w = nightWindow(pts, '2026-01-04', '2026-01-01');
    expect([w.from, w.to]).toEqual(['2026-01-01', '2026-01-04']);
    expect(w.days).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
    expect([...w.byDay.keys()].sort()).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(w.byDay.get('2026-01-01')?.value).toBe(6);
  });
});

describe('seriesPts and bandPts', () => {
  const w = nightWindow(pts, '2026-01-01', '2026-01-04');
  it('map each day to a point, with null for a missing night or a missing/non-finite number', () => {
    expect(seriesPts(w, x, y, (p) => p.value)).toEqual([{ x: 1, y: 60 }, null, null, null]);
    expect(seriesPts(w, x, y, (p) => p.baseline)).toEqual([null, null, { x: 3, y: 20 }, null]);
    expect(bandPts(w, x, y)).toEqual([{ x: 1, y0: 20, y1: 70 }, null, { x: 3, y0: 10, y1: 20 }, null]);
  });
  it('fin accepts finite numbers only', () => {
    expect([0, -1.5, null, undefined, Number.NaN, Infinity, -Infinity].map(fin)).toEqual([true, true, false, false, false, false, false]);
  });
});
