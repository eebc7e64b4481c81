/**
 * The baseline's spread for one metric row, recovered from what `metrics.jsonl` stores.
 *
 * docs/design.md §2 defines `robust_z = (value - baseline) / spread` with spread = 1.4826 · MAD of the
 * same-weekday history, and `robust_z = null` when the spread is 0. The row keeps `value`,
 * `baseline` and `robust_z` but not the spread, so the report inverts the definition:
 *
 * - `spread = |value - baseline| / |robust_z|` when all three are known and `robust_z != 0`;
 * - `spread = 0` when `value` and `baseline` are known and `robust_z` is null (the definition's
 *   "spread is 0" case);
 * - unknown (`null`) otherwise: no baseline yet, no value, or `robust_z = 0` (value exactly on
 *   the baseline, where the division says nothing about the spread).
 *
 * Recovered this way the band is exact up to floating-point rounding, needs no access to the
 * configuration's `baseline_weeks`, and matches the numbers the drop test used.
 */
import type { MetricRow } from '../results/rows';

const finite = (x: number | null): x is number => typeof x === 'number' && Number.isFinite(x);

export function spreadOf(row: Pick<MetricRow, 'value' | 'baseline' | 'robust_z'>): number | null {
  const { value, baseline, robust_z } = row;
  if (!finite(value) || !finite(baseline)) return null;
  if (robust_z === null) return 0;
  if (!finite(robust_z) || robust_z === 0) return null;
  const s = Math.abs(value - baseline) / Math.abs(robust_z);
  return Number.isFinite(s) ? s : null;
}
