import type { DataCompleteness } from '../results/report';
import { type AlertText, SMS_MAX, SUBJECT_MAX } from './alert-text';
import { oneLine } from './fit-text';
import { formatCompact, formatNumber, formatShare } from './number-format';

/** Everything a `data_incomplete` alert says. */
export interface IncompleteAlertInput {
  readonly dt: string;
  /** The freshness guard's finding (status `incomplete`). */
  readonly data: DataCompleteness;
  /** `alerts.freshness.min_ratio`. */
  readonly minRatio: number;
  /** `alerts.baseline_weeks`. */
  readonly baselineWeeks: number;
  /** `alerts.freshness.recheck_nights`: how many following nights re-check this one (0 = none). */
  readonly recheckNights: number;
  /** The lake's partition key (`lake.partition`), to name the partition. */
  readonly partitionKey: string;
  readonly reportUri: string;
  readonly consoleUrl?: string | undefined;
}

/** Rows of `label  value  (note)`, labels padded to one column. */
function table(rows: readonly (readonly [string, string, string])[]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value, note]) => `  ${label.padEnd(width)}   ${value}${note ? `   (${note})` : ''}`);
}

/**
 * Subject, email body and SMS of the night's one `data_incomplete` alert (docs/design.md §2): the data
 * looks late or partial, so drops were not judged. Nothing in these texts is a name from the config,
 * so nothing needs shortening; the limits hold by construction and are still checked by tests.
 */
export function formatIncompleteAlert(a: IncompleteAlertInput): AlertText {
  const { data } = a;
  const partition = `${a.partitionKey}=${a.dt}`;
  const subject = data.partition_missing
    ? `[nsm] Data incomplete ${a.dt}: partition ${partition} missing`
    : data.partition_empty
      ? `[nsm] Data incomplete ${a.dt}: partition ${partition} empty`
      : `[nsm] Data incomplete ${a.dt}: ${formatCompact(data.day_events)} events, ${formatShare(data.ratio)} of usual ${formatCompact(data.baseline_events)}`;

  const finding = data.partition_missing
    ? [`The partition ${partition} is missing from the lake, so the night's events cannot be counted.`]
    : data.partition_empty
      ? [`The partition ${partition} is in the lake but holds no events (empty files, or only markers such as _SUCCESS).`]
      : [
          `The event data for ${a.dt} looks incomplete: far fewer events than on the same weekday in earlier weeks.`,
          '',
          ...table([
            [`Events in ${partition}`, formatNumber(data.day_events), ''],
            ['Usual for this weekday', formatNumber(data.baseline_events), `median over the ${a.baselineWeeks} weeks before`],
            ['Share of usual', formatShare(data.ratio), `the guard trips below ${formatShare(a.minRatio)}`],
          ]),
        ];
  const lines = [
    ...finding,
    '',
    'Drop detection was skipped for this night: every metric is recorded with status data_incomplete',
    'and no drop alert goes out.',
    ...(a.recheckNights > 0
      ? [
          `${a.recheckNights === 1 ? 'The next night re-checks it and judges' : `The next ${a.recheckNights} nights re-check it and judge`} it again once its data has landed;`,
          'any real drop is alerted then, marked late. Or run it again yourself once the data is in',
          `(nsm run --date ${a.dt}).`,
        ]
      : ['When the data has landed, run the night again', `(nsm run --date ${a.dt}); any real drop is alerted then.`]),
    '',
    `Report: ${a.reportUri}`,
  ];
  if (a.consoleUrl) lines.push(`Open:   ${a.consoleUrl}`);

  const what = data.partition_missing
    ? 'partition missing'
    : data.partition_empty
      ? 'partition empty'
      : `${formatCompact(data.day_events)} events, ${formatShare(data.ratio)} of usual ${formatCompact(data.baseline_events)}`;
  const base = `[nsm] ${a.dt}: data incomplete (${what}). Drop alerts held.`;
  const link = a.consoleUrl ? ` ${oneLine(a.consoleUrl)}` : '';
  const sms = base.length + link.length <= SMS_MAX ? base + link : base;

  return { subject: subject.slice(0, SUBJECT_MAX), message: `${lines.join('\n')}\n`, sms: sms.slice(0, SMS_MAX) };
}
