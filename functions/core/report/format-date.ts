/**
 * Days (`YYYY-MM-DD`) and instants written for people, in English and independent of the machine's
 * locale and zone: the same night renders the same page on a laptop and in Lambda.
 */
import { isIsoDay } from '../dates';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function parts(day: string): { y: number; m: number; d: number; wd: number } | null {
  if (!isIsoDay(day)) return null;
  const t = new Date(`${day}T00:00:00Z`);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth(), d: t.getUTCDate(), wd: t.getUTCDay() };
}

/** `Tue 11 Mar 2025`; anything that is not a day comes back unchanged. */
export function formatDay(day: string): string {
  const p = parts(day);
  return p ? `${WEEKDAYS[p.wd]} ${p.d} ${MONTHS[p.m]} ${p.y}` : day;
}

/** `11 Mar`, for axis ticks. */
export function formatShortDay(day: string): string {
  const p = parts(day);
  return p ? `${p.d} ${MONTHS[p.m]}` : day;
}

/** `Mar 2025`, for month ticks. */
export function formatMonth(day: string): string {
  const p = parts(day);
  return p ? `${MONTHS[p.m]} ${p.y}` : day;
}

/** The weekday's full name (`Tuesday`), or `''` for a malformed day. */
export function weekdayName(day: string): string {
  const p = parts(day);
  const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  return p ? (names[p.wd] ?? '') : '';
}

/** An ISO instant as `2025-03-12 06:02 UTC`; unparseable text comes back unchanged. */
export function formatInstant(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
