import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../../../functions/core/config/describe';
import { parseConfig } from '../../../../functions/core/config/parse';
import { EXAMPLE_TEXT, exampleDoc } from './fixture';

describe('describeConfig', () => {
  it('summarises the docs/design.md §2 example', () => {
    expect(describeConfig(parseConfig(EXAMPLE_TEXT, 'nsm.config.yaml'))).toBe(
      [
        '6 metrics: 1 count, 1 sum, 1 distinct_users, 1 distinct_accounts, 1 active_accounts, 1 ratio',
        'North star: posting_teams_weekly "Weekly active teams with 3+ members posting"',
        'Tree:',
        '  posting_teams_weekly (active_accounts, 7-day window)',
        '  ├── new_teams (distinct_accounts, 7-day window)',
        '  ├── weekly_active_users (distinct_users, 7-day window)',
        '  └── posts_per_active_user (ratio messages_posted / weekly_active_users)',
        'Outside the tree: messages_posted (count, 1-day window), listening_hours (sum, 1-day window)',
        'Watched: posting_teams_weekly, new_teams',
        'Drop: change <= -10% and robust z <= -3.5 against 4 weeks of baseline; freshness min ratio 0.5',
        'Notify: email growth-team@example.com; sms +15555550100; sns topic arn:aws:sns:us-east-1:123456789012:nsm-alerts',
        'Segments: none',
        'Candidates: 2 actions; cohort: first signed_up over 28 days; retained: any event on days 84-90 after entry; strong when lift > 2 and q < 0.01',
        '  payment_completed_d7: payment_completed within 7 days',
        '  report_shared_d7: report_shared within 7 days',
        'Lake: ./demo/lake (json, partition dt, first day 2024-01-01); athena product_events.events, workgroup nsm, cutoff 100 GB',
        'Results: ./demo/results',
        'Schedule: 0 6 * * * (UTC)',
      ].join('\n'),
    );
  });

  it('draws a deeper tree with a second top-level node, and a config without extras', () => {
    const doc = exampleDoc();
    doc.tree = {
      posting_teams_weekly: ['weekly_active_users', 'new_teams'],
      weekly_active_users: ['posts_per_active_user', 'messages_posted'],
      posts_per_active_user: ['listening_hours'],
    };
    doc.metrics.push({ id: 'signups', type: 'count', events: ['signed_up'] });
    doc.metrics.push({ id: 'signups_weekly', type: 'count', events: ['signed_up'], window_days: 7 });
    doc.tree.signups_weekly = { sum: ['signups'] };
    doc.segments = { dimensions: ['platform', 'country'], max_values: 5 };
    doc.metrics[0].name = 'posting_teams_weekly';
    delete doc.alerts.watch;
    doc.alerts.email = [];
    doc.alerts.sms = [];
    delete doc.alerts.sns_topic_arn;
    doc.alerts.baseline_weeks = 1;
    delete doc.candidates;
    delete doc.lake.athena;
    delete doc.lake.first_day;
    doc.lake.format = 'parquet';
    doc.timezone = 'Europe/Berlin';
    doc.results.location = 's3://acme-results/nsm';
    expect(describeConfig(parseConfig(JSON.stringify(doc), 'x'))).toBe(
      [
        '8 metrics: 3 count, 1 sum, 1 distinct_users, 1 distinct_accounts, 1 active_accounts, 1 ratio',
        'North star: posting_teams_weekly',
        'Tree:',
        '  posting_teams_weekly (active_accounts, 7-day window)',
        '  ├── weekly_active_users (distinct_users, 7-day window)',
        '  │   ├── posts_per_active_user (ratio messages_posted / weekly_active_users)',
        '  │   │   └── listening_hours (sum, 1-day window)',
        '  │   └── messages_posted (count, 1-day window)',
        '  └── new_teams (distinct_accounts, 7-day window)',
        '  signups_weekly (count, 7-day window) = sum of its children',
        '  └── signups (count, 1-day window)',
        'Outside the tree: none',
        'Watched: posting_teams_weekly, weekly_active_users, posts_per_active_user, listening_hours, messages_posted, new_teams, signups_weekly, signups',
        'Drop: change <= -10% and robust z <= -3.5 against 1 week of baseline; freshness min ratio 0.5',
        'Notify: email none; sms none; sns topic none',
        'Segments: watched metrics by platform, country (the 5 largest values of each, the rest as (other))',
        'Candidates: none',
        'Lake: ./demo/lake (parquet, partition dt)',
        'Results: s3://acme-results/nsm',
        'Schedule: 0 6 * * * (Europe/Berlin)',
      ].join('\n'),
    );
  });

  it('shows a north star alone when there is no tree, and a one-day retention window', () => {
    const doc = exampleDoc();
    doc.tree = {};
    doc.alerts.watch = [];
    doc.candidates.retention = { day: 30, window_days: 1 };
    doc.candidates.actions = [doc.candidates.actions[0]];
    doc.candidates.actions[0].within_days = 1;
    const lines = describeConfig(parseConfig(JSON.stringify(doc), 'x')).split('\n');
    expect(lines.slice(2, 4)).toEqual(['Tree:', '  posting_teams_weekly (active_accounts, 7-day window)']);
    expect(lines).toContain('Watched: none');
    expect(lines).toContain(
      'Candidates: 1 action; cohort: first signed_up over 28 days; retained: any event on day 30 after entry; strong when lift > 2 and q < 0.01',
    );
    expect(lines).toContain('  payment_completed_d7: payment_completed within 1 day');
  });
});
