import { madSpread } from './mad';
import { median } from './median';

/** A metric's same-weekday baseline for one night (docs/design.md §2 "Drop detection"). */
export interface Baseline {
  /** How many earlier values were usable (non-null, finite). */
  readonly n: number;
  /** Median of the usable values; null when there are none. */
  readonly baseline: number | null;
  /** MAD × 1.4826 of the usable values; null when there are none. */
  readonly spread: number | null;
}

/**
 * The baseline of a metric from its values on the same weekday of earlier weeks
 * (`D-7, D-14, …, D-7·baseline_weeks`, in any order). Missing nights and null values (a ratio
 * whose denominator was 0, a night that never ran) are skipped, not counted as zero: a zero would
 * drag the median down and invent a drop later. Whether `n` is enough is the caller's rule
 * (see `judgeMetric`), so the baseline of a partial history is still reported for people to read.
 *
 * @example baselineFor([10, null, 12, 11]) // { n: 3, baseline: 11, spread: 1.4826 }
 */
export function baselineFor(values: readonly (number | null | undefined)[]): Baseline {
  const usable = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return { n: usable.length, baseline: median(usable), spread: madSpread(usable) };
}
