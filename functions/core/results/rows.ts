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
}

export type Verdict = 'strong' | 'weak' | 'insufficient_data';

/** One line of `candidates/dt=D/candidates.jsonl`. */
export interface CandidateRow {
  dt: string;
  candidate_id: string;
  event: string;
  within_days: number;
  cohort_start: string;
  cohort_end: string;
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

export type AlertKind = 'drop' | 'data_incomplete';

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
  /** For a ratio: how its numerator and denominator moved. */
  parts?: { numerator: Driver; denominator: Driver };
}

/** One line of `alerts/dt=D/alerts.jsonl`. */
export interface AlertRow {
  dt: string;
  kind: AlertKind;
  metric_id: string | null;
  value: number | null;
  baseline: number | null;
  change_pct: number | null;
  robust_z: number | null;
  drivers: Driver[];
  subject: string;
  message: string;
  sms: string;
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
  queries: (QueryStats & { cost_usd: number | null })[];
  bytes_scanned: number | null;
  cost_usd: number | null;
  alerts_sent: number;
  error: string | null;
}

/** `latest.json`, written last. */
export interface LatestPointer {
  dt: string;
  report: string;
}
