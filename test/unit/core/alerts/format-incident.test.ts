import { describe, expect, it } from 'vitest';
import { SMS_MAX, SUBJECT_MAX } from '../../../../functions/core/alerts/alert-text';
import { formatRecoveredAlert, formatStillDownAlert, type IncidentAlertInput } from '../../../../functions/core/alerts/format-incident';

const input = (over: Partial<IncidentAlertInput> = {}): IncidentAlertInput => ({
  dt: '2024-05-16',
  metricId: 'signups',
  name: 'Signups',
  incident: { id: 'signups:2024-05-14', metricId: 'signups', onset: '2024-05-14', lastDrop: '2024-05-16', worstChangePct: -41.25 },
  nightOfIncident: 3,
  value: 620,
  baseline: 1000,
  change_pct: -38,
  reportUri: 'results/reports/dt=2024-05-16/report.html',
  ...over,
});

describe('formatStillDownAlert', () => {
  it('says which day of the drop it is, the change now and the worst', () => {
    const t = formatStillDownAlert(input());
    expect(t.subject).toBe('[nsm] Still down 2024-05-16: Signups -38.0%, day 3 of the drop');
    expect(t.sms).toBe('[nsm] 2024-05-16 still down: Signups, day 3 of the drop, now -38.0% (620 vs 1k).');
    expect(t.message).toContain('is still down on 2024-05-16: day 3 of the drop that began on 2024-05-14.');
    expect(t.message).toContain('  Worst      -41.3%   (since 2024-05-14)');
  });
});

describe('formatRecoveredAlert', () => {
  it('says how long it lasted (onset to last drop night), the worst change and the value now', () => {
    const t = formatRecoveredAlert(input({ dt: '2024-05-17', value: 990, change_pct: -1, nightOfIncident: 4 }));
    expect(t.subject).toBe('[nsm] Recovered 2024-05-17: Signups after 3 days (worst -41.3%)');
    expect(t.sms).toBe('[nsm] 2024-05-17 recovered: Signups 990 vs 1k (-1.0%) after 3 days, worst -41.3%.');
    expect(t.message).toContain('  Lasted     3 days   (2024-05-14 to 2024-05-16)');
    expect(t.message).toContain('Incident signups:2024-05-14 is closed.');
  });

  it('a one-night incident lasted 1 day', () => {
    const t = formatRecoveredAlert(input({ incident: { ...input().incident, lastDrop: '2024-05-14' } }));
    expect(t.subject).toContain('after 1 day (');
  });
});

describe('both texts within the limits', () => {
  it.each([
    ['still_down', formatStillDownAlert],
    ['recovered', formatRecoveredAlert],
  ] as const)('%s: a 300-character name is shortened, numbers and dates stay whole; the link goes when it does not fit', (_, format) => {
    const t = format(input({ name: 'N'.repeat(300), consoleUrl: `https://console.example.com/${'x'.repeat(90)}` }));
    expect(t.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(t.sms.length).toBeLessThanOrEqual(SMS_MAX);
    expect(t.subject).toContain('...');
    expect(t.sms).toContain('-38.0%');
    expect(t.sms).not.toContain('https://');
    const short = format(input({ consoleUrl: 'https://x.io/r' }));
    expect(short.sms.endsWith(' https://x.io/r')).toBe(true);
    expect(short.message).toContain('Open:   https://x.io/r');
  });
});
