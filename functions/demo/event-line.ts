/**
 * One line of the demo lake: a JSON object with `user_id`, `account_id`, the user's `country` and
 * `app_version` (segment columns, `./user-segments.ts`), `event_name`, `event_time` (ISO-8601 UTC
 * with milliseconds) and, on `call_ended`, `duration_ms`. Built by hand
 * rather than with `JSON.stringify` because a million of them are written per demo and every
 * value is already known to need no escaping (ids and names are `[a-z0-9_]`).
 */

/** What `duration_ms` holds on a call: a number of ms, JSON null, or a garbage string. */
export type Duration = number | null | string;

/** "00" … "59": two-digit fields by lookup, the formatting hot path of the generator. */
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` for millisecond `ms` (0 … 86,399,999) of `day`. */
export function eventTime(day: string, ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${day}T${TWO[h]}:${TWO[m]}:${TWO[s]}.${THREE[ms % 1000]}Z`;
}

const text = (v: string | null) => (v === null ? 'null' : `"${v}"`);

/** The fixed start of a user's lines: `{"user_id":"…","account_id":…,"country":…,"app_version":…`. */
export function userPrefix(
  user: string,
  account: string | null,
  segments: { readonly country: string | null; readonly app_version: string },
): string {
  return `{"user_id":"${user}","account_id":${text(account)},"country":${text(segments.country)},"app_version":"${segments.app_version}"`;
}

/**
 * The JSON text of one event (no newline).
 * @param prefix the user's {@link userPrefix}
 * @param duration `undefined` leaves the `duration_ms` key out (every event but `call_ended`)
 */
export function eventLine(prefix: string, event: string, time: string, duration?: Duration): string {
  const base = `${prefix},"event_name":"${event}","event_time":"${time}"`;
  if (duration === undefined) return `${base}}`;
  return `${base},"duration_ms":${typeof duration === 'string' ? JSON.stringify(duration) : duration === null ? 'null' : duration}}`;
}
