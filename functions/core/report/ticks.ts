/**
 * Axis ticks at "nice" values. The step rule is d3-array's `tickIncrement` (Bostock, d3-array
 * `ticks.js`): raw step = span / count, rounded to 1, 2, 5 or 10 × 10^k using the thresholds
 * √50, √10, √2 on the mantissa.
 */

/** A nice domain that contains the data, and its ticks from end to end. */
export interface NiceTicks {
  domain: [number, number];
  ticks: number[];
}

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** The nice step for about `count` intervals over `span` (> 0, finite). */
export function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  return factor * 10 ** power;
}

/** `i · step` without accumulating binary error (`0.1 · 3` → `0.3`, not `0.30000000000000004`). */
function multiple(i: number, step: number): number {
  if (step >= 1) return i * step;
  const inv = Math.round(1 / step);
  return Math.abs(inv * step - 1) < 1e-9 ? i / inv : i * step;
}

/**
 * Nice ticks covering `[min, max]` with about `count` intervals. The domain is widened to whole
 * steps. Degenerate input still gives a usable axis: equal ends are padded by 10% of their size
 * (or by 1 around zero); non-finite ends fall back to `[0, 1]`; a span too large to subdivide in
 * floating point (beyond ~1e308) returns the ends themselves.
 */
export function niceTicks(min: number, max: number, count = 5): NiceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, count);
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const span = hi - lo;
  if (!Number.isFinite(span)) return { domain: [lo, hi], ticks: [lo, hi] };
  const step = tickStep(span, count);
  const i0 = Math.floor(lo / step);
  const i1 = Math.ceil(hi / step);
  if (!Number.isFinite(i0) || !Number.isFinite(i1) || i1 - i0 > 1000) return { domain: [lo, hi], ticks: [lo, hi] };
  const ticks: number[] = [];
  for (let i = i0; i <= i1; i++) ticks.push(multiple(i, step) || 0);
  return { domain: [ticks[0] as number, ticks[ticks.length - 1] as number], ticks };
}

/** The largest value of the 1-2-5 sequence (…, 0.5, 1, 2, 5, 10, …) that is `<= v` (v > 0). */
export function logFloor125(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/** The smallest value of the 1-2-5 sequence that is `>= v` (v > 0). */
export function logCeil125(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 + 1e-12 ? 1 : m <= 2 + 1e-12 ? 2 : m <= 5 + 1e-12 ? 5 : 10) * p;
}

/**
 * Ticks for a log axis over `[lo, hi]` (0 < lo < hi): the 1-2-5 sequence when the domain spans up
 * to 2.5 decades, powers of ten only beyond that (so labels never crowd).
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > lo) || !Number.isFinite(hi)) return [];
  const decades = Math.log10(hi / lo);
  const mults = decades <= 2.5 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of mults) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}
