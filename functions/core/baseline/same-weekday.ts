import { addDays } from '../dates';

/**
 * The earlier nights a baseline for `dt` reads: the same weekday of each of the `weeks` weeks
 * before, newest first: `D-7, D-14, …, D-7·weeks` (docs/design.md §2). Weekly seasonality is why only
 * the same weekday counts: a Monday is compared with Mondays.
 *
 * @example sameWeekdayDays('2024-03-31', 2) // ['2024-03-24', '2024-03-17']
 */
export function sameWeekdayDays(dt: string, weeks: number): string[] {
  return Array.from({ length: weeks }, (_, i) => addDays(dt, -7 * (i + 1)));
}
