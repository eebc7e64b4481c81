/**
 * Checks the `schedule` of docs/design.md §2: a classic 5-field cron expression
 * (`minute hour day month weekday`). Only the syntax every cron and EventBridge can both express
 * is accepted — `*`, `N`, `N-M`, `*\/S`, `N/S`, `N-M/S` and comma lists of those, month and weekday
 * names — so the CDK stack can translate it to EventBridge's 6-field form without surprises.
 */

import { quoted } from './messages';

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted for values (JAN…DEC, SUN…SAT), index + offset = number. */
  readonly names?: readonly string[];
  readonly nameOffset?: number;
}

/** Field order and ranges of classic cron (weekday 0 and 7 are both Sunday). */
export const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    nameOffset: 1,
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], nameOffset: 0 },
];

const ITEM = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/;

function value(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + (field.nameOffset ?? 0) : undefined;
}

/** The problem with one field of the expression, or `undefined` when it is fine. */
function fieldProblem(text: string, field: CronField): string | undefined {
  const syntax = `${field.name} ${quoted(text)} is not valid (use *, N, N-M, */S, N-M/S or a comma list)`;
  for (const item of text.split(',')) {
    const m = ITEM.exec(item);
    if (!m) return syntax;
    const [, range = '', step] = m;
    if (step !== undefined && Number(step) < 1) return `${field.name} step ${quoted(item)} must be >= 1`;
    if (range === '*') continue;
    const [lowText = '', highText] = range.split('-');
    const low = value(lowText, field);
    const high = highText === undefined ? low : value(highText, field);
    if (low === undefined || high === undefined) return syntax;
    for (const v of [low, high]) {
      if (v < field.min || v > field.max) {
        return `${field.name} ${quoted(item)} is out of range ${field.min}-${field.max}`;
      }
    }
    if (low > high) return `${field.name} range ${quoted(item)} goes backwards`;
  }
  return undefined;
}

/**
 * The problem with a cron expression as a one-line message, or `undefined` when it is valid.
 * Day of month and day of week cannot both be restricted: classic cron ORs them, EventBridge
 * cannot express that (one of the two must be `?`).
 */
export function cronProblem(expression: string): string | undefined {
  const parts = expression
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  if (parts.length !== CRON_FIELDS.length) {
    return `must be a cron expression of 5 fields (minute hour day month weekday), got ${parts.length}`;
  }
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = fieldProblem(parts[i] ?? '', field);
    if (problem) return problem;
  }
  if (parts[2] !== '*' && parts[4] !== '*') {
    return 'day of month and day of week cannot both be restricted (EventBridge allows only one)';
  }
  return undefined;
}

/** The values a valid field's text matches (`*\/15` in minutes: 0, 15, 30, 45). */
function fieldValues(text: string, field: CronField): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [, range = '*', step] = ITEM.exec(item) ?? [];
    const [lowText = '', highText] = range.split('-');
    const low = range === '*' ? field.min : (value(lowText, field) ?? field.min);
    const high =
      range === '*' ? field.max : highText === undefined ? (step === undefined ? low : field.max) : (value(highText, field) ?? low);
    for (let v = low; v <= high; v += Number(step ?? 1)) values.add(v);
  }
  return values;
}

/**
 * The problem with how often a valid cron expression runs, or `undefined`: a night's job runs at
 * most once an hour, so the minute field must name exactly one minute. (A run holds the results'
 * lease for minutes; a schedule every minute only queues runs behind it and multiplies the bill.)
 */
export function cronFrequencyProblem(expression: string): string | undefined {
  const minute = expression.trim().split(/\s+/)[0] ?? '';
  const minuteField = CRON_FIELDS[0];
  if (minuteField === undefined) return undefined;
  const perHour = fieldValues(minute, minuteField).size;
  if (perHour <= 1) return undefined;
  return `minute ${quoted(minute)} runs the job ${perHour} times an hour; name one minute (such as 0) so it runs at most once an hour`;
}
