import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../../functions/core/config/parse';
import { demoConfigYaml } from '../../../functions/demo/demo-config';
import { DEMO_ACTIONS, RETENTION } from '../../../functions/demo/story';

const text = demoConfigYaml({ lakeDir: './lake', resultsDir: './results' });
const config = parseConfig(text, 'nsm.config.yaml');

describe('demoConfigYaml', () => {
  it('is a valid config with the lake and results folders as given', () => {
    expect(config.lake).toMatchObject({
      location: './lake',
      format: 'json',
      partition: 'dt',
      columns: { user: 'user_id', account: 'account_id', event: 'event_name', time: 'event_time' },
    });
    expect(config.results.location).toBe('./results');
    expect(config.timezone).toBe('UTC');
  });

  it('quotes folder names that YAML would otherwise misread', () => {
    const odd = parseConfig(demoConfigYaml({ lakeDir: 'C:\\demo #1\\lake: "x"', resultsDir: '- results' }), 'x.yaml');
    expect(odd.lake.location).toBe('C:\\demo #1\\lake: "x"');
    expect(odd.results.location).toBe('- results');
  });

  it('has the metrics of the story with their exact definitions', () => {
    const byId = Object.fromEntries(config.metrics.map((m) => [m.id, m]));
    expect(byId.posting_teams_weekly).toMatchObject({ type: 'active_accounts', events: ['message_posted'], min_users: 3, window_days: 7 });
    expect(byId.weekly_active_users).toMatchObject({ type: 'distinct_users', events: undefined, window_days: 7 });
    expect(byId.new_teams).toMatchObject({ type: 'distinct_accounts', events: ['team_created'], window_days: 7 });
    expect(byId.posts_per_active_user).toMatchObject({ type: 'ratio', numerator: 'messages_posted', denominator: 'daily_active_users' });
    expect(byId.messages_posted).toMatchObject({ type: 'count', events: ['message_posted'], window_days: 1 });
    expect(byId.daily_active_users).toMatchObject({ type: 'distinct_users', events: undefined, window_days: 1 });
    expect(byId.call_minutes).toMatchObject({ type: 'sum', events: ['call_ended'], property: 'duration_ms', window_days: 1 });
    // ms -> minutes: one minute of calls (60,000 ms) must come out as 1.
    expect(60_000 * (byId.call_minutes as { scale: number }).scale).toBeCloseTo(1, 12);
    expect(config.metrics).toHaveLength(7);
  });

  it('puts every metric in the tree under the north star', () => {
    expect(config.north_star).toBe('posting_teams_weekly');
    expect(config.tree).toEqual({
      posting_teams_weekly: ['new_teams', 'weekly_active_users', 'posts_per_active_user', 'call_minutes'],
      posts_per_active_user: ['messages_posted', 'daily_active_users'],
    });
  });

  it('asks about the six demo actions with the planted cohort settings', () => {
    expect(config.candidates).toEqual({
      cohort: { entry_event: 'signed_up', cohort_days: RETENTION.cohortDays },
      retention: { day: RETENTION.day, window_days: RETENTION.windowDays },
      min_lift: 2,
      max_p: 0.01,
      actions: DEMO_ACTIONS.map((a) => ({ id: a.id, event: a.event, within_days: a.withinDays })),
      // The bench's sweep: a 5 × 4 grid over the six actions.
      sweep: { min_count: [1, 2, 3, 5, 10], within_days: [1, 3, 7, 14] },
    });
    expect(config.candidates!.actions.map((a) => a.id)).toEqual([
      'payment_completed_d7',
      'integration_connected_d7',
      'member_invited_d7',
      'file_shared_d3',
      'app_opened_d3',
      'call_ended_d7',
    ]);
    expect(RETENTION).toEqual({ entryEvent: 'signed_up', day: 90, windowDays: 7, cohortDays: 28 });
  });

  it('leaves watch to its default (north star and the whole tree) and has email and SMS examples', () => {
    expect(parse(text).alerts).not.toHaveProperty('watch');
    expect([...config.alerts.watch].sort()).toEqual(config.metrics.map((m) => m.id).sort());
    expect(config.alerts).toMatchObject({ min_drop_pct: 10, min_robust_z: 3.5, baseline_weeks: 4, freshness: { min_ratio: 0.5 } });
    expect(config.alerts.email).toEqual(['growth-team@example.com']);
    expect(config.alerts.sms).toEqual(['+15555550100']);
    expect(config.alerts.sns_topic_arn).toBeUndefined();
  });

  it('explains itself in comments', () => {
    expect(text).toMatch(/^# nsm-nightly demo config/);
    for (const a of DEMO_ACTIONS) expect(text).toContain(`# ${a.story}`);
  });
});
