/** Row shapes of the results layout (docs/design.md §3). Field names are the public contract. */
import type { MetricType } from '../config/types';
import type { QueryStats } from '../engine';

export type MetricStatus = 'ok' | 'drop' | 'insufficient_history' | 'data_incomplete';

/** One line of `metrics/dt=D/metrics.jsonl`. */
export interface MetricRow {
  dt: string;
  metric_id: string;
  name: string;
  type: MetricType;
  value: number | null;
  is_north_star: boolean;
  parent_id: string | null;
  baseline: number | null;
  change_pct: number | null;
  robust_z: number | null;
  status: MetricStatus;
  /**
   * Under a `product`/`sum` parent: this metric's part of the parent's change, in the parent's units
   * (`share × (Y − B)`), and the share in percent. Null for influence edges and roots.
   */
  contribution: number | null;
  contribution_pct: number | null;
  /** On a `product`/`sum` parent: `100 × (value − f(children)) / value`; null otherwise. */
  identity_residual_pct: number | null;
  /**
   * On a `drop` night: the incident the drop belongs to, `<metric_id>:<onset night>`
   * (core/alerts/incidents.ts); null on every other status. Absent in rows written before incidents.
   */
  incident_id?: string | null;
}

export type Verdict = 'strong' | 'weak' | 'insufficient_data';

/**
 * A 2 × 2 table of users (did the action or not × retained or not) and its lift with the Katz
 * interval: what a candidate line and a sweep cell share.
 */
export interface LiftTable {
  n_hit: number;
  n_miss: number;
  retained_hit: number;
  retained_miss: number;
  rate_hit: number | null;
  rate_miss: number | null;
  share: number | null;
  lift: number | null;
  lift_ci_low: number | null;
  lift_ci_high: number | null;
}

/** One line of `candidates/dt=D/candidates.jsonl`. */
export interface CandidateRow extends LiftTable {
  dt: string;
  candidate_id: string;
  event: string;
  within_days: number;
  cohort_start: string;
  cohort_end: string;
  t_student: number | null;
  p_student: number | null;
  t_welch: number | null;
  df_welch: number | null;
  p_welch: number | null;
  q_value: number | null;
  phi: number | null;
  verdict: Verdict;
  rank: number;
}

/** One line of `sweep/dt=D/sweep.jsonl`: one cell (n = min_count, k = within_days) of one action. */
export interface SweepRow extends LiftTable {
  dt: string;
  candidate_id: string;
  event: string;
  min_count: number;
  within_days: number;
  phi: number | null;
  ppv: number | null;
  npv: number | null;
  sensitivity: number | null;
  specificity: number | null;
  t_welch: number | null;
  df_welch: number | null;
  p_welch: number | null;
  /** Benjamini–Hochberg over every cell of every action of the night. */
  q_value: number | null;
  /** The action's best cell (at most one per action). */
  best: boolean;
}

/**
 * `drop` opens an incident, `still_down` reminds of one (with `alerts.remind_every_days`),
 * `recovered` closes it; `data_incomplete` is about the whole night.
 */
export type NotifyKind = 'drop' | 'still_down' | 'recovered' | 'data_incomplete';

/** Every kind `alerts.notify` can choose, in the order it documents them. */
export const ALERT_KINDS: readonly NotifyKind[] = ['drop', 'still_down', 'recovered', 'data_incomplete'];

/** What `alerts.jsonl` and the notifier carry: the alerts, and the periodic e-mail-only `digest`. */
export type AlertKind = NotifyKind | 'digest';

/** A driver of a drop: a descendant of the watched metric in the tree. */
export interface Driver {
  metric_id: string;
  name: string;
  /** Depth below the watched metric: 1 = child. */
  depth: number;
  value: number | null;
  baseline: number | null;
  change_pct: number | null;
  status: MetricStatus;
  /** Under a `product`/`sum` parent: its part of that parent's change (see `MetricRow`); else null. */
  contribution: number | null;
  contribution_pct: number | null;
  /** For a ratio: how its numerator and denominator moved. */
  parts?: { numerator: Driver; denominator: Driver };
}

/**
 * One line of `segments/dt=D/segments.jsonl`: a watched metric within one value of one dimension
 * (docs/alerts.md "Where: segments"). `segment` is the lake's value, `(none)` for null and
 * `(other)` for the values beyond `max_values`.
 */
export interface SegmentRow {
  dt: string;
  metric_id: string;
  dimension: string;
  segment: string;
  /** The metric computed over the segment's events tonight (0 when it has none). */
  value: number;
  /** `baseline_share_pct / 100 × the metric's baseline`; null without segment history. */
  baseline: number | null;
  /** `value − baseline`. */
  change: number | null;
  /** `100 × change / baseline`. */
  change_pct: number | null;
  /** `100 × value / the metric's value`. */
  share_pct: number | null;
  /** 100 × the segment's values over the baseline nights / the metric's values over the same nights. */
  baseline_share_pct: number | null;
  /** `100 × change / (the metric's value − its baseline)`. */
  contribution_pct: number | null;
  /** `|contribution_pct| + |share_pct − baseline_share_pct|` (ThirdEye's balanced score). */
  score: number | null;
  /** 1 = explains the move most, within the metric across all dimensions; null when not ranked. */
  rank: number | null;
}

/** One line of `alerts/dt=D/alerts.jsonl`. */
export interface AlertRow {
  dt: string;
  kind: AlertKind;
  metric_id: string | null;
  /** The incident the alert is about (`<metric_id>:<onset night>`); null for `data_incomplete`. */
  incident_id: string | null;
  /** Which night of its incident the alert's night is (1 = the onset, the day after = 2, …); null for `data_incomplete`. */
  night_of_incident: number | null;
  /** A digest's period (`weekly:2024-05-13..2024-05-19`, `daily:2024-05-19`); absent on alerts. */
  period?: string | null;
  value: number | null;
  baseline: number | null;
  change_pct: number | null;
  robust_z: number | null;
  drivers: Driver[];
  /** A drop's top segments by rank (at most 3; for a ratio, its numerator's and denominator's); empty otherwise. */
  segments: SegmentRow[];
  subject: string;
  message: string;
  sms: string;
  /**
   * Sent after the night was first judged `data_incomplete` and its data landed: re-judged by a
   * later night's run (docs/alerts.md "Late data re-judged"). False for alerts sent on time.
   */
  late: boolean;
}

/** What kind of thing a night noticed and handled without failing. */
export type WarningCode =
  /** An earlier night's `metrics.jsonl` (or `run.json`) is damaged or cut short: left out of the baselines and charts. */
  | 'history_unusable'
  /** An earlier night has no value for some metrics the config has (added since, or lost): those baselines lack it. */
  | 'history_incomplete'
  /** `latest.json` could not be read: rebuilt from the newest complete night. */
  | 'latest_rebuilt'
  /** An alert a killed run had delivered was recorded as sent, not sent again. */
  | 'alert_reconciled'
  /** An alert a killed run may have delivered was sent again (the notifier keeps no record: SNS): possibly received twice. */
  | 'alert_resent'
  /** D had no events and the lake could not be listed (e.g. AccessDenied): the partition is reported as missing. */
  | 'partition_unknown'
  /** An earlier night that could decide a metric's open incident is unusable: the incident is judged from the nights before it. */
  | 'incident_uncertain'
  /** The late-data re-check of an earlier data_incomplete night failed: that night stays as judged, the next night tries again. */
  | 'rejudge_failed'
  /** An event name the config uses was not seen in the lake in the last 28 days (a typo?): the message names the field and the closest name. */
  | 'event_not_seen'
  /** A configured column no event of the night has, though earlier days' events have it: its values are missing tonight. */
  | 'column_empty'
  /** The look back for configured event names failed (a query error): the night ran without it. */
  | 'lake_check_failed'
  /** A piece of state did not match the files its manifest recorded (swapped, cut short, deleted, joined by a stray file): rebuilt from the lake. */
  | 'state_rebuilt'
  /** Rows of D's partition that are not events (malformed JSON, no event name): skipped by every metric, counted in `malformed_rows`. */
  | 'malformed_rows';

/** Something a night noticed and handled without failing: in run.json, the report and the logs. */
export interface RunWarning {
  code: WarningCode;
  /** One line for people: what happened, what the run did, how to repair by hand where that helps. */
  message: string;
  /** The night or day concerned, if any. */
  dt: string | null;
  /** The results key concerned, if any. */
  key: string | null;
}

/** `runs/dt=D/run.json`. */
export interface RunRecord {
  dt: string;
  run_id: string;
  status: 'succeeded' | 'failed';
  engine: string;
  started_at: string;
  finished_at: string;
  ms: number;
  /** Events in D's own partition; 0 when the partition is missing or empty; null when the night failed before counting. */
  day_events: number | null;
  /** True when D's partition is not in the lake at all; null when the night failed before counting. */
  partition_missing: boolean | null;
  /** True when D's partition is in the lake but holds no events (empty files, only `_SUCCESS`); null on failure. */
  partition_empty: boolean | null;
  /**
   * Rows of D's partition that are not events and that every metric skipped: JSON lines that are
   * not valid JSON (both engines read them as rows of NULLs) and rows without an event name;
   * null when the night failed before counting.
   */
  malformed_rows: number | null;
  queries: (QueryStats & { cost_usd: number | null })[];
  bytes_scanned: number | null;
  cost_usd: number | null;
  alerts_sent: number;
  /** Rows written to `metrics.jsonl` (later nights check their history against it); null when the night failed before. */
  metrics_rows: number | null;
  /** The run lease the night ran under (`lease/g<N>.json`). */
  lease: string | null;
  /** What the night noticed and handled without failing (docs/operations.md). */
  warnings: RunWarning[];
  /** Earlier nights the baselines could not use (damaged or cut-short files), oldest first. */
  history_unusable: string[];
  /** Earlier `data_incomplete` nights this run recomputed first because their data had landed (oldest first). */
  rejudged: string[];
  /** This night's results come from a re-judge by a later night's run (its data landed late). */
  late: boolean;
  error: string | null;
}

/** `latest.json`, written last. */
export interface LatestPointer {
  dt: string;
  report: string;
}
