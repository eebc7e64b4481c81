/**
 * Calendar-day arithmetic on `YYYY-MM-DD` strings. Days are civil dates with no time zone; all
 * arithmetic happens in UTC so that daylight-saving changes never shift a day.
 */
import { InputError } from './errors';

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True when `s` is a real calendar day written `YYYY-MM-DD`. */
export function isIsoDay(s: string): boolean {
  if (!ISO_DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Validates a day given by a user; `what` names the flag or field in the error. */
export function parseIsoDay(s: string, what: string): string {
  if (!isIsoDay(s)) throw new InputError(`${what}: '${s}' is not a date (expected YYYY-MM-DD)`);
  return s;
}

/** `day` shifted by `n` days (negative goes back). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Every day from `from` to `to`, both included, oldest first. */
export function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Day of week, 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The calendar day of instant `now` in IANA zone `timeZone`. */
export function dayInZone(now: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** "Yesterday" in `timeZone` as seen at instant `now`: the night a scheduled run reports on. */
export function yesterdayInZone(now: Date, timeZone: string): string {
  return addDays(dayInZone(now, timeZone), -1);
}
