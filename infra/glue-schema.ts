/**
 * Column lists of the Glue tables the stack creates: the events table over the lake (derived
 * from the config), the five results tables over `metrics/`, `segments/`, `candidates/`, `sweep/`
 * and `alerts/` (docs/design.md §3) and the two tables over the incremental state (docs/design.md §5). Glue and Athena fold column names to lower case, so names are folded here too;
 * the OpenX JSON SerDe matches JSON keys case-insensitively, so `userId` in the data still lands
 * in `userid`.
 */
import type { LakeConfig, MetricConfig } from '../functions/core/config/types';
import { propertyColumn, summedProperties } from '../functions/core/metrics/event-metrics';
import { dimensionColumn } from '../functions/core/sql/metrics-sources';

/** One Glue column: a lower-case name and a Hive type. */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * The events table's data columns (the partition column is separate): user, account, event and
 * time as `string`, every `sum` metric's property, and every segment dimension as `string` (the
 * queries read it as text; for a Parquet lake that stores it as a number, use `overrides`).
 *
 * Property columns are `string` for JSON lakes on purpose: the OpenX JSON SerDe fails the whole
 * query (HIVE_BAD_DATA) when a value cannot be parsed as the declared type, so one `"n/a"` in a
 * `double` column would break every night, while a `string` column holds `"12.5"`, `12.5` and
 * `"n/a"` alike and the Athena dialect's `TRY_CAST(x AS DOUBLE)` turns the last into NULL —
 * exactly docs/design.md's "rows whose property is not a number are skipped". Parquet columns are
 * typed by the files, so there the property is `double` (Athena cannot read a Parquet DOUBLE as
 * `string`); use `overrides` when the files store it as `bigint` or the time as `timestamp`.
 *
 * @param overrides Hive type per lake column name (any case), replacing the derived type.
 * @throws Error when a data column collides with the partition column.
 */
export function eventColumns(
  lake: LakeConfig,
  metrics: readonly MetricConfig[],
  overrides: Readonly<Record<string, string>> = {},
  dimensions: readonly string[] = [],
): GlueColumn[] {
  const propertyType = lake.format === 'parquet' ? 'double' : 'string';
  const wanted: [string | undefined, string][] = [
    [lake.columns.user, 'string'],
    [lake.columns.account, 'string'],
    [lake.columns.event, 'string'],
    [lake.columns.time, 'string'],
    ...metrics.flatMap((m): [string, string][] => (m.type === 'sum' ? [[m.property, propertyType]] : [])),
    ...dimensions.map((d): [string, string] => [d, 'string']),
  ];
  const lowerOverrides = new Map(Object.entries(overrides).map(([k, v]) => [k.toLowerCase(), v]));
  const partition = lake.partition.toLowerCase();
  const columns = new Map<string, string>();
  for (const [raw, type] of wanted) {
    if (raw === undefined) continue;
    const name = raw.toLowerCase();
    if (name === partition) {
      throw new Error(`lake column "${raw}" is also the partition key "${lake.partition}"; Glue tables cannot have both`);
    }
    // The first type wins, so a column used both as `user` and as a sum property stays `string`.
    if (!columns.has(name)) columns.set(name, lowerOverrides.get(name) ?? type);
  }
  return [...columns].map(([name, type]) => ({ name, type }));
}

/**
 * `metrics/dt=D/metrics.jsonl` (docs/design.md §3) without `dt`, which is the partition key: Hive
 * tables cannot declare a column twice, and the key's value equals the field's.
 */
export const METRICS_COLUMNS: readonly GlueColumn[] = [
  { name: 'metric_id', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'is_north_star', type: 'boolean' },
  { name: 'parent_id', type: 'string' },
  { name: 'baseline', type: 'double' },
  { name: 'change_pct', type: 'double' },
  { name: 'robust_z', type: 'double' },
  { name: 'status', type: 'string' },
  { name: 'contribution', type: 'double' },
  { name: 'contribution_pct', type: 'double' },
  { name: 'identity_residual_pct', type: 'double' },
  { name: 'incident_id', type: 'string' },
];

/** `segments/dt=D/segments.jsonl` (one line per watched metric, dimension and segment) without `dt`. */
export const SEGMENTS_COLUMNS: readonly GlueColumn[] = [
  { name: 'metric_id', type: 'string' },
  { name: 'dimension', type: 'string' },
  { name: 'segment', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'baseline', type: 'double' },
  { name: 'change', type: 'double' },
  { name: 'change_pct', type: 'double' },
  { name: 'share_pct', type: 'double' },
  { name: 'baseline_share_pct', type: 'double' },
  { name: 'contribution_pct', type: 'double' },
  { name: 'score', type: 'double' },
  { name: 'rank', type: 'int' },
];

/** A hit/miss × retained/not table and its lift with Katz interval: candidates' and sweep cells' shared columns. */
const LIFT_TABLE_COLUMNS: readonly GlueColumn[] = [
  { name: 'n_hit', type: 'bigint' },
  { name: 'n_miss', type: 'bigint' },
  { name: 'retained_hit', type: 'bigint' },
  { name: 'retained_miss', type: 'bigint' },
  { name: 'rate_hit', type: 'double' },
  { name: 'rate_miss', type: 'double' },
  { name: 'share', type: 'double' },
  { name: 'lift', type: 'double' },
  { name: 'lift_ci_low', type: 'double' },
  { name: 'lift_ci_high', type: 'double' },
];

/** `candidates/dt=D/candidates.jsonl` (docs/design.md §3) without `dt`. Counts are whole numbers. */
export const CANDIDATES_COLUMNS: readonly GlueColumn[] = [
  { name: 'candidate_id', type: 'string' },
  { name: 'event', type: 'string' },
  { name: 'within_days', type: 'int' },
  { name: 'cohort_start', type: 'string' },
  { name: 'cohort_end', type: 'string' },
  ...LIFT_TABLE_COLUMNS,
  { name: 't_student', type: 'double' },
  { name: 'p_student', type: 'double' },
  { name: 't_welch', type: 'double' },
  { name: 'df_welch', type: 'double' },
  { name: 'p_welch', type: 'double' },
  { name: 'q_value', type: 'double' },
  { name: 'phi', type: 'double' },
  { name: 'verdict', type: 'string' },
  { name: 'rank', type: 'int' },
];

/** `sweep/dt=D/sweep.jsonl` (docs/candidates.md "Threshold sweep") without `dt`. */
export const SWEEP_COLUMNS: readonly GlueColumn[] = [
  { name: 'candidate_id', type: 'string' },
  { name: 'event', type: 'string' },
  { name: 'min_count', type: 'int' },
  { name: 'within_days', type: 'int' },
  ...LIFT_TABLE_COLUMNS,
  { name: 'phi', type: 'double' },
  { name: 'ppv', type: 'double' },
  { name: 'npv', type: 'double' },
  { name: 'sensitivity', type: 'double' },
  { name: 'specificity', type: 'double' },
  { name: 't_welch', type: 'double' },
  { name: 'df_welch', type: 'double' },
  { name: 'p_welch', type: 'double' },
  { name: 'q_value', type: 'double' },
  { name: 'best', type: 'boolean' },
];

/**
 * A drop's drivers as Athena sees them: an array of structs, one per descendant metric, so
 * `CROSS JOIN UNNEST(drivers)` lists them. A ratio driver's `parts` (numerator and denominator,
 * themselves drivers) is left out: Hive types cannot be recursive, and the SerDe ignores JSON keys
 * a struct does not declare. The full tree is in the alert's `message` and in `report.json`.
 */
export const DRIVER_TYPE =
  'array<struct<metric_id:string,name:string,depth:int,value:double,baseline:double,change_pct:double,status:string,contribution:double,contribution_pct:double>>';

/** A drop's top segments, as `segments.jsonl` lines (`dt` left out: it is the alert's own). */
export const ALERT_SEGMENTS_TYPE = `array<struct<${SEGMENTS_COLUMNS.map((c) => `${c.name}:${c.type}`).join(',')}>>`;

/** `alerts/dt=D/alerts.jsonl` (docs/design.md §3) without `dt`. */
export const ALERTS_COLUMNS: readonly GlueColumn[] = [
  { name: 'kind', type: 'string' },
  { name: 'metric_id', type: 'string' },
  { name: 'incident_id', type: 'string' },
  { name: 'night_of_incident', type: 'int' },
  { name: 'period', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'baseline', type: 'double' },
  { name: 'change_pct', type: 'double' },
  { name: 'robust_z', type: 'double' },
  { name: 'drivers', type: DRIVER_TYPE },
  { name: 'segments', type: ALERT_SEGMENTS_TYPE },
  { name: 'subject', type: 'string' },
  { name: 'message', type: 'string' },
  { name: 'sms', type: 'string' },
  { name: 'late', type: 'boolean' },
];

/**
 * `state/daily/dt=D/` without `dt`: the columns the rollup's UNLOAD writes
 * (`functions/core/sql/rollup-query.ts`), then one `p__<property>` sum per distinct property of
 * the config's `sum` metrics, in the rollup's own order, then one `d__<dimension>` text column per
 * segment dimension. The list is taken from the same function
 * the query uses, so a config change moves both; a night that finds rollups of another shape
 * rebuilds them. Counts are `bigint` (Athena's `count(*)`), sums `double` (the dialect casts the
 * property to DOUBLE before summing).
 *
 * @throws Error when two properties differ only in case: Glue and Athena fold column names to
 *   lower case, so both sums would be one column.
 */
export function stateDailyColumns(metrics: readonly MetricConfig[], dimensions: readonly string[] = []): GlueColumn[] {
  const sums = summedProperties(metrics).map((p) => ({ property: p, name: propertyColumn(p).toLowerCase() }));
  for (const [i, a] of sums.entries()) {
    const b = sums.slice(i + 1).find((x) => x.name === a.name);
    if (b) {
      throw new Error(
        `sum properties "${a.property}" and "${b.property}" differ only in case; Glue and Athena would fold both into column ${a.name}`,
      );
    }
  }
  return [
    { name: 'nsm_day', type: 'string' },
    { name: 'nsm_user', type: 'string' },
    { name: 'nsm_account', type: 'string' },
    { name: 'nsm_event', type: 'string' },
    { name: 'nsm_n', type: 'bigint' },
    ...sums.map(({ name }) => ({ name, type: 'double' })),
    ...dimensions.map((d) => ({ name: dimensionColumn(d).toLowerCase(), type: 'string' })),
  ];
}

/** `state/entries/dt=D/` without `dt`: every user's first entry day (`functions/core/sql/entries-query.ts`). */
export const STATE_ENTRIES_COLUMNS: readonly GlueColumn[] = [
  { name: 'nsm_user', type: 'string' },
  { name: 'nsm_entry_day', type: 'string' },
];
