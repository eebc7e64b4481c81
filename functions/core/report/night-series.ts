/**
 * The nights a day chart shows (the line chart and the sparkline draw the same data): the window
 * of days, the point of each night in it, and those points as SVG coordinates. One place, so both
 * charts agree on which nights are in range and which ones are gaps.
 */
import { dayRange } from '../dates';
import type { BandPt, Pt } from './svg';

/** One night; every number may be missing. */
export interface LinePoint {
  dt: string;
  value: number | null;
  baseline?: number | null;
  low?: number | null;
  high?: number | null;
  change_pct?: number | null;
  drop?: boolean;
}

/** A number that can be drawn (not missing, not NaN or ±Infinity). */
export const fin = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export interface NightWindow {
  /** First and last day, in order even if the caller swapped them. */
  from: string;
  to: string;
  /** Every day from `from` to `to`, both included. */
  days: string[];
  /** The points inside the window by day; a later point for the same day wins. */
  byDay: Map<string, LinePoint>;
}

/** The days from `from` to `to` (either order) and the points that fall on them. */
export function nightWindow(points: readonly LinePoint[], from: string, to: string): NightWindow {
  const first = from <= to ? from : to;
  const last = from <= to ? to : from;
  const byDay = new Map<string, LinePoint>();
  for (const p of points) if (p.dt >= first && p.dt <= last) byDay.set(p.dt, p);
  return { from: first, to: last, days: dayRange(first, last), byDay };
}

/** `pick` of each day's point as an SVG point; `null` (a gap in the line) where it is missing. */
export function seriesPts(
  w: NightWindow,
  x: (day: string) => number,
  y: (v: number) => number,
  pick: (p: LinePoint) => number | null | undefined,
): Pt[] {
  return w.days.map((d) => {
    const p = w.byDay.get(d);
    const v = p ? pick(p) : undefined;
    return fin(v) ? { x: x(d), y: y(v) } : null;
  });
}

/** The baseline band (`low`..`high`) of each day; `null` where either end is missing. */
export function bandPts(w: NightWindow, x: (day: string) => number, y: (v: number) => number): BandPt[] {
  return w.days.map((d) => {
    const p = w.byDay.get(d);
    return p && fin(p.low) && fin(p.high) ? { x: x(d), y0: y(p.low), y1: y(p.high) } : null;
  });
}
