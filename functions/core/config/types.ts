import type { NotifyKind } from '../results/rows';

/** Days of the week as `alerts.digest.weekday` names them, Sunday first (as `Date.getUTCDay`). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** How often the digest goes out (`off`: never). */
export const DIGEST_PERIODS = ['weekly', 'daily', 'off'] as const;

/** `alerts.digest` (docs/alerts.md "The digest"). */
export interface DigestConfig {
  readonly every: (typeof DIGEST_PERIODS)[number];
  /** Weekly digests arrive on this day's morning, with the run that reports on the night before. */
  readonly weekday: Weekday;
}

/**
 * Typed configuration (docs/design.md §2) as the rest of the code sees it: every default applied,
 * every reference checked. Produced only by `parseConfig` in `./parse.ts`.
 */

/** The six metric types of docs/design.md §2. */
export type MetricType = 'count' | 'sum' | 'distinct_users' | 'distinct_accounts' | 'active_accounts' | 'ratio';

/**
 * A metric's own drop thresholds (`metrics[].alert`, docs/configuration.md): each set key replaces
 * the global `alerts` one; undefined keys fall back to it.
 */
export interface MetricAlert {
  /** Replaces `alerts.min_drop_pct` for this metric. */
  readonly min_drop_pct: number | undefined;
  /** Replaces `alerts.min_robust_z` for this metric. */
  readonly min_robust_z: number | undefined;
  /** No drop while the baseline is below this absolute value (low-volume metrics). */
  readonly min_value: number | undefined;
}

/** Fields every metric has. */
interface MetricBase {
  /** `^[a-z][a-z0-9_]*$`, unique. */
  readonly id: string;
  /** Human name; defaults to the id. */
  readonly name: string;
  /** Per-metric alert thresholds; absent when the config sets none. */
  readonly alert?: MetricAlert;
}

/** Fields of a metric computed from events in a window of days ending on D. */
interface EventMetricBase extends MetricBase {
  /** Event names; `undefined` means every event. */
  readonly events: readonly string[] | undefined;
  /** Days D-W+1 … D; >= 1, default 1. */
  readonly window_days: number;
}

export interface CountMetric extends EventMetricBase {
  readonly type: 'count';
}
export interface DistinctUsersMetric extends EventMetricBase {
  readonly type: 'distinct_users';
}
export interface DistinctAccountsMetric extends EventMetricBase {
  readonly type: 'distinct_accounts';
}
export interface SumMetric extends EventMetricBase {
  readonly type: 'sum';
  /** Lake column (identifier) whose numeric values are summed. */
  readonly property: string;
  /** Multiplier applied to the sum; default 1. */
  readonly scale: number;
}
export interface ActiveAccountsMetric extends EventMetricBase {
  readonly type: 'active_accounts';
  /** Minimum distinct users per account; >= 1, default 1. */
  readonly min_users: number;
}
export interface RatioMetric extends MetricBase {
  readonly type: 'ratio';
  readonly numerator: string;
  readonly denominator: string;
}

/** A metric computed by scanning events (everything but `ratio`). */
export type EventMetric = CountMetric | DistinctUsersMetric | DistinctAccountsMetric | SumMetric | ActiveAccountsMetric;
export type MetricConfig = EventMetric | RatioMetric;

/** Canonical column name -> the lake's column name. */
export interface LakeColumns {
  readonly user: string;
  readonly account: string | undefined;
  readonly event: string;
  readonly time: string | undefined;
}

export interface AthenaLakeConfig {
  readonly database: string;
  readonly table: string;
  readonly workgroup: string;
  /** Athena workgroup per-query scan cutoff; default 100. */
  readonly bytes_scanned_cutoff_gb: number;
}

export interface LakeConfig {
  /** Local folder (resolved against the config file's folder) or `s3://bucket/prefix`. */
  readonly location: string;
  readonly format: 'json' | 'parquet';
  /** Hive partition key whose value is the event's day; default `dt`. */
  readonly partition: string;
  readonly columns: LakeColumns;
  /**
   * The lake's first day (`YYYY-MM-DD`): where Athena's partition projection starts, so no day
   * before it is ever read in the cloud. Required by a cloud deploy, unused by local runs.
   */
  readonly first_day: string | undefined;
  /**
   * The most lake partitions (days) any query that builds state reads; default 31. The first night's
   * first-entry snapshot is built in chunks of at most this many days, so no query meets the
   * workgroup's scan cutoff however long the history.
   */
  readonly max_days_per_query: number;
  readonly athena: AthenaLakeConfig | undefined;
}

export interface CandidateAction {
  readonly id: string;
  readonly event: string;
  readonly within_days: number;
}

export interface CandidatesConfig {
  readonly cohort: { readonly entry_event: string; readonly cohort_days: number };
  readonly retention: { readonly day: number; readonly window_days: number };
  /** Default 2. */
  readonly min_lift: number;
  /** Default 0.01. */
  readonly max_p: number;
  readonly actions: readonly CandidateAction[];
  /** The threshold sweep; absent when the config has none (optional, so configs built by hand may leave it out). */
  readonly sweep?: SweepConfig | undefined;
}

/**
 * The threshold grid of the sweep (docs/candidates.md): every action is tested at every cell
 * (n, k) = "did the action's event at least n times on days E … E+k−1".
 */
export interface SweepConfig {
  /** n values: distinct whole numbers >= 1, as configured. */
  readonly min_count: readonly number[];
  /** k values: distinct whole numbers >= 1, as configured. */
  readonly within_days: readonly number[];
}

/** Does the north star lead revenue? (docs/candidates.md "The North Star check") */
export interface NorthStarCheckConfig {
  /** The id of a configured metric standing for revenue. */
  readonly revenue: string;
  /** Lags 0 … max_lag_weeks are tested; default 8. */
  readonly max_lag_weeks: number;
}

export interface AlertsConfig {
  /** Default: the north star and every metric in the tree. */
  readonly watch: readonly string[];
  /** Default 10. */
  readonly min_drop_pct: number;
  /** Default 3.5. */
  readonly min_robust_z: number;
  /** Default 4. */
  readonly baseline_weeks: number;
  /** Default { min_ratio: 0.5, recheck_nights: 3 }. */
  readonly freshness: {
    readonly min_ratio: number;
    /** A `data_incomplete` night is re-checked by this many following nights (0 = never). */
    readonly recheck_nights: number;
  };
  /** During an incident, a `still_down` reminder every this many days; 0 (default) = never. */
  readonly remind_every_days: number;
  /**
   * The alert kinds that are sent. Default: `drop`, `recovered`, `data_incomplete`, and
   * `still_down` when `remind_every_days` is above 0.
   */
  readonly notify: readonly NotifyKind[];
  /** The digest: `every` period (default weekly), on the morning of `weekday` (default mon). */
  readonly digest: DigestConfig;
  readonly email: readonly string[];
  readonly sms: readonly string[];
  readonly sns_topic_arn: string | undefined;
}

/**
 * How a tree parent is made of its children (docs/configuration.md "Tree relations"):
 * `influence` (a plain list: the children move it, no formula), `product` (the parent is the
 * product of its children) or `sum` (the parent is their sum). Only `product` and `sum` attribute
 * the parent's change to its children.
 */
export type TreeRelation = 'influence' | 'product' | 'sum';

/** `segments:` — break every watched metric down by lake columns (docs/configuration.md "Segments"). */
export interface SegmentsConfig {
  /** Lake columns (identifiers), in config order; at least one, distinct. */
  readonly dimensions: readonly string[];
  /** Per dimension: the largest values by tonight's volume are named, the rest are `(other)`; default 20. */
  readonly max_values: number;
}

export interface NsmConfig {
  readonly version: 1;
  /** IANA zone; default UTC. */
  readonly timezone: string;
  /** Cron `minute hour day month weekday`; default `0 6 * * *`. */
  readonly schedule: string;
  readonly lake: LakeConfig;
  readonly results: { readonly location: string };
  readonly metrics: readonly MetricConfig[];
  readonly north_star: string;
  /** Parent id -> child ids. */
  readonly tree: Readonly<Record<string, readonly string[]>>;
  /** Parent id -> how it is made of its children; every key of `tree` has one. */
  readonly relations: Readonly<Record<string, TreeRelation>>;
  /** Absent when the config has no `segments` section. */
  readonly segments: SegmentsConfig | undefined;
  /** Absent when the config has no `candidates` section. */
  readonly candidates: CandidatesConfig | undefined;
  /** Absent when the config has no `north_star_check` (optional, so configs built by hand may leave it out). */
  readonly north_star_check?: NorthStarCheckConfig | undefined;
  readonly alerts: AlertsConfig;
  /** The file the config came from (for messages), or `<inline>`. */
  readonly source: string;
}
