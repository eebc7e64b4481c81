/**
 * The texts of an incident's later alerts (docs/alerts.md "Incidents"): the `still_down` reminder
 * and the `recovered` notice. Both are short on purpose: the drop alert that opened the incident
 * carried the drivers and segments, and the report has tonight's.
 */
import { daysBetween } from '../dates';
import { type AlertText, MIN_NAME, SMS_MAX, SUBJECT_MAX } from './alert-text';
import { fitFields, oneLine } from './fit-text';
import type { OpenIncident } from './incidents';
import { formatCompact, formatNumber, formatPct } from './number-format';

/** Everything an incident's reminder or recovery says. */
export interface IncidentAlertInput {
  readonly dt: string;
  readonly metricId: string;
  readonly name: string;
  /** The incident, including tonight's drop for a reminder. */
  readonly incident: OpenIncident;
  /** Tonight's night of the incident (1 = the onset). */
  readonly nightOfIncident: number;
  readonly value: number | null;
  readonly baseline: number | null;
  readonly change_pct: number | null;
  readonly reportUri: string;
  readonly consoleUrl?: string | undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Rows of `label  value  (note)`, labels padded to one column. */
function table(rows: readonly (readonly [string, string, string])[]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value, note]) => `  ${label.padEnd(width)}   ${value}${note ? `   (${note})` : ''}`.trimEnd());
}

function footer(a: IncidentAlertInput): string[] {
  const lines = ['', `Report: ${a.reportUri}`];
  if (a.consoleUrl) lines.push(`Open:   ${a.consoleUrl}`);
  return lines;
}

/** The SMS: `head(name)` with the link when it fits beside a name of 20 characters or more. */
function smsOf(head: (name: string) => string, name: string, consoleUrl: string | undefined, metricId: string, dt: string): string {
  const link = consoleUrl ? ` ${oneLine(consoleUrl)}` : '';
  return (
    (link ? fitFields(([n]) => `${head(n!)}${link}`, [name], SMS_MAX, MIN_NAME) : null) ??
    fitFields(([n]) => head(n!), [name], SMS_MAX, 1) ??
    `[nsm] ${dt}: ${metricId}`.slice(0, SMS_MAX)
  );
}

/**
 * The `still_down` reminder: `day 3 of the drop, now -38.0%`. Subject at most 99 and SMS at most
 * 140 characters; only the name is shortened.
 */
export function formatStillDownAlert(a: IncidentAlertInput): AlertText {
  const name = oneLine(a.name);
  const pct = formatPct(a.change_pct, true);
  const day = `day ${a.nightOfIncident} of the drop`;
  const subject =
    fitFields(([n]) => `[nsm] Still down ${a.dt}: ${n} ${pct}, ${day}`, [name], SUBJECT_MAX, 1) ??
    `[nsm] Still down ${a.dt}: ${a.metricId}`.slice(0, SUBJECT_MAX);
  const message = [
    `${name} (${a.metricId}) is still down on ${a.dt}: ${day} that began on ${a.incident.onset}.`,
    '',
    ...table([
      ['Value', formatNumber(a.value), ''],
      ['Baseline', formatNumber(a.baseline), ''],
      ['Change', formatPct(a.change_pct), 'tonight'],
      ['Worst', formatPct(a.incident.worstChangePct), `since ${a.incident.onset}`],
    ]),
    '',
    `Incident ${a.incident.id}. You get one more alert when it recovers.`,
    ...footer(a),
  ];
  const head = (n: string) =>
    `[nsm] ${a.dt} still down: ${n}, ${day}, now ${pct} (${formatCompact(a.value)} vs ${formatCompact(a.baseline)}).`;
  return { subject, message: `${message.join('\n')}\n`, sms: smsOf(head, name, a.consoleUrl, a.metricId, a.dt) };
}

/**
 * The `recovered` notice: how long the drop lasted (onset to its last drop night), its worst
 * change, and the value now.
 */
export function formatRecoveredAlert(a: IncidentAlertInput): AlertText {
  const name = oneLine(a.name);
  const { incident } = a;
  const lasted = plural(daysBetween(incident.onset, incident.lastDrop) + 1, 'day');
  const worst = formatPct(incident.worstChangePct, true);
  const subject =
    fitFields(([n]) => `[nsm] Recovered ${a.dt}: ${n} after ${lasted} (worst ${worst})`, [name], SUBJECT_MAX, 1) ??
    `[nsm] Recovered ${a.dt}: ${a.metricId}`.slice(0, SUBJECT_MAX);
  const message = [
    `${name} (${a.metricId}) is back to normal on ${a.dt}.`,
    '',
    ...table([
      ['Value', formatNumber(a.value), 'tonight'],
      ['Baseline', formatNumber(a.baseline), ''],
      ['Change', formatPct(a.change_pct), ''],
      ['Lasted', lasted, `${incident.onset} to ${incident.lastDrop}`],
      ['Worst', formatPct(incident.worstChangePct), ''],
    ]),
    '',
    `Incident ${incident.id} is closed.`,
    ...footer(a),
  ];
  const head = (n: string) =>
    `[nsm] ${a.dt} recovered: ${n} ${formatCompact(a.value)} vs ${formatCompact(a.baseline)} (${formatPct(a.change_pct, true)}) after ${lasted}, worst ${worst}.`;
  return { subject, message: `${message.join('\n')}\n`, sms: smsOf(head, name, a.consoleUrl, a.metricId, a.dt) };
}
