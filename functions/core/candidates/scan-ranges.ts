/**
 * The lake partitions the candidate test of night D needs (docs/design.md §2 "Candidate lifts"):
 * the union of every cohort member's windows, so a query — or the rollups it reads — covers them
 * all and nothing after D.
 */
import type { CandidatesConfig } from '../config/types';
import { dayRange } from '../dates';
import { cohortWindow, type DayRange, hitWindow, outcomeWindow } from './cohort';

/** The partition ranges the query reads on night `dt` (all inclusive; `entry` is open at the start). */
export interface CandidateScanRanges {
  readonly cohort: DayRange;
  /** Entry events: every day up to the cohort's last day. */
  readonly entryUntil: string;
  /** Action events: cohort start … min(cohort end + the longest window − 1, D), an action's or the sweep's. */
  readonly hits: DayRange;
  /** Any event: cohort start + R − W + 1 … D. */
  readonly outcome: DayRange;
}

export function candidateScanRanges(candidates: CandidatesConfig, dt: string): CandidateScanRanges {
  const cohort = cohortWindow(dt, candidates);
  const maxWithin = Math.max(1, ...candidates.actions.map((a) => a.within_days), ...(candidates.sweep?.within_days ?? []));
  // The union of every member's windows: the latest entrant's longest hit window, the earliest
  // entrant's outcome window, both cut at D (the outcome window of E = cohort end ends on D).
  const hitEnd = hitWindow(cohort.end, maxWithin).end;
  return {
    cohort,
    entryUntil: cohort.end,
    hits: { start: cohort.start, end: hitEnd < dt ? hitEnd : dt },
    outcome: { start: outcomeWindow(cohort.start, candidates.retention).start, end: dt },
  };
}

/** Days whose rollups the candidates query of night `dt` reads: the hit and outcome ranges. */
export function candidateRollupDays(candidates: CandidatesConfig, dt: string): string[] {
  const r = candidateScanRanges(candidates, dt);
  return [...new Set([...dayRange(r.hits.start, r.hits.end), ...dayRange(r.outcome.start, r.outcome.end)])].sort();
}
