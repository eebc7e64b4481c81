/**
 * Day windows of the retention-lift test (docs/design.md §2 "Candidate lifts"), on `YYYY-MM-DD` days,
 * both ends included. With R = retention.day, W = retention.window_days, C = cohort.cohort_days:
 * - cohort: users whose entry day E is in D−R−C+1 … D−R, so that E+R ≤ D for every member and the
 *   outcome is fully observed on night D;
 * - outcome ("retained"): any event on a day in E+R−W+1 … E+R;
 * - hit: the action's event on a day in E … E+within_days−1.
 */
import type { CandidatesConfig } from '../config/types';
import { addDays } from '../dates';

/** An inclusive range of days. */
export interface DayRange {
  readonly start: string;
  readonly end: string;
}

/** The entry days of night `dt`'s cohort: D−R−C+1 … D−R. */
export function cohortWindow(dt: string, candidates: Pick<CandidatesConfig, 'cohort' | 'retention'>): DayRange {
  const end = addDays(dt, -candidates.retention.day);
  return { start: addDays(end, -(candidates.cohort.cohort_days - 1)), end };
}

/** The days whose activity makes a user who entered on `entryDay` retained: E+R−W+1 … E+R. */
export function outcomeWindow(entryDay: string, retention: CandidatesConfig['retention']): DayRange {
  return { start: addDays(entryDay, retention.day - retention.window_days + 1), end: addDays(entryDay, retention.day) };
}

/** The days on which doing the action counts as a hit for a user who entered on `entryDay`: E … E+within−1. */
export function hitWindow(entryDay: string, withinDays: number): DayRange {
  return { start: entryDay, end: addDays(entryDay, withinDays - 1) };
}
