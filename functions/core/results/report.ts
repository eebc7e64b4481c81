/** `reports/dt=D/report.json`: everything about one night in one document (docs/design.md §3). */
import type { TreeRelation } from '../config/types';
import type { LagAnalysis } from '../north-star-check/lag-correlations';
import type { AlertRow, CandidateRow, MetricRow, RunRecord, RunWarning, SegmentRow, SweepRow } from './rows';

/** Whether D's data looked complete to the freshness guard (docs/design.md §2). */
export interface DataCompleteness {
  /** Events in D's partition (0 when missing or empty). */
  day_events: number;
  /** D's partition is not in the lake at all. */
  partition_missing: boolean;
  /** D's partition is in the lake but holds no events (empty files, or only markers such as `_SUCCESS`). */
  partition_empty: boolean;
  /** Median event count of the same weekday over `baseline_weeks` earlier weeks; null without history. */
  baseline_events: number | null;
  /** day_events / baseline_events; null without history. */
  ratio: number | null;
  /** `incomplete` when the partition is missing or empty, or ratio < freshness.min_ratio. */
  status: 'complete' | 'incomplete' | 'unknown';
}

export interface CandidatesSection {
  entry_event: string;
  cohort_start: string;
  cohort_end: string;
  retention_day: number;
  retention_window_days: number;
  min_lift: number;
  max_p: number;
  cohort_size: number;
  rows: CandidateRow[];
  /** The threshold sweep over the same cohort; null when the config has no sweep. */
  sweep: SweepSection | null;
}

/** The `candidates.sweep` section of `report.json`: the grid and every cell's row (as in `sweep.jsonl`). */
export interface SweepSection {
  min_count: number[];
  within_days: number[];
  /** A cell qualifies as best only with a share in this range (both ends included). */
  min_share: number;
  max_share: number;
  rows: SweepRow[];
}

/** Does the North Star lead revenue? (docs/candidates.md "The North Star check") */
export interface NorthStarCheckSection extends LagAnalysis {
  north_star: string;
  revenue: string;
  max_lag_weeks: number;
  /** Weekly values read: D and the HISTORY_WEEKS − 1 weeks before it. */
  weeks_read: number;
  /** The oldest week read. */
  first_week: string | null;
  /** Weeks with both changes needed for a verdict other than `insufficient_history`. */
  min_changes: number;
}

export interface NightReport {
  dt: string;
  generated_at: string;
  engine: string;
  north_star: string;
  /** Where the results store is (folder or s3:// URI). */
  results_location: string;
  /** Parent id -> child ids, as configured. */
  tree: Record<string, string[]>;
  /** Parent id -> how it is made of its children (`influence`, `product` or `sum`). */
  relations: Record<string, TreeRelation>;
  watch: string[];
  data: DataCompleteness;
  metrics: MetricRow[];
  /** Every line of the night's `segments.jsonl`; null when the config has no segments section. */
  segments: SegmentRow[] | null;
  /** Null when the config has no candidates section. */
  candidates: CandidatesSection | null;
  /** Null when the config has no `north_star_check`. */
  north_star_check: NorthStarCheckSection | null;
  /** Alerts for this night (sent tonight or on an earlier run of the same night). */
  alerts: AlertRow[];
  run: Pick<RunRecord, 'run_id' | 'queries' | 'ms' | 'bytes_scanned' | 'cost_usd'>;
  /** What the night noticed and handled without failing (as in run.json). */
  warnings: RunWarning[];
}
