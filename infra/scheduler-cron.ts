/**
 * Translates the config's five-field cron (`minute hour day month weekday`, docs/design.md §2) into
 * the six-field `cron(...)` expression of EventBridge Scheduler.
 *
 * The two dialects differ in three ways that matter here
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based):
 * - AWS needs a sixth field (year) and `?` in exactly one of day-of-month and day-of-week;
 * - AWS numbers weekdays 1-7 from Sunday, classic cron 0-7 (0 and 7 are both Sunday), so
 *   `1-5` means Monday-Friday in the config but Sunday-Thursday to AWS;
 * - AWS has no `/` step in day-of-week.
 * Weekdays are therefore expanded to a set and written back as names (`MON-FRI`, `MON,WED`),
 * which both sides read the same way. A config that restricts both day fields means "either"
 * in classic cron, which AWS cannot express: that is an error, not a silent change of meaning.
 */

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Upper-case names accepted for values, index 0 = `min`. */
  readonly names?: readonly string[];
}

const MINUTE: FieldSpec = { label: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { label: 'hour', min: 0, max: 23 };
const DAY: FieldSpec = { label: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = { label: 'month', min: 1, max: 12, names: MONTH_NAMES };
// 7 is accepted as a second Sunday, as in classic cron.
const WEEKDAY: FieldSpec = { label: 'day of week', min: 0, max: 7, names: DAY_NAMES };

/**
 * The Scheduler expression for a five-field cron, e.g. `0 6 * * 1-5` → `cron(0 6 ? * MON-FRI *)`.
 * @throws Error naming the field and the problem when the cron is malformed or not expressible.
 */
export function toSchedulerCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`schedule "${cron}" must have 5 fields (minute hour day month weekday), got ${fields.length}`);
  }
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  const fail = (problem: string): never => {
    throw new Error(`schedule "${cron}": ${problem}`);
  };
  for (const [text, spec] of [
    [minute, MINUTE],
    [hour, HOUR],
    [day, DAY],
    [month, MONTH],
  ] as const) {
    const err = checkField(text, spec);
    if (err) fail(err);
  }
  const weekdayErr = checkField(weekday, WEEKDAY);
  if (weekdayErr) fail(weekdayErr);

  const days = expand(weekday, WEEKDAY);
  const weekdayRestricted = days.size < 7;
  const dayRestricted = day !== '*';
  if (weekdayRestricted && dayRestricted) {
    fail('AWS schedules cannot restrict both the day of month and the day of week (cron reads that as "either"); use * for one of them');
  }
  const awsDay = weekdayRestricted ? '?' : startSteps(day, DAY);
  const awsWeekday = weekdayRestricted ? weekdayNames(days) : '?';
  return `cron(${startSteps(minute, MINUTE)} ${startSteps(hour, HOUR)} ${awsDay} ${startSteps(month, MONTH)} ${awsWeekday} *)`;
}

/** The values each field of a five-field cron matches; weekdays 0-6 from Sunday. */
export interface CronMatches {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
}

/**
 * What a cron matches, field by field. A run happens at every minute and hour of every day whose
 * day of month, month and weekday all match: at most one day field is restricted (AWS cannot
 * express classic cron's "either"), so "all match" is what Scheduler does.
 * @throws Error as {@link toSchedulerCron} does, for a malformed or inexpressible cron.
 */
export function cronMatches(cron: string): CronMatches {
  toSchedulerCron(cron);
  const [minute, hour, day, month, weekday] = cron.trim().split(/\s+/) as [string, string, string, string, string];
  return {
    minutes: expand(minute, MINUTE),
    hours: expand(hour, HOUR),
    days: expand(day, DAY),
    months: expand(month, MONTH),
    weekdays: expand(weekday, WEEKDAY),
  };
}

/**
 * `*\/S` → `MIN/S`: AWS documents steps as `start/step` (`0/15`), so the implicit start is made
 * explicit rather than relying on `*\/15` being accepted.
 */
function startSteps(text: string, spec: FieldSpec): string {
  return text
    .split(',')
    .map((part) => (part.startsWith('*/') ? `${spec.min}/${part.slice(2)}` : part))
    .join(',');
}

/** Returns a problem with one field, or `undefined` when every part is valid. */
function checkField(text: string, spec: FieldSpec): string | undefined {
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `${spec.label} "${text}" is not a cron field (use *, N, N-M, */S, N-M/S or lists of them)`;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return `${spec.label} "${text}" has a step of 0`;
    if (m[1] === '*') continue;
    const [lo, hi] = (m[1] ?? '').split('-').map((v) => value(v, spec));
    if (lo === undefined || Number.isNaN(lo) || (hi !== undefined && Number.isNaN(hi))) {
      return `${spec.label} "${text}" has a value outside ${spec.min}-${spec.max}`;
    }
    if (hi !== undefined && hi < lo) return `${spec.label} "${text}" has a range that runs backwards`;
  }
  return undefined;
}

/** The numeric value of one token, `NaN` when it is neither a number in range nor a known name. */
function value(token: string, spec: FieldSpec): number {
  const upper = token.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^\d+$/.test(token)) return NaN;
  const n = Number(token);
  return n >= spec.min && n <= spec.max ? n : NaN;
}

/** Every value a (valid) field matches; weekdays folded to 0-6 with 7 → 0 (Sunday). */
function expand(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo = spec.min;
    let hi = spec.max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      lo = value(a, spec);
      hi = b === undefined ? (stepText === undefined ? lo : spec.max) : value(b, spec);
    }
    for (let v = lo; v <= hi; v += step) out.add(spec === WEEKDAY ? v % 7 : v);
  }
  return out;
}

/** `MON-FRI` for one contiguous run, else a list like `MON,WED,FRI`. */
function weekdayNames(days: Set<number>): string {
  const sorted = [...days].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const last = sorted[sorted.length - 1] ?? 0;
  if (sorted.length > 1 && last - first === sorted.length - 1) return `${DAY_NAMES[first]}-${DAY_NAMES[last]}`;
  return sorted.map((d) => DAY_NAMES[d]).join(',');
}
