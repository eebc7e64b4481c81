import { describe, expect, it } from 'vitest';
import { SMS_MAX, SUBJECT_MAX } from '../../../../functions/core/alerts/alert-text';
import { formatIncompleteAlert, type IncompleteAlertInput } from '../../../../functions/core/alerts/format-incomplete';

const input: IncompleteAlertInput = {
  dt: '2024-03-31',
  data: { day_events: 1234, partition_missing: false, partition_empty: false, baseline_events: 6170, ratio: 0.2, status: 'incomplete' },
  minRatio: 0.5,
  baselineWeeks: 4,
  recheckNights: 3,
  partitionKey: 'dt',
  reportUri: '/srv/results/reports/dt=2024-03-31/report.html',
};

describe('formatIncompleteAlert', () => {
  it('says how low the volume is against the usual', () => {
    const t = formatIncompleteAlert(input);
    expect(t.subject).toBe('[nsm] Data incomplete 2024-03-31: 1.2k events, 20.0% of usual 6.2k');
    expect(t.sms).toBe('[nsm] 2024-03-31: data incomplete (1.2k events, 20.0% of usual 6.2k). Drop alerts held.');
    expect(t.message).toBe(
      [
        'The event data for 2024-03-31 looks incomplete: far fewer events than on the same weekday in earlier weeks.',
        '',
        '  Events in dt=2024-03-31   1,234',
        '  Usual for this weekday    6,170   (median over the 4 weeks before)',
        '  Share of usual            20.0%   (the guard trips below 50.0%)',
        '',
        'Drop detection was skipped for this night: every metric is recorded with status data_incomplete',
        'and no drop alert goes out.',
        'The next 3 nights re-check it and judge it again once its data has landed;',
        'any real drop is alerted then, marked late. Or run it again yourself once the data is in',
        '(nsm run --date 2024-03-31).',
        '',
        'Report: /srv/results/reports/dt=2024-03-31/report.html',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing re-checks the night (recheck_nights 0), and the one night that does', () => {
    expect(formatIncompleteAlert({ ...input, recheckNights: 0 }).message).toContain(
      'and no drop alert goes out.\nWhen the data has landed, run the night again\n(nsm run --date 2024-03-31); any real drop is alerted then.\n',
    );
    expect(formatIncompleteAlert({ ...input, recheckNights: 1 }).message).toContain(
      'The next night re-checks it and judges it again once its data has landed;',
    );
  });

  it('names a missing partition', () => {
    const t = formatIncompleteAlert({
      ...input,
      partitionKey: 'event_day',
      consoleUrl: 'https://nsm.example.com/r',
      data: { day_events: 0, partition_missing: true, partition_empty: false, baseline_events: null, ratio: null, status: 'incomplete' },
    });
    expect(t.subject).toBe('[nsm] Data incomplete 2024-03-31: partition event_day=2024-03-31 missing');
    expect(t.sms).toBe('[nsm] 2024-03-31: data incomplete (partition missing). Drop alerts held. https://nsm.example.com/r');
    expect(t.message.startsWith('The partition event_day=2024-03-31 is missing from the lake')).toBe(true);
    expect(t.message).toContain('Open:   https://nsm.example.com/r\n');
  });

  it('names an empty partition (files present, no events) as empty, not missing', () => {
    const t = formatIncompleteAlert({
      ...input,
      data: { day_events: 0, partition_missing: false, partition_empty: true, baseline_events: 6170, ratio: 0, status: 'incomplete' },
    });
    expect(t.subject).toBe('[nsm] Data incomplete 2024-03-31: partition dt=2024-03-31 empty');
    expect(t.sms).toBe('[nsm] 2024-03-31: data incomplete (partition empty). Drop alerts held.');
    expect(t.message.split('\n')[0]).toBe(
      'The partition dt=2024-03-31 is in the lake but holds no events (empty files, or only markers such as _SUCCESS).',
    );
    expect(t.message).not.toContain('missing');
  });

  it('stays within limits with extreme counts and leaves out a link that does not fit', () => {
    const t = formatIncompleteAlert({
      ...input,
      consoleUrl: `https://example.com/${'x'.repeat(200)}`,
      data: {
        day_events: 1.5e300,
        partition_missing: false,
        partition_empty: false,
        baseline_events: Number.MAX_VALUE,
        ratio: 1e-9,
        status: 'incomplete',
      },
    });
    expect(t.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(t.sms.length).toBeLessThanOrEqual(SMS_MAX);
    expect(t.sms).not.toContain('https://');
    expect(t.sms).toContain('(1.5e300 events, 0.0% of usual 1.8e308)');
  });
});
