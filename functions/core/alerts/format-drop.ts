import type { DropThresholds } from '../baseline/judge';
import type { Driver } from '../results/rows';
import { type AlertText, EMAIL_MAX_DRIVERS, MIN_NAME, SMS_MAX, SUBJECT_MAX } from './alert-text';
import { fitFields, oneLine } from './fit-text';
import { formatCompact, formatNumber, formatPct, formatZ } from './number-format';

/** Everything a drop alert says. */
export interface DropAlertInput {
  readonly dt: string;
  readonly metricId: string;
  readonly name: string;
  readonly isNorthStar: boolean;
  readonly value: number | null;
  readonly baseline: number | null;
  readonly change_pct: number | null;
  readonly robust_z: number | null;
  /** Largest move first (see `driversFor`). */
  readonly drivers: readonly Driver[];
  readonly thresholds: DropThresholds;
  /** Where the night's report is (a path or an `s3://` URI). */
  readonly reportUri: string;
  /** A link a person can open on a phone (for example a presigned or console URL), when there is one. */
  readonly consoleUrl?: string | undefined;
}

const STATUS_TAG: Record<Driver['status'], string> = {
  ok: '',
  drop: ' [drop]',
  insufficient_history: ' [insufficient history]',
  data_incomplete: ' [data incomplete]',
};

function driverLine(d: Driver): string {
  const level = d.depth > 1 ? ` (level ${d.depth})` : '';
  return `${oneLine(d.name)} (${d.metric_id})${level}: ${formatNumber(d.value)} vs ${formatNumber(d.baseline)} (${formatPct(d.change_pct)})${STATUS_TAG[d.status]}`;
}

function partLine(role: string, d: Driver): string {
  return `${role} ${oneLine(d.name)} (${d.metric_id}): ${formatNumber(d.value)} vs ${formatNumber(d.baseline)} (${formatPct(d.change_pct)})`;
}

/** The email body: what dropped, by how much against what, which drivers moved, where to look. */
function dropMessage(a: DropAlertInput): string {
  const t = a.thresholds;
  const what = a.isNorthStar ? 'The North Star metric ' : '';
  const z =
    a.robust_z === null
      ? 'n/a (every earlier week had the same value, so the change alone decides)'
      : `${formatZ(a.robust_z)}   (alert at -${formatNumber(t.min_robust_z)} or below)`;
  const lines = [
    `${what}${oneLine(a.name)} (${a.metricId}) dropped on ${a.dt}.`,
    '',
    `  Value      ${formatNumber(a.value)}`,
    `  Baseline   ${formatNumber(a.baseline)}   (median of the same weekday over the ${t.baseline_weeks} weeks before)`,
    `  Change     ${formatPct(a.change_pct)}   (alert at -${formatNumber(t.min_drop_pct)}% or worse)`,
    `  Robust z   ${z}`,
    '',
  ];
  if (a.drivers.length === 0) {
    lines.push('No drivers: this metric has no inputs in the metric tree.');
  } else {
    lines.push('Drivers, largest move first:');
    a.drivers.slice(0, EMAIL_MAX_DRIVERS).forEach((d, i) => {
      lines.push(`  ${i + 1}. ${driverLine(d)}`);
      if (d.parts) {
        const pad = ' '.repeat(String(i + 1).length + 4);
        lines.push(`${pad}${partLine('numerator  ', d.parts.numerator)}`);
        lines.push(`${pad}${partLine('denominator', d.parts.denominator)}`);
      }
    });
    const more = a.drivers.length - EMAIL_MAX_DRIVERS;
    if (more > 0) lines.push(`  ... and ${more} more in the report.`);
  }
  lines.push('', `Report: ${a.reportUri}`);
  if (a.consoleUrl) lines.push(`Open:   ${a.consoleUrl}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Subject, email body and SMS of a drop alert (docs/design.md §2). Subject at most {@link SUBJECT_MAX}
 * and SMS at most {@link SMS_MAX} characters, one line each; only names are shortened to fit
 * (with `...`), never a number. The SMS carries the top driver and the link only when they fit
 * beside a name of at least {@link MIN_NAME} characters.
 */
export function formatDropAlert(a: DropAlertInput): AlertText {
  const name = oneLine(a.name);
  const pct = formatPct(a.change_pct, true);
  const v = formatCompact(a.value);
  const b = formatCompact(a.baseline);
  const subject =
    fitFields(([n]) => `[nsm] Drop ${a.dt}: ${n} ${pct} (${v} vs ${b})`, [name], SUBJECT_MAX, 1) ??
    // Unreachable: the fixed parts are bounded well below the limit. Kept so a bug cannot send an overlong subject.
    `[nsm] Drop ${a.dt}: ${a.metricId}`.slice(0, SUBJECT_MAX);

  const head = (n: string) => `[nsm] ${a.dt} drop: ${n} ${v} vs ${b} (${pct}, z ${formatZ(a.robust_z)})`;
  const top = a.drivers[0];
  const topPart = top ? (d: string) => ` Top driver: ${d} ${formatPct(top.change_pct, true)}.` : undefined;
  const link = a.consoleUrl ? ` ${oneLine(a.consoleUrl)}` : '';
  // Most informative first; drop the link, then the driver, when they would squeeze the name too far.
  const attempts: (() => string | null)[] = [];
  if (topPart && link)
    attempts.push(() => fitFields(([n, d]) => `${head(n!)}.${topPart(d!)}${link}`, [name, oneLine(top!.name)], SMS_MAX, MIN_NAME));
  if (topPart) attempts.push(() => fitFields(([n, d]) => `${head(n!)}.${topPart(d!)}`, [name, oneLine(top!.name)], SMS_MAX, MIN_NAME));
  if (link) attempts.push(() => fitFields(([n]) => `${head(n!)}.${link}`, [name], SMS_MAX, MIN_NAME));
  attempts.push(() => fitFields(([n]) => `${head(n!)}.`, [name], SMS_MAX, 1));
  let sms: string | null = null;
  for (const attempt of attempts) {
    sms = attempt();
    if (sms !== null) break;
  }

  return { subject, message: dropMessage(a), sms: sms ?? `[nsm] ${a.dt} drop: ${a.metricId}`.slice(0, SMS_MAX) };
}
