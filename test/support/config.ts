/** Typed configs for tests, built directly (the YAML loader has its own tests). */

import { defaultWatch } from '../../functions/core/config/parse';
import type { AlertsConfig, LakeConfig, MetricConfig, NsmConfig, SegmentsConfig, TreeRelation } from '../../functions/core/config/types';

export function lakeConfig(location: string, overrides: Partial<LakeConfig> = {}): LakeConfig {
  return {
    location,
    format: 'json',
    partition: 'dt',
    columns: { user: 'user_id', account: 'account_id', event: 'event_name', time: undefined },
    first_day: undefined,
    max_days_per_query: 31,
    athena: undefined,
    ...overrides,
  };
}

export function alertsConfig(overrides: Partial<AlertsConfig> = {}): AlertsConfig {
  return {
    watch: [],
    min_drop_pct: 10,
    min_robust_z: 3.5,
    baseline_weeks: 4,
    freshness: { min_ratio: 0.5, recheck_nights: 3 },
    remind_every_days: 0,
    notify: ['drop', 'recovered', 'data_incomplete'],
    // Off unless a test asks for it: a digest is one more message in every outbox a test counts.
    digest: { every: 'off', weekday: 'mon' },
    email: [],
    sms: [],
    sns_topic_arn: undefined,
    ...overrides,
  };
}

export function testConfig(parts: {
  lake: LakeConfig;
  results: string;
  metrics: MetricConfig[];
  north_star: string;
  tree?: Record<string, string[]>;
  /** Parent -> relation; parents not named here are `influence`. */
  relations?: Record<string, TreeRelation>;
  segments?: SegmentsConfig;
  alerts?: Partial<AlertsConfig>;
  candidates?: NsmConfig['candidates'];
}): NsmConfig {
  return {
    version: 1,
    timezone: 'UTC',
    schedule: '0 6 * * *',
    lake: parts.lake,
    results: { location: parts.results },
    metrics: parts.metrics,
    north_star: parts.north_star,
    tree: parts.tree ?? {},
    relations: Object.fromEntries(Object.keys(parts.tree ?? {}).map((p) => [p, parts.relations?.[p] ?? 'influence'])),
    segments: parts.segments,
    candidates: parts.candidates,
    alerts: alertsConfig({ watch: defaultWatch(parts.north_star, parts.tree ?? {}), ...parts.alerts }),
    source: '<test>',
  };
}
