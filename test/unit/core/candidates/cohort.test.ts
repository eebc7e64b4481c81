import { describe, expect, it } from 'vitest';
import { cohortWindow, hitWindow, outcomeWindow } from '../../../../functions/core/candidates/cohort';

describe('cohortWindow', () => {
  it('is D-R-C+1 … D-R (days counted by hand)', () => {
    // D = 2026-06-30, R = 90 → D-R = 2026-04-01; C = 28 → start 2026-03-05.
    expect(cohortWindow('2026-06-30', { cohort: { entry_event: 's', cohort_days: 28 }, retention: { day: 90, window_days: 7 } })).toEqual({
      start: '2026-03-05',
      end: '2026-04-01',
    });
  });

  it('is a single day when cohort_days is 1, and crosses year and leap-day boundaries', () => {
    expect(cohortWindow('2024-03-01', { cohort: { entry_event: 's', cohort_days: 1 }, retention: { day: 1, window_days: 1 } })).toEqual({
      start: '2024-02-29',
      end: '2024-02-29',
    });
    expect(cohortWindow('2025-01-05', { cohort: { entry_event: 's', cohort_days: 7 }, retention: { day: 7, window_days: 1 } })).toEqual({
      start: '2024-12-23',
      end: '2024-12-29',
    });
  });
});

describe('outcomeWindow and hitWindow', () => {
  it('are E+R-W+1 … E+R and E … E+within-1', () => {
    expect(outcomeWindow('2026-03-05', { day: 90, window_days: 7 })).toEqual({ start: '2026-05-28', end: '2026-06-03' });
    expect(outcomeWindow('2026-03-05', { day: 1, window_days: 1 })).toEqual({ start: '2026-03-06', end: '2026-03-06' });
    expect(hitWindow('2026-03-05', 7)).toEqual({ start: '2026-03-05', end: '2026-03-11' });
    expect(hitWindow('2026-03-05', 1)).toEqual({ start: '2026-03-05', end: '2026-03-05' });
  });
});
