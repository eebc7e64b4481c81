/**
 * How far tonight's value moved from its baseline (docs/design.md §2): relative change in percent and
 * the robust z-score. Both are values, never exceptions: what cannot be computed is null.
 */

/**
 * `100 · (value − baseline) / baseline`.
 *
 * @returns null when either side is null or the baseline is 0 (a relative change from zero is
 *   undefined; see `judgeMetric` for how such a night is judged)
 * @example changePct(80, 100) // -20
 */
export function changePct(value: number | null, baseline: number | null): number | null {
  if (value === null || baseline === null || baseline === 0) return null;
  return (100 * (value - baseline)) / baseline;
}

/**
 * Robust z-score `(value − baseline) / spread`, with the median as baseline and MAD × 1.4826 as
 * spread (Iglewicz & Hoaglin 1993 use the same construction for their "modified z-score").
 *
 * @returns null when either side is null or the spread is 0 (every earlier week equal)
 * @example robustZ(80, 100, 5) // -4
 */
export function robustZ(value: number | null, baseline: number | null, spread: number | null): number | null {
  if (value === null || baseline === null || spread === null || spread === 0) return null;
  return (value - baseline) / spread;
}
