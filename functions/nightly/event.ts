/**
 * Which nights an invocation of the `nightly` Lambda runs (docs/design.md §4):
 * - a scheduled event (EventBridge rule, or the Scheduler input infra/nightly-schedule.ts sends,
 *   `detail-type: "Scheduled Event"`) → yesterday in the config's time zone, as seen at the
 *   event's `time` — the scheduled time, so a retry hours later still runs the intended night;
 * - `{ "date": "YYYY-MM-DD" }` → that night;
 * - `{ "from": "…", "to": "…" }` → every night of the range, oldest first, at most
 *   `MAX_NIGHTS_PER_INVOCATION` of them (a night is several Athena queries; Lambda stops at 15 minutes).
 */
import { dayRange, daysBetween, parseIsoDay, yesterdayInZone } from '../core/dates';
import { InputError } from '../core/errors';

/** Nights one invocation may run: a week of backfill stays well inside Lambda's 15 minutes. */
export const MAX_NIGHTS_PER_INVOCATION = 7;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for an EventBridge / EventBridge Scheduler "Scheduled Event". */
export function isScheduledEvent(event: unknown): event is { time: string } {
  return isObject(event) && event['detail-type'] === 'Scheduled Event' && typeof event.time === 'string';
}

/**
 * The nights `event` asks for, oldest first.
 * @param now the invocation time, used only when a scheduled event carries no usable `time`
 * @throws InputError with a one-line message for anything else
 */
export function nightsForEvent(event: unknown, timeZone: string, _now: Date, maxNights = MAX_NIGHTS_PER_INVOCATION): string[] {
  if (isScheduledEvent(event)) {
    const at = new Date(event.time);
    if (Number.isNaN(at.getTime())) throw new InputError(`scheduled event: time '${event.time}' is not a timestamp`);
    return [yesterdayInZone(at, timeZone)];
  }
  if (!isObject(event)) throw new InputError(`event: expected a scheduled event, {"date"} or {"from","to"}, got ${JSON.stringify(event)}`);
  const { date, from, to } = event;
  const known = ['date', 'from', 'to'];
  const unknown = Object.keys(event).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new InputError(`event: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (expected "date" or "from"/"to")`);
  if (date !== undefined) {
    if (from !== undefined || to !== undefined) throw new InputError('event: "date" cannot be combined with "from"/"to"');
    return [parseIsoDay(String(date), 'event.date')];
  }
  if (from !== undefined || to !== undefined) {
    if (from === undefined || to === undefined) throw new InputError('event: "from" and "to" go together');
    const first = parseIsoDay(String(from), 'event.from');
    const last = parseIsoDay(String(to), 'event.to');
    if (first > last) throw new InputError(`event: from ${first} is after to ${last}`);
    const count = daysBetween(first, last) + 1;
    if (count > maxNights) {
      throw new InputError(
        `event: ${first}..${last} is ${count} nights; one invocation runs at most ${maxNights} (Lambda stops at 15 minutes) — split the range, e.g. {"from":"${first}","to":"${dayRange(first, last)[maxNights - 1]}"} first`,
      );
    }
    return dayRange(first, last);
  }
  throw new InputError(`event: expected a scheduled event, {"date"} or {"from","to"}, got ${JSON.stringify(event)}`);
}
