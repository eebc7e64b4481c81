/** Summaries of repeated timings: the median is the figure, the minimum the least-disturbed run. */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median of `values` (mean of the two middle values for an even count); throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** n, median, min and max of `values`; throws on an empty list. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summary of an empty list');
  return { n: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** `a / b`, or null when either is missing or `b` is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

/**
 * Per-round ratios `a[i] / b[i]` of two series timed in the same interleaved rounds, so that a
 * slow spell of the shared machine hits both sides of a ratio alike. Rounds missing either side
 * (or with `b[i]` = 0) are skipped.
 */
export function pairedRatios(a: readonly (number | null)[], b: readonly (number | null)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const r = ratio(a[i], b[i]);
    if (r !== null) out.push(r);
  }
  return out;
}

/**
 * One-sided sign test: the chance of at least `wins` heads in `n` fair coin flips, i.e. of one
 * side winning that many rounds if neither were really faster. Exact binomial sum.
 */
export function signTestP(wins: number, n: number): number {
  if (!Number.isInteger(wins) || !Number.isInteger(n) || n < 0 || wins < 0 || wins > n) throw new RangeError(`signTestP(${wins}, ${n})`);
  let p = 0;
  let c = 1; // C(n, 0)
  for (let k = 0; k <= n; k++) {
    if (k >= wins) p += c;
    c = (c * (n - k)) / (k + 1);
  }
  return p / 2 ** n;
}
