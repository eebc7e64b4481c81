/**
 * A time scale over calendar days: `YYYY-MM-DD` → x, linear in whole days from `from` to `to`.
 * Built on {@link scaleLinear}, so a one-day domain puts its day in the middle of the range.
 */
import { daysBetween } from '../dates';
import { scaleLinear } from './scale-linear';

export function scaleTime(from: string, to: string, range: readonly [number, number]): (day: string) => number {
  const lin = scaleLinear([0, daysBetween(from, to)], range);
  return (day: string) => lin(daysBetween(from, day));
}
