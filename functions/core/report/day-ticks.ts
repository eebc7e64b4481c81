/**
 * Ticks for a time axis over calendar days, at most `maxTicks` of them, at steps a reader expects:
 * every day, every 2 days, every Monday, every other Monday, then the first of every 1, 2, 3, 6 or
 * 12 months. Weekly ticks are aligned to Mondays counted from a fixed epoch, so a tick does not
 * jump from one night's report to the next.
 */
import { addDays, dayRange, daysBetween } from '../dates';
import { formatMonth, formatShortDay } from './format-date';

export interface DayTick {
  day: string;
  label: string;
}

/** 1970-01-05 was a Monday. */
const EPOCH_MONDAY = '1970-01-05';

function dayStepTicks(from: string, to: string, step: number): string[] {
  const aligned = step >= 7;
  const out: string[] = [];
  for (const d of dayRange(from, to)) {
    const k = daysBetween(aligned ? EPOCH_MONDAY : from, d);
    if (((k % step) + step) % step === 0) out.push(d);
  }
  return out;
}

function monthStepTicks(from: string, to: string, months: number): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7)) - 1;
  for (;;) {
    const d = `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
    if (d > to) break;
    if (d >= from && (y * 12 + m) % months === 0) out.push(d);
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

/** Ticks from `from` to `to` (both `YYYY-MM-DD`, `from <= to`); never more than `maxTicks` (>= 1). */
export function dayTicks(from: string, to: string, maxTicks: number): DayTick[] {
  const span = daysBetween(from, to);
  if (span < 0) return [];
  if (span === 0) return [{ day: from, label: formatShortDay(from) }];
  const max = Math.max(1, Math.floor(maxTicks));
  for (const step of [1, 2, 7, 14]) {
    if (span / step + 1 > max + 1) continue;
    const days = dayStepTicks(from, to, step);
    if (days.length <= max && days.length > 0) return days.map((day) => ({ day, label: formatShortDay(day) }));
  }
  for (const months of [1, 2, 3, 6, 12, 24, 60, 120]) {
    const days = monthStepTicks(from, to, months);
    if (days.length <= max) {
      return (days.length ? days : [from]).map((day) => ({ day, label: formatMonth(day) }));
    }
  }
  return [
    { day: from, label: formatShortDay(from) },
    { day: addDays(to, 0), label: formatShortDay(to) },
  ].slice(0, max);
}
