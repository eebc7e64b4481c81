/** The `candidates` section of `report.json` (docs/design.md §3) for one night. */
import type { CandidatesConfig } from '../config/types';
import type { CandidatesSection, SweepSection } from '../results/report';
import type { CandidateRow } from '../results/rows';
import type { DayRange } from './cohort';

/**
 * @param rows the night's rows from `evaluateCandidates` (already ranked)
 * @param cohortSize users in the cohort (`cohort_size` of any `CandidateCounts`; 0 when empty)
 * @param sweep the night's threshold sweep (`sweepSection`), null without one
 */
export function candidatesSection(
  config: CandidatesConfig,
  cohort: DayRange,
  cohortSize: number,
  rows: CandidateRow[],
  sweep: SweepSection | null = null,
): CandidatesSection {
  return {
    entry_event: config.cohort.entry_event,
    cohort_start: cohort.start,
    cohort_end: cohort.end,
    retention_day: config.retention.day,
    retention_window_days: config.retention.window_days,
    min_lift: config.min_lift,
    max_p: config.max_p,
    cohort_size: cohortSize,
    rows,
    sweep,
  };
}
