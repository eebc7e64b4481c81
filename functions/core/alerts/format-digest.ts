/**
 * The digest's texts (docs/alerts.md "The digest"). It is e-mail only: on SNS a filter policy keeps
 * it from SMS subscriptions, so the `sms` text is only what an `sms` key must hold (one line).
 */
import { daysBetween } from '../dates';
import { type AlertText, SMS_MAX, SUBJECT_MAX } from './alert-text';
import type { DigestContent } from './digest';
import { fitFields, oneLine } from './fit-text';
import { formatCompact, formatNumber, formatPct } from './number-format';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `week 2024-05-13 to 2024-05-19` or `2024-05-19`. */
function periodText(c: DigestContent): string {
  return c.period.every === 'weekly' ? `week ${c.period.from} to ${c.period.to}` : c.period.to;
}

function overPeriod(c: DigestContent): string {
  const { value, before } = c.nsm;
  if (value === null || before === null || before === 0) return '';
  const change = (100 * (value - before)) / Math.abs(before);
  return `${formatPct(change, true)} ${c.period.every === 'weekly' ? 'on the week' : 'on the day'}`;
}

/** Subject, e-mail body and a one-line `sms` of a digest. */
export function formatDigest(c: DigestContent): AlertText {
  const title = c.period.every === 'weekly' ? 'Weekly digest' : 'Daily digest';
  const name = oneLine(c.nsm.name);
  const over = overPeriod(c);
  const headline = (n: string) => `${n} ${formatCompact(c.nsm.value)}${over ? ` (${over})` : ''}`;
  // The subject leaves out "on the week": the title says which period it is.
  const short = over.split(' ')[0];
  const subject =
    fitFields(
      ([n]) => `[nsm] ${title} ${c.period.to}: ${n} ${formatCompact(c.nsm.value)}${short ? ` (${short})` : ''}`,
      [name],
      SUBJECT_MAX,
      1,
    ) ?? `[nsm] ${title} ${c.period.to}`.slice(0, SUBJECT_MAX);

  const lines = [`${title}, ${periodText(c)}.`, ''];
  if (c.dataIncomplete) lines.push(`The data of ${c.period.to} looks incomplete: its changes were not judged (see the report).`, '');
  lines.push(
    `${name} (${c.nsm.id}), the North Star metric:`,
    `  Tonight    ${formatNumber(c.nsm.value)}   (baseline ${formatNumber(c.nsm.baseline)}, ${formatPct(c.nsm.change_pct)})`,
  );
  if (c.nsm.before !== null)
    lines.push(`  ${c.period.every === 'weekly' ? 'Week ago' : 'Day before'}   ${formatNumber(c.nsm.before)}${over ? `   (${over})` : ''}`);
  lines.push('', 'Largest moves in the tree tonight:');
  if (c.moves.length === 0) lines.push('  none (no metric below the north star has a baseline yet)');
  for (const [i, m] of c.moves.entries()) {
    const tag = m.status === 'drop' ? ' [drop]' : '';
    lines.push(`  ${i + 1}. ${oneLine(m.name)} (${m.metric_id}): ${formatNumber(m.value)} (${formatPct(m.change_pct)})${tag}`);
  }
  lines.push('', 'Open incidents:');
  if (c.incidents.length === 0) lines.push('  none');
  for (const inc of c.incidents) {
    const days = plural(daysBetween(inc.onset, c.period.to) + 1, 'day');
    lines.push(`  ${oneLine(inc.name)} (${inc.id}): ${days}, worst ${formatPct(inc.worstChangePct)}, tonight ${formatPct(inc.change_pct)}`);
  }
  if (c.verdicts !== null) {
    lines.push('', 'Candidate verdicts that changed:');
    if (c.verdicts.length === 0) lines.push('  none');
    for (const v of c.verdicts) {
      const q = v.q_value === null ? 'n/a' : v.q_value < 0.001 ? v.q_value.toExponential(1) : v.q_value.toFixed(3);
      lines.push(`  ${v.candidate_id}: ${v.before} -> ${v.now} (lift ${formatNumber(v.lift)}, q ${q})`);
    }
  }
  lines.push('', `Report: ${c.reportUri}`);
  if (c.consoleUrl) lines.push(`Open:   ${c.consoleUrl}`);

  const open = c.incidents.length > 0 ? `, ${plural(c.incidents.length, 'open incident')}` : '';
  const sms =
    fitFields(([n]) => `[nsm] ${title} ${c.period.to}: ${headline(n!)}${open}.`, [name], SMS_MAX, 1) ??
    `[nsm] ${title} ${c.period.to}`.slice(0, SMS_MAX);
  return { subject, message: `${lines.join('\n')}\n`, sms };
}
