/**
 * How long the nightly schedule can leave between two runs, and so how long the missed-night
 * alarm must wait before "no night succeeded" means something went wrong. A Monday-Friday
 * schedule leaves 72 hours every weekend; a fixed 26-hour window alarmed every Saturday.
 *
 * The gap is measured in the schedule's own time zone, as EventBridge Scheduler runs it: a run
 * whose local time does not exist (the hour skipped when clocks go forward) does not happen, and
 * a local time that happens twice (when clocks go back) runs once
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time).
 * So `30 6 * * 1-5` in Europe/Berlin leaves 73 hours over the weekend the clocks go back, and
 * `30 2 * * *` there leaves 47 hours once a year.
 */
import { cronMatches } from './scheduler-cron';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Two years and a week: every DST change twice, every weekday in every month, wrap-arounds. */
const HORIZON_DAYS = 2 * 366 + 7;
/** No zone's offset changes twice within this distance of a day, so the offsets on both sides bound it. */
const DST_MARGIN_MS = 14 * HOUR_MS;

/**
 * Hours the missed-night window adds to the longest gap: one for a night that succeeds only on
 * Lambda's last asynchronous retry (three attempts of at most 15 minutes, 1 and 2 minutes apart:
 * 48 minutes), one because the alarm counts whole clock hours, which need not line up with the
 * schedule, and evaluates the newest hour before all of its data has arrived.
 */
export const MISSED_NIGHT_SLACK_HOURS = 2;

/**
 * CloudWatch evaluates an alarm over at most 7 days ("Period multiplied by EvaluationPeriods can't
 * be more than 604,800 seconds", PutMetricAlarm), i.e. 168 one-hour periods.
 */
export const MAX_ALARM_HOURS = 168;

/**
 * The longest time between two consecutive runs of `cron` in `timeZone`, in minutes, over the two
 * years starting on `from`'s (UTC) date; `Infinity` when it runs fewer than twice in that time.
 * @throws Error for a malformed cron (see `toSchedulerCron`).
 */
export function longestGapMinutes(cron: string, timeZone: string, from: Date): number {
  const m = cronMatches(cron);
  const ascending = (a: number, b: number) => a - b;
  const hours = [...m.hours].sort(ascending);
  const minutes = [...m.minutes].sort(ascending);
  const timesOfDay = hours.flatMap((h) => minutes.map((min) => (h * 60 + min) * MINUTE_MS));
  const offsetAt = zoneOffset(timeZone);

  const firstDay = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  let previous: number | undefined;
  let longest = 0;
  for (let i = 0; i < HORIZON_DAYS; i++) {
    // Wall-clock times are written as if they were UTC instants, then shifted by the zone's offset.
    const midnight = firstDay + i * DAY_MS;
    const day = new Date(midnight);
    if (!m.days.has(day.getUTCDate()) || !m.months.has(day.getUTCMonth() + 1) || !m.weekdays.has(day.getUTCDay())) continue;
    const before = offsetAt(midnight - DST_MARGIN_MS);
    const after = offsetAt(midnight + DAY_MS + DST_MARGIN_MS);
    for (const time of timesOfDay) {
      const wall = midnight + time;
      const instant = before === after ? wall - before : wallToInstant(wall, [before, after], offsetAt);
      if (instant === undefined) continue;
      if (previous !== undefined) longest = Math.max(longest, instant - previous);
      previous = instant;
    }
  }
  return longest === 0 ? Number.POSITIVE_INFINITY : longest / MINUTE_MS;
}

/**
 * The missed-night alarm's window in hours for a schedule whose longest gap is `gapMinutes`: the
 * gap in whole hours plus {@link MISSED_NIGHT_SLACK_HOURS}; `undefined` when that exceeds what
 * CloudWatch can evaluate (a weekly schedule), so no such alarm can be built.
 */
export function missedNightWindowHours(gapMinutes: number): number | undefined {
  if (!Number.isFinite(gapMinutes)) return undefined;
  const hours = Math.ceil(gapMinutes / 60) + MISSED_NIGHT_SLACK_HOURS;
  return hours <= MAX_ALARM_HOURS ? hours : undefined;
}

/** `73 hours`, `24.5 hours`: a finite gap for messages. */
export function gapHours(gapMinutes: number): string {
  const hours = gapMinutes / 60;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} hours`;
}

/** `leaves up to 73 hours between nights` / `runs fewer than twice in two years`, for messages. */
export function describeGap(gapMinutes: number): string {
  return Number.isFinite(gapMinutes) ? `leaves up to ${gapHours(gapMinutes)} between nights` : 'runs fewer than twice in two years';
}

/** The zone's offset from UTC in ms (positive east of Greenwich) at an instant. */
function zoneOffset(timeZone: string): (instant: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (instant) => {
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return wall - (instant - (instant % 1000));
  };
}

/**
 * The instant a wall-clock time happens on a day the offset changes: `undefined` when it does not
 * exist (skipped by the change), the earlier one when it happens twice.
 */
function wallToInstant(wall: number, offsets: readonly number[], offsetAt: (instant: number) => number): number | undefined {
  const valid = [...new Set(offsets)].map((o) => wall - o).filter((instant) => wall - offsetAt(instant) === instant);
  return valid.length ? Math.min(...valid) : undefined;
}
