import type { DropThresholds } from '../baseline/judge';
import type { TreeRelation } from '../config/types';
import type { Driver, SegmentRow } from '../results/rows';
import { type AlertText, EMAIL_MAX_DRIVERS, MIN_NAME, SMS_MAX, SUBJECT_MAX } from './alert-text';
import { fitFields, oneLine } from './fit-text';
import { formatCompact, formatNumber, formatPct, formatPortion, formatZ } from './number-format';

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
  /** How the metric is made of its children (`product`/`sum` attribute its fall to them). */
  readonly relation: TreeRelation;
  /** The metric's identity residual tonight (null unless it is a `product`/`sum` parent). */
  readonly identity_residual_pct: number | null;
  /** Its top segments, first = explains the fall most (see `topSegments`); may be empty. */
  readonly segments: readonly SegmentRow[];
  readonly thresholds: DropThresholds;
  /** Where the night's report is (a path or an `s3://` URI). */
  readonly reportUri: string;
  /** A link a person can open on a phone (for example a presigned or console URL), when there is one. */
  readonly consoleUrl?: string | undefined;
  /** The night was first judged data_incomplete and is re-judged now that its data landed (`AlertRow.late`). */
  readonly late?: boolean;
}

const STATUS_TAG: Record<Driver['status'], string> = {
  ok: '',
  drop: ' [drop]',
  insufficient_history: ' [insufficient history]',
  data_incomplete: ' [data incomplete]',
};

/** The email's second line for a night re-judged after its data landed late. */
export const LATE_NOTE = (dt: string) =>
  `Found late: ${dt} was judged data_incomplete when it first ran; its data has landed since, and this is the night judged again.`;

/** A residual beyond this many percent is called out: the declared product/sum does not hold tonight. */
export const RESIDUAL_NOTE_PCT = 1;

/** `53% of the fall` (a child of the alerted metric) or `53% of its parent's change` (deeper). */
function portionText(d: Driver): string {
  return `${formatPortion(d.contribution_pct)} of ${d.depth === 1 ? 'the fall' : "its parent's change"}`;
}

function driverLine(d: Driver): string {
  const level = d.depth > 1 ? ` (level ${d.depth})` : '';
  const part = d.contribution_pct === null ? '' : `, ${portionText(d)}`;
  return `${oneLine(d.name)} (${d.metric_id})${level}: ${formatNumber(d.value)} vs ${formatNumber(d.baseline)} (${formatPct(d.change_pct)})${part}${STATUS_TAG[d.status]}`;
}

/**
 * `daily_posters -27.0% (55% of the fall), posts_per_poster -24.0% (45%)`: a product/sum parent's
 * children by the size of their part, or null when the metric is not one or no part is known.
 */
export function attributionLine(drivers: readonly Driver[]): string | null {
  const children = drivers.filter((d) => d.depth === 1 && d.contribution_pct !== null);
  if (children.length === 0) return null;
  const sorted = [...children].sort((a, b) => Math.abs(b.contribution_pct!) - Math.abs(a.contribution_pct!));
  return sorted
    .map((d, i) => `${d.metric_id} ${formatPct(d.change_pct)} (${formatPortion(d.contribution_pct)}${i === 0 ? ' of the fall' : ''})`)
    .join(', ');
}

/** `platform=android`, or `messages_posted platform=android` for a segment of another metric (a ratio's parts). */
export function segmentLabel(s: SegmentRow, metricId: string): string {
  const where = `${s.dimension}=${s.segment}`;
  return s.metric_id === metricId ? where : `${s.metric_id} ${where}`;
}

/** `platform=android -70.0%, 96% of the fall` (the segment's own change and its part of the metric's). */
export function segmentSummary(s: SegmentRow, metricId: string): string {
  const fall = s.metric_id === metricId ? 'the fall' : `its change`;
  return `${segmentLabel(s, metricId)} ${formatPct(s.change_pct)}, ${formatPortion(s.contribution_pct)} of ${fall}`;
}

function segmentLine(s: SegmentRow, metricId: string): string {
  const share = `share ${formatShareNumber(s.share_pct)} (usually ${formatShareNumber(s.baseline_share_pct)})`;
  return `${oneLine(segmentLabel(s, metricId))}: ${formatNumber(s.value)} vs ${formatNumber(s.baseline)} (${formatPct(s.change_pct)}), ${formatPortion(s.contribution_pct)} of ${s.metric_id === metricId ? 'the fall' : 'its change'}; ${share}`;
}

/** A share already in percent, one decimal: `30.0%`. */
function formatShareNumber(p: number | null): string {
  return p === null || !Number.isFinite(p) ? 'n/a' : `${p.toFixed(1)}%`;
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
    ...(a.late ? [LATE_NOTE(a.dt)] : []),
    '',
    `  Value      ${formatNumber(a.value)}`,
    `  Baseline   ${formatNumber(a.baseline)}   (median of the last ${t.baseline_weeks} same-weekday nights without a drop or incomplete data)`,
    `  Change     ${formatPct(a.change_pct)}   (alert at -${formatNumber(t.min_drop_pct)}% or worse)`,
    `  Robust z   ${z}`,
    '',
  ];
  const made = a.relation === 'influence' ? null : attributionLine(a.drivers);
  if (made) lines.push(`Made of its inputs (${a.relation}): ${made}`);
  if (a.identity_residual_pct !== null && Math.abs(a.identity_residual_pct) > RESIDUAL_NOTE_PCT) {
    lines.push(
      `Note: tonight the ${a.relation} of its inputs is ${formatPortion(a.identity_residual_pct)} away from its value (identity residual); check the tree's declaration.`,
    );
  }
  const first = a.segments[0];
  if (first) lines.push(`Where: ${oneLine(segmentSummary(first, a.metricId))}`);
  if (made || first || (a.identity_residual_pct !== null && Math.abs(a.identity_residual_pct) > RESIDUAL_NOTE_PCT)) lines.push('');
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
  if (a.segments.length > 0) {
    lines.push('', 'Segments that explain it most:');
    for (const [i, s] of a.segments.entries()) lines.push(`  ${i + 1}. ${segmentLine(s, a.metricId)}`);
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
    fitFields(([n]) => `[nsm] Drop ${a.dt}${a.late ? ' (late data)' : ''}: ${n} ${pct} (${v} vs ${b})`, [name], SUBJECT_MAX, 1) ??
    // Unreachable: the fixed parts are bounded well below the limit. Kept so a bug cannot send an overlong subject.
    `[nsm] Drop ${a.dt}: ${a.metricId}`.slice(0, SUBJECT_MAX);

  const head = (n: string) => `[nsm] ${a.dt} ${a.late ? 'late drop' : 'drop'}: ${n} ${v} vs ${b} (${pct}, z ${formatZ(a.robust_z)})`;
  const top = a.drivers[0];
  const where = a.segments[0];
  const link = a.consoleUrl ? ` ${oneLine(a.consoleUrl)}` : '';
  // Optional parts, each with the name it may shorten: the top driver, where it happened, the link.
  type Part = { text: (field: string) => string; field: string | null };
  const driverPart: Part | null = top
    ? { text: (d) => ` Top driver: ${d} ${formatPct(top.change_pct, true)}.`, field: oneLine(top.name) }
    : null;
  const wherePart: Part | null = where
    ? { text: (w) => ` Where: ${w} ${formatPct(where.change_pct, true)}.`, field: oneLine(segmentLabel(where, a.metricId)) }
    : null;
  const linkPart: Part | null = link ? { text: () => link, field: null } : null;
  // Most informative first; leave out the link, then where, then the driver, when they would squeeze the name too far.
  const combos: (Part | null)[][] = [
    [driverPart, wherePart, linkPart],
    [driverPart, wherePart],
    [driverPart, linkPart],
    [wherePart, linkPart],
    [driverPart],
    [wherePart],
    [linkPart],
  ];
  let sms: string | null = null;
  for (const combo of combos) {
    if (combo.some((p) => p === null)) continue;
    const parts = combo as Part[];
    const named = parts.filter((p) => p.field !== null);
    sms = fitFields(
      ([n, ...fields]) => {
        let k = 0;
        return `${head(n!)}.${parts.map((p) => p.text(p.field === null ? '' : fields[k++]!)).join('')}`;
      },
      [name, ...named.map((p) => p.field!)],
      SMS_MAX,
      MIN_NAME,
    );
    if (sms !== null) break;
  }
  sms ??= fitFields(([n]) => `${head(n!)}.`, [name], SMS_MAX, 1);

  return { subject, message: dropMessage(a), sms: sms ?? `[nsm] ${a.dt} drop: ${a.metricId}`.slice(0, SMS_MAX) };
}
