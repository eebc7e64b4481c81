import { describe, expect, it } from 'vitest';
import { SMS_MAX, SUBJECT_MAX } from '../../../../functions/core/alerts/alert-text';
import { textLength } from '../../../../functions/core/alerts/fit-text';
import { type DropAlertInput, formatDropAlert } from '../../../../functions/core/alerts/format-drop';
import type { Driver, SegmentRow } from '../../../../functions/core/results/rows';

const driver = (id: string, change_pct: number | null, extra: Partial<Driver> = {}): Driver => ({
  metric_id: id,
  name: id.replace(/_/g, ' '),
  depth: 1,
  value: 120,
  baseline: 200,
  change_pct,
  status: 'ok',
  contribution: null,
  contribution_pct: null,
  ...extra,
});

const input: DropAlertInput = {
  dt: '2024-03-31',
  metricId: 'posting_teams_weekly',
  name: 'Weekly active teams with 3+ members posting',
  isNorthStar: true,
  value: 1234,
  baseline: 1600,
  change_pct: -22.875,
  robust_z: -5.123,
  drivers: [
    driver('new_teams', -40, { name: 'New teams', status: 'drop' }),
    driver('posts_per_active_user', -2.5, {
      name: 'Posts per active user',
      value: 3.12,
      baseline: 3.2,
      parts: {
        numerator: driver('messages_posted', -5.66, { depth: 2, value: 5000, baseline: 5300 }),
        denominator: driver('weekly_active_users', -3.26, { depth: 2, value: 1602, baseline: 1656 }),
      },
    }),
    driver('invited_users', null, { depth: 2, status: 'insufficient_history' }),
  ],
  relation: 'influence',
  identity_residual_pct: null,
  segments: [],
  thresholds: { min_drop_pct: 10, min_robust_z: 3.5, baseline_weeks: 4 },
  reportUri: '/srv/results/reports/dt=2024-03-31/report.html',
  consoleUrl: 'https://nsm.example.com/r/2024-03-31',
};

describe('formatDropAlert', () => {
  it('writes a subject with name, change and values', () => {
    expect(formatDropAlert(input).subject).toBe('[nsm] Drop 2024-03-31: Weekly active teams with 3+ members posting -22.9% (1.2k vs 1.6k)');
  });

  it('writes an email body with metric, numbers, thresholds, drivers with ratio parts, and the report location', () => {
    const { message } = formatDropAlert(input);
    expect(message).toBe(
      [
        'The North Star metric Weekly active teams with 3+ members posting (posting_teams_weekly) dropped on 2024-03-31.',
        '',
        '  Value      1,234',
        '  Baseline   1,600   (median of the last 4 same-weekday nights without a drop or incomplete data)',
        '  Change     -22.9%   (alert at -10% or worse)',
        '  Robust z   -5.1   (alert at -3.5 or below)',
        '',
        'Drivers, largest move first:',
        '  1. New teams (new_teams): 120 vs 200 (-40.0%) [drop]',
        '  2. Posts per active user (posts_per_active_user): 3.12 vs 3.2 (-2.5%)',
        '     numerator   messages posted (messages_posted): 5,000 vs 5,300 (-5.7%)',
        '     denominator weekly active users (weekly_active_users): 1,602 vs 1,656 (-3.3%)',
        '  3. invited users (invited_users) (level 2): 120 vs 200 (n/a) [insufficient history]',
        '',
        'Report: /srv/results/reports/dt=2024-03-31/report.html',
        'Open:   https://nsm.example.com/r/2024-03-31',
        '',
      ].join('\n'),
    );
  });

  it('explains a null robust z and a metric without drivers; lists at most 10 drivers', () => {
    const flat = formatDropAlert({ ...input, isNorthStar: false, robust_z: null, drivers: [], consoleUrl: undefined });
    expect(flat.message).toContain('Robust z   n/a (every earlier week had the same value, so the change alone decides)');
    expect(flat.message).toContain('No drivers: this metric has no inputs in the metric tree.');
    expect(flat.message).not.toContain('North Star');
    expect(flat.message).not.toContain('Open:');
    const many = formatDropAlert({ ...input, drivers: Array.from({ length: 13 }, (_, i) => driver(`m${i}`, -i)) });
    expect(many.message).toContain('  10. m9 (m9)');
    expect(many.message).not.toContain('m10 (m10)');
    expect(many.message).toContain('  ... and 3 more in the report.');
  });

  it('writes a one-line SMS with the top driver and the link when they fit', () => {
    const { sms } = formatDropAlert({ ...input, name: 'Weekly posting teams', consoleUrl: 'https://nsm.example.com/r/31' });
    expect(sms).toBe(
      '[nsm] 2024-03-31 drop: Weekly posting teams 1.2k vs 1.6k (-22.9%, z -5.1). Top driver: New teams -40.0%. https://nsm.example.com/r/31',
    );
    expect(textLength(sms)).toBeLessThanOrEqual(SMS_MAX);
  });

  it('drops the link rather than squeeze the name below 20 characters, and shortens only names', () => {
    // With the link the name would shrink below MIN_NAME (20), so the link goes first.
    const long = formatDropAlert(input).sms;
    expect(long).toBe(
      '[nsm] 2024-03-31 drop: Weekly active teams with 3+ members posting 1.2k vs 1.6k (-22.9%, z -5.1). Top driver: New teams -40.0%.',
    );
    // A shorter link fits beside a name of 20+ characters: then the name is shortened instead.
    const shortLink = formatDropAlert({ ...input, consoleUrl: 'https://x.io/r' }).sms;
    expect(shortLink).toBe(
      '[nsm] 2024-03-31 drop: Weekly active teams with 3+ members po... 1.2k vs 1.6k (-22.9%, z -5.1). Top driver: New teams -40.0%. https://x.io/r',
    );
    expect(textLength(shortLink)).toBe(SMS_MAX); // the name takes all the room there is
    const huge = formatDropAlert({ ...input, name: 'N'.repeat(300), drivers: [driver('d', -40, { name: 'D'.repeat(300) })] }).sms;
    expect(textLength(huge)).toBeLessThanOrEqual(SMS_MAX);
    expect(huge).toMatch(/^\[nsm\] 2024-03-31 drop: N+\.\.\. 1\.2k vs 1\.6k \(-22\.9%, z -5\.1\)\. Top driver: D+\.\.\. -40\.0%\.$/);
  });

  it('truncates a long name in the subject with an ellipsis and keeps every number whole', () => {
    const { subject } = formatDropAlert({ ...input, name: `Weekly active teams ${'with many members '.repeat(10)}` });
    expect(textLength(subject)).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject).toMatch(/^\[nsm\] Drop 2024-03-31: Weekly active teams with .*\.\.\. -22\.9% \(1\.2k vs 1\.6k\)$/);
  });

  it('keeps names with line breaks, emoji and non-Latin text on one line and within limits', () => {
    const t = formatDropAlert({ ...input, name: `週次アクティブチーム\n🚀 ${'長い名前'.repeat(40)}` });
    expect(t.subject).not.toMatch(/\n/);
    expect(t.sms).not.toMatch(/\n/);
    expect(t.subject.startsWith('[nsm] Drop 2024-03-31: 週次アクティブチーム 🚀 長い名前')).toBe(true);
    expect(textLength(t.subject)).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(textLength(t.sms)).toBeLessThanOrEqual(SMS_MAX);
    expect(t.subject).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone surrogate
  });

  it.each([
    [Number.MAX_VALUE, -Number.MAX_VALUE, -1e300, -1e300],
    [1e-300, 1e300, -100, -1e12],
    [null, 0, null, null],
    [-5e14, 999_999.9, -1e6, -0.0001],
  ])('stays within limits for extreme numbers (value %s, baseline %s, change %s, z %s)', (value, baseline, change_pct, robust_z) => {
    const name = 'A metric with a deliberately long descriptive name that goes on and on and on';
    const t = formatDropAlert({
      ...input,
      name,
      value,
      baseline,
      change_pct,
      robust_z,
      drivers: [driver('d', -Number.MAX_VALUE, { name })],
    });
    expect(textLength(t.subject)).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(textLength(t.sms)).toBeLessThanOrEqual(SMS_MAX);
    // The numbers appear whole in both short texts.
    const v = t.subject.match(/\((\S+) vs (\S+)\)$/);
    expect(v, t.subject).not.toBeNull();
    expect(t.sms).toContain(`${v![1]} vs ${v![2]}`);
  });
});

describe('formatDropAlert: attribution and segments', () => {
  const segment = (over: Partial<SegmentRow>): SegmentRow => ({
    dt: '2024-03-31',
    metric_id: 'messages_posted',
    dimension: 'platform',
    segment: 'android',
    value: 300,
    baseline: 1000,
    change: -700,
    change_pct: -70,
    share_pct: 10,
    baseline_share_pct: 30,
    contribution_pct: 96,
    score: 116,
    rank: 1,
    ...over,
  });
  // messages_posted = daily_posters x posts_per_poster: 1000 x 4 = 4000 -> 730 x 3.04 = 2219.2.
  const product: DropAlertInput = {
    ...input,
    metricId: 'messages_posted',
    name: 'Messages posted',
    isNorthStar: false,
    value: 2219.2,
    baseline: 4000,
    change_pct: -44.52,
    robust_z: -9,
    relation: 'product',
    identity_residual_pct: 0,
    drivers: [
      driver('daily_posters', -27, { value: 730, baseline: 1000, contribution: -951.3, contribution_pct: 53.4 }),
      driver('posts_per_poster', -24, { value: 3.04, baseline: 4, contribution: -829.5, contribution_pct: 46.6 }),
      driver('active_devices', -30, { depth: 2, contribution: null, contribution_pct: null }),
    ],
    segments: [segment({}), segment({ dimension: 'country', segment: '(other)', change_pct: -40, contribution_pct: 20, rank: 2 })],
    consoleUrl: undefined,
  };

  it('says how much of the fall each input accounts for, and where it happened', () => {
    const { message } = formatDropAlert(product);
    expect(message).toContain(
      [
        '  Robust z   -9.0   (alert at -3.5 or below)',
        '',
        'Made of its inputs (product): daily_posters -27.0% (53% of the fall), posts_per_poster -24.0% (47%)',
        'Where: platform=android -70.0%, 96% of the fall',
        '',
        'Drivers, largest move first:',
        '  1. daily posters (daily_posters): 730 vs 1,000 (-27.0%), 53% of the fall',
        '  2. posts per poster (posts_per_poster): 3.04 vs 4 (-24.0%), 47% of the fall',
        '  3. active devices (active_devices) (level 2): 120 vs 200 (-30.0%)',
        '',
        'Segments that explain it most:',
        '  1. platform=android: 300 vs 1,000 (-70.0%), 96% of the fall; share 10.0% (usually 30.0%)',
        '  2. country=(other): 300 vs 1,000 (-40.0%), 20% of the fall; share 10.0% (usually 30.0%)',
        '',
        'Report: /srv/results/reports/dt=2024-03-31/report.html',
      ].join('\n'),
    );
  });

  it('calls out a declared product that does not hold tonight', () => {
    const { message } = formatDropAlert({ ...product, identity_residual_pct: 11.2 });
    expect(message).toContain(
      "Note: tonight the product of its inputs is 11% away from its value (identity residual); check the tree's declaration.",
    );
    expect(formatDropAlert({ ...product, identity_residual_pct: 0.4 }).message).not.toContain('Note:');
  });

  it('names the first segment in the SMS when it fits; the link goes first, then the segment', () => {
    const { sms } = formatDropAlert(product);
    expect(sms).toBe(
      '[nsm] 2024-03-31 drop: Messages posted 2.2k vs 4k (-44.5%, z -9.0). Top driver: daily posters -27.0%. Where: platform=android -70.0%.',
    );
    // 145 characters with the link: the link is left out.
    expect(formatDropAlert({ ...product, consoleUrl: 'https://x.io/r' }).sms).toBe(sms);
    // A long name is shortened to keep the segment, down to 20 characters.
    const long = formatDropAlert({ ...product, name: 'Messages posted by members of active teams, all platforms' }).sms;
    expect(long).toBe(
      '[nsm] 2024-03-31 drop: Messages posted by... 2.2k vs 4k (-44.5%, z -9.0). Top driver: daily posters -27.0%. Where: platform=android -70.0%.',
    );
    expect(textLength(long)).toBeLessThanOrEqual(SMS_MAX);
    // A long segment value is shortened like a name, never its number.
    const huge = formatDropAlert({ ...product, segments: [segment({ segment: 'x'.repeat(200) })] }).sms;
    expect(huge).toBe(
      '[nsm] 2024-03-31 drop: Messages posted 2.2k vs 4k (-44.5%, z -9.0). Top driver: daily posters -27.0%. Where: platform=xxxxxxxxxxx... -70.0%.',
    );
  });

  it("labels a ratio's segments with the part they belong to", () => {
    const ratio = formatDropAlert({
      ...product,
      metricId: 'posts_per_user',
      relation: 'influence',
      drivers: [],
      segments: [segment({ metric_id: 'messages_posted' })],
    });
    expect(ratio.message).toContain('Where: messages_posted platform=android -70.0%, 96% of its change');
    expect(ratio.message).not.toContain('Made of its inputs');
  });
});
