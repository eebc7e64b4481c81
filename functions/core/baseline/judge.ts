import type { Baseline } from './baseline';
import { changePct, robustZ } from './change';

/** The knobs of `alerts` in the config that decide a drop (docs/design.md §2). */
export interface DropThresholds {
  /** A drop needs `change_pct <= -min_drop_pct`. */
  readonly min_drop_pct: number;
  /** …and `robust_z <= -min_robust_z` (or a spread of 0). */
  readonly min_robust_z: number;
  /** Earlier same-weekday values needed before anything is judged. */
  readonly baseline_weeks: number;
  /** A metric's `alert.min_value`: no drop while the baseline is below it (undefined = no floor). */
  readonly min_value?: number | undefined;
}

/** One metric's verdict for one night, before the freshness guard has its say. */
export interface Judgement {
  readonly baseline: number | null;
  readonly change_pct: number | null;
  readonly robust_z: number | null;
  readonly status: 'ok' | 'drop' | 'insufficient_history';
}

/**
 * Judges tonight's `value` against its same-weekday {@link Baseline} (docs/design.md §2):
 *
 * - fewer than `baseline_weeks` usable earlier values → `insufficient_history` (the partial
 *   baseline, change and z are still reported, for people; they never raise an alert);
 * - a baseline below `min_value` (when set) → `ok`: a low-volume metric's falls are noise, not news;
 * - `drop` when `change_pct <= -min_drop_pct` and (`robust_z <= -min_robust_z` or the spread is 0),
 *   and the value is below the baseline (always true for a positive baseline; it keeps a metric
 *   with a negative baseline, such as a sum of refunds, from "dropping" when it rises);
 * - otherwise `ok`.
 *
 * Decisions on the edges (documented in docs/alerts.md):
 * - A **zero baseline** has no relative change (`change_pct` null), so it is never a drop: the
 *   metric was zero on most of the same weekdays, and a relative threshold cannot say how far
 *   below zero a count may fall. Status `ok`; `robust_z` is still reported when the spread is not 0.
 * - A **null value tonight** (a ratio with a zero denominator) is never a drop either: status `ok`
 *   (or `insufficient_history`), change and z null. Its numerator or denominator carries the news.
 * - A **spread of 0** (every earlier week equal) leaves `robust_z` null, and the relative
 *   threshold alone decides, exactly as docs/design.md says.
 */
export function judgeMetric(value: number | null, history: Baseline, thresholds: DropThresholds): Judgement {
  const { baseline, spread } = history;
  const change_pct = changePct(value, baseline);
  const robust_z = robustZ(value, baseline, spread);
  if (history.n < thresholds.baseline_weeks) return { baseline, change_pct, robust_z, status: 'insufficient_history' };
  const belowFloor = thresholds.min_value !== undefined && baseline !== null && baseline < thresholds.min_value;
  const isDrop =
    !belowFloor &&
    value !== null &&
    baseline !== null &&
    change_pct !== null &&
    value < baseline &&
    change_pct <= -thresholds.min_drop_pct &&
    (spread === 0 || (robust_z !== null && robust_z <= -thresholds.min_robust_z));
  return { baseline, change_pct, robust_z, status: isDrop ? 'drop' : 'ok' };
}
