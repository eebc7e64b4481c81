/**
 * The cases of the engine equality suite (equality.test.ts): each is a generated lake and a
 * config, run as a backfill through the Athena path (Trino, S3 on moto) and the DuckDB path. A
 * new feature joins the suite by adding what it configures here — config keys, and lake columns
 * through `userColumns` or `events` — not code: the runner fills in only the locations and the
 * Athena names.
 *
 * The config is written as a user writes `nsm.config.yaml` (and parsed by the real loader);
 * `lake.location`, `lake.athena` and `results.location` are set by the runner for each path.
 */
import type { SyntheticLakeSpec } from '../../support/engines/synthetic-lake';

export interface EqualityCase {
  readonly name: string;
  readonly lake: SyntheticLakeSpec;
  /** The config without locations (see the module comment). */
  readonly config: Record<string, unknown>;
  /**
   * The nights, as the ranges they are run in, oldest first: a backfill and then nights run on
   * their own (a range sends the alerts of its newest night only).
   */
  readonly runs: readonly (readonly [from: string, to: string])[];
}

const FIRST_DAY = '2024-03-01';

/** Every metric type of the demo, each window the pipeline treats differently, the tree's relations, segments, candidates with their threshold sweep, the North Star check and alerts. */
export const EQUALITY_CASES: readonly EqualityCase[] = [
  {
    name: 'team messaging (every metric type, tree relations, segments, candidates, sweep, drop and incomplete-data alerts)',
    lake: {
      seed: 15,
      firstDay: FIRST_DAY,
      days: 60,
      users: 260,
      accounts: 30,
      soloShare: 0.2,
      entryEvent: 'signed_up',
      activity: 0.35,
      baseRetention: 0.25,
      eventsPerActiveDay: 2,
      events: [
        { name: 'message_posted', weight: 5 },
        { name: 'call_ended', weight: 2, property: 'duration_ms' },
        { name: 'file_shared', weight: 1 },
        { name: 'app_opened', weight: 3 },
      ],
      actions: [
        { event: 'team_invite_sent', withinDays: 3, probability: 0.4, retentionBoost: 0.45 },
        { event: 'profile_completed', withinDays: 2, probability: 0.5, retentionBoost: 0.05 },
        { event: 'integration_added', withinDays: 3, probability: 0.15, retentionBoost: 0.3 },
      ],
      // Day 45 has no partition and day 49 an empty one (incomplete data, told apart in run.json
      // and the alert); day 53 keeps a third of its events (a drop).
      missingDays: ['2024-04-15'],
      emptyDays: ['2024-04-19'],
      thinDays: [{ day: '2024-04-23', keep: 0.35 }],
      // Segment dimensions: more countries than max_values (an (other)) and users without one (a (none)).
      userColumns: {
        // Skewed (US, DE most often): with max_values 2 the small ones stay (other) on every night,
        // although a value named on a baseline night stays named (docs/alerts.md).
        country: ['US', 'US', 'US', 'US', 'DE', 'DE', 'DE', 'FR', 'BR', 'IN', 'JP', 'MX', null],
        plan: ['free', 'free', 'pro', 'team'],
      },
    },
    config: {
      version: 1,
      timezone: 'UTC',
      lake: {
        format: 'json',
        partition: 'dt',
        columns: { user: 'user_id', account: 'account_id', event: 'event_name', time: 'event_time' },
      },
      metrics: [
        { id: 'posting_teams_weekly', type: 'active_accounts', events: ['message_posted'], min_users: 2, window_days: 7 },
        { id: 'new_users', type: 'distinct_users', events: ['signed_up'], window_days: 7 },
        { id: 'weekly_active_users', type: 'distinct_users', window_days: 7 },
        { id: 'daily_active_users', type: 'distinct_users', window_days: 1 },
        { id: 'active_teams', type: 'distinct_accounts', window_days: 3 },
        { id: 'messages_posted', type: 'count', events: ['message_posted'], window_days: 1 },
        { id: 'all_events', type: 'count', window_days: 2 },
        { id: 'call_minutes', type: 'sum', events: ['call_ended'], property: 'duration_ms', scale: 1.6666666666666667e-5, window_days: 1 },
        { id: 'call_ms_weekly', type: 'sum', events: ['call_ended'], property: 'duration_ms', window_days: 7 },
        { id: 'posts_per_active_user', type: 'ratio', numerator: 'messages_posted', denominator: 'daily_active_users' },
        { id: 'core_events', type: 'count', events: ['message_posted', 'app_opened', 'file_shared'], window_days: 1 },
        { id: 'app_opens', type: 'count', events: ['app_opened'], window_days: 1 },
        { id: 'files_shared', type: 'count', events: ['file_shared'], window_days: 1 },
      ],
      north_star: 'posting_teams_weekly',
      // Every kind of tree entry: influence lists, a sum and a product (attribution and residuals).
      tree: {
        posting_teams_weekly: ['new_users', 'weekly_active_users', 'core_events', 'call_minutes'],
        core_events: { sum: ['messages_posted', 'app_opens', 'files_shared'] },
        messages_posted: { product: ['daily_active_users', 'posts_per_active_user'] },
      },
      segments: { dimensions: ['country', 'plan'], max_values: 2 },
      candidates: {
        cohort: { entry_event: 'signed_up', cohort_days: 7 },
        retention: { day: 7, window_days: 3 },
        min_lift: 1.2,
        max_p: 0.2,
        actions: [
          { id: 'invited_d3', event: 'team_invite_sent', within_days: 3 },
          { id: 'profile_d2', event: 'profile_completed', within_days: 2 },
          { id: 'integration_d3', event: 'integration_added', within_days: 3 },
          { id: 'shared_d1', event: 'file_shared', within_days: 1 },
        ],
        // The threshold sweep (docs/candidates.md): 3 × 3 cells per action, BH over all 36.
        sweep: { min_count: [1, 2, 3], within_days: [1, 3, 7] },
      },
      // 36 nights hold too few weeks for the check's verdict (insufficient_history on both paths),
      // but both read the earlier nights' metrics from their own store to find that out.
      north_star_check: { revenue: 'call_minutes', max_lag_weeks: 4 },
      alerts: {
        min_drop_pct: 10,
        min_robust_z: 2,
        baseline_weeks: 3,
        freshness: { min_ratio: 0.5, recheck_nights: 3 },
        email: ['growth-team@example.com'],
        sms: ['+15555550100'],
      },
    },
    // 36 nights: the first builds all of its state from the lake, the others are steady nights.
    // Runs end on the nights with no partition and with an empty one (data incomplete) and on the
    // thin night (a drop).
    runs: [
      ['2024-03-24', '2024-04-14'],
      ['2024-04-15', '2024-04-15'],
      // A one-night run after the missing night re-checks it (late data), on both engines.
      ['2024-04-16', '2024-04-16'],
      ['2024-04-17', '2024-04-19'],
      ['2024-04-20', '2024-04-23'],
      ['2024-04-24', '2024-04-28'],
    ],
  },
];
