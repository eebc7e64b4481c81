import type { DataCompleteness } from '../results/report';
import { baselineFor } from './baseline';

/** What the freshness guard looks at for one night. */
export interface FreshnessInput {
  /** Events in D's own partition (0 when it is missing or empty). */
  readonly dayEvents: number;
  /** D's partition is not in the lake. */
  readonly partitionMissing: boolean;
  /** D's partition is in the lake but holds no events. */
  readonly partitionEmpty: boolean;
  /** Event counts of `D-7, D-14, …` (see `eventHistory`); null where unknown. */
  readonly earlierDayEvents: readonly (number | null)[];
  /** `alerts.freshness.min_ratio`. */
  readonly minRatio: number;
  /** `alerts.baseline_weeks`: how many earlier counts make a baseline. */
  readonly baselineWeeks: number;
}

/**
 * The freshness guard (docs/design.md §2): is D's data complete enough to judge drops? A late or
 * half-loaded partition makes every metric fall at once; without this guard that would page
 * people about a pipeline delay as if the product had collapsed.
 *
 * - a missing or empty partition → `incomplete`, always (even with no history: there is nothing to judge);
 * - fewer than `baselineWeeks` earlier same-weekday counts → `unknown` (drops are judged as usual;
 *   the metrics themselves will mostly lack history too);
 * - a baseline of 0 events → `complete` (`ratio` null: no count can be below nothing);
 * - `day_events / baseline_events < minRatio` → `incomplete`; otherwise `complete`.
 *
 * The baseline is the median of the earlier counts, the same construction as the metrics' baselines;
 * with partial history it is still reported (status `unknown`).
 */
export function judgeFreshness(input: FreshnessInput): DataCompleteness {
  const { dayEvents, partitionMissing, partitionEmpty } = input;
  const { n, baseline } = baselineFor(input.earlierDayEvents);
  const ratio = baseline === null || baseline === 0 ? null : dayEvents / baseline;
  let status: DataCompleteness['status'];
  if (partitionMissing || partitionEmpty) status = 'incomplete';
  else if (n < input.baselineWeeks) status = 'unknown';
  else if (ratio !== null && ratio < input.minRatio) status = 'incomplete';
  else status = 'complete';
  return {
    day_events: dayEvents,
    partition_missing: partitionMissing,
    partition_empty: partitionEmpty,
    baseline_events: baseline,
    ratio,
    status,
  };
}
