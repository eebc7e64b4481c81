/**
 * The `metrics` query with segments (docs/design.md §2, "Segments"): every event metric of the
 * night for the whole lake AND for every segment of every dimension, from ONE read of the scanned
 * rows (the lake's partitions or the rollups), so a dimension costs a grouping set, not a scan.
 *
 * Segments of distinct counts do not add up (a user on two platforms counts in both), and the
 * `(other)` segment must count each of its users once however many small values they touched, so
 * the query cannot sum per-value results afterwards. It aggregates in four steps instead, each
 * reading the one before, never the scan twice (Trino inlines a CTE at every reference, so a
 * second reference would be a second scan):
 *
 * 1. `finest`: one row per (user, account, value of every dimension) — ONE grouping of the scanned
 *    rows, however many dimensions: counts and sums added up, and for distinct and active-account
 *    metrics a 0/1 flag "this user did it here". Also the row's volume tonight (`nsm_volume`).
 *    `cells`: each of those rows once per slot (the whole night and each dimension, a cross join
 *    with the slot numbers), carrying that slot's value. The later steps add counts and sums and
 *    OR the flags over a segment's rows, so the finest grouping loses nothing. (An earlier
 *    version grouped the scan once per dimension with `GROUPING SETS`: 3-5× the metrics query's
 *    time with two dimensions, where the scan's rows far outnumber the users.)
 * 2. `ranked`: each value's volume summed over its cells (a window), then its rank within its
 *    dimension by volume (ties by value): the `max_values` largest are named, the rest `(other)`.
 *    Values named on earlier nights stay named (the plan's `named`), so a value that vanishes
 *    tonight is reported at 0 instead of disappearing into `(other)`.
 * 3. `labeled`: each cell's segment: its value, `(none)` for a null value, or `(other)`.
 * 4. the segments' metrics: counts and sums add up, distinct users and accounts are counted once
 *    (`count(DISTINCT …)` over the flags), and active accounts are counted over per-account user
 *    counts (a second grouping set, as the lake query does for the whole).
 *
 * The result has one row per (slot, segment): slot 0 (segment NULL) is the whole night, the same
 * columns the plain metrics query returns; slot i is dimension i (1-based, config order).
 */
import type { ActiveAccountsMetric, EventMetric } from '../config/types';
import { propertyColumn } from '../metrics/event-metrics';
import { DAY_EVENTS_COLUMN, MALFORMED_ROWS_COLUMN, metricColumn, metricCondition } from './metrics-query';
import { dimensionColumn, type MetricsSource } from './metrics-sources';
import { quoteIdent, quoteString, quoteStringList } from './quote';
import { sql } from './sql';

/** Result column: 0 for the whole night, i for the i-th dimension (1-based). */
export const SLOT_COLUMN = 'nsm_slot';
/** Result column: the segment's label (null on slot 0). */
export const SEGMENT_COLUMN = 'nsm_segment';
/** Label of the rows whose dimension value is null. */
export const NONE_SEGMENT = '(none)';
/** Label of the values beyond the named ones. */
export const OTHER_SEGMENT = '(other)';

/** What the query needs to break the metrics down. */
export interface SegmentPlan {
  /** Config order; `named` are values kept named whatever their volume tonight (from earlier nights). */
  readonly dimensions: readonly { readonly column: string; readonly named: readonly string[] }[];
  /** Per dimension, the values with the most volume tonight that are named. */
  readonly maxValues: number;
  /**
   * The events that make a value's volume (on night D), or null for every event: the events the
   * broken-down metrics count.
   */
  readonly volumeEvents: readonly string[] | null;
}

const flagColumn = (metricId: string) => `au__${metricId}`;

/** The `metrics` query with segments (see the module comment); `metrics` must not be empty. */
export function buildSegmentedMetricsSql(
  metrics: readonly EventMetric[],
  dt: string,
  from: string,
  source: MetricsSource,
  plan: SegmentPlan,
): string {
  const scan = source.scan(
    metrics,
    from,
    dt,
    plan.dimensions.map((d) => d.column),
  );
  const dims = plan.dimensions.map((d, i) => ({ ...d, col: quoteIdent(dimensionColumn(d.column)), slot: i + 1 }));
  const col = (m: EventMetric) => quoteIdent(metricColumn(m.id));
  const active = metrics.filter((m): m is ActiveAccountsMetric => m.type === 'active_accounts');

  // 1. cells
  const cellAggregate = (m: EventMetric): string => {
    const when = metricCondition(m, from, dt);
    switch (m.type) {
      case 'count':
        return `${source.countEvents(when)} AS ${col(m)}`;
      case 'sum':
        return `coalesce(sum(CASE WHEN ${when} THEN ${quoteIdent(propertyColumn(m.property))} END), 0) AS ${col(m)}`;
      case 'distinct_users':
      case 'distinct_accounts':
        return `max(CASE WHEN ${when} THEN 1 ELSE 0 END) AS ${col(m)}`;
      case 'active_accounts':
        return `max(CASE WHEN ${metricCondition(m, from, dt, ['nsm_account IS NOT NULL'])} THEN 1 ELSE 0 END) AS ${quoteIdent(flagColumn(m.id))}`;
      default: {
        const unknown: never = m;
        throw new Error(`unhandled metric type ${JSON.stringify(unknown)}`);
      }
    }
  };
  const volume = [`nsm_day = ${quoteString(dt)}`, ...(plan.volumeEvents ? [`nsm_event IN ${quoteStringList(plan.volumeEvents)}`] : [])];
  const finestColumns = [
    'nsm_user',
    'nsm_account',
    ...dims.map((d) => d.col),
    ...metrics.map(cellAggregate),
    // A row without an event name (a malformed JSON line) is no event: counted apart, as in the plain query.
    `${source.countEvents(`nsm_day = ${quoteString(dt)} AND nsm_event IS NOT NULL`)} AS ${DAY_EVENTS_COLUMN}`,
    `${source.countEvents(`nsm_day = ${quoteString(dt)} AND nsm_event IS NULL`)} AS ${MALFORMED_ROWS_COLUMN}`,
    `${source.countEvents(volume.join(' AND '))} AS nsm_volume`,
  ];
  const cellColumns = [
    `nsm_slots.${SLOT_COLUMN}`,
    `CASE nsm_slots.${SLOT_COLUMN} ${dims.map((d) => `WHEN ${d.slot} THEN ${d.col}`).join(' ')} END AS nsm_value`,
    'nsm_user',
    'nsm_account',
    ...metrics.map((m) => (m.type === 'active_accounts' ? quoteIdent(flagColumn(m.id)) : col(m))),
    DAY_EVENTS_COLUMN,
    MALFORMED_ROWS_COLUMN,
    'nsm_volume',
  ];
  const slots = [0, ...dims.map((d) => d.slot)].map((n) => `(${n})`).join(', ');

  // 3. labels
  const named = dims
    .filter((d) => d.named.length > 0)
    .map((d) => `(${SLOT_COLUMN} = ${d.slot} AND nsm_value IN ${quoteStringList([...d.named].sort())})`);
  const keep = [`nsm_rank <= ${plan.maxValues}`, ...named].join(' OR ');
  const carried = metrics.map((m) => (m.type === 'active_accounts' ? quoteIdent(flagColumn(m.id)) : col(m)));
  const labeledColumns = [
    SLOT_COLUMN,
    `CASE WHEN ${SLOT_COLUMN} = 0 THEN NULL WHEN nsm_value IS NULL THEN ${quoteString(NONE_SEGMENT)} WHEN ${keep} THEN nsm_value ELSE ${quoteString(OTHER_SEGMENT)} END AS ${SEGMENT_COLUMN}`,
    'nsm_user',
    'nsm_account',
    ...carried,
    DAY_EVENTS_COLUMN,
    MALFORMED_ROWS_COLUMN,
  ];

  // 4. the segments' metrics
  const segmentAggregate = (m: EventMetric): string => {
    switch (m.type) {
      case 'count':
      case 'sum':
        return `sum(${col(m)}) AS ${col(m)}`;
      case 'distinct_users':
        return `count(DISTINCT CASE WHEN ${col(m)} = 1 THEN nsm_user END) AS ${col(m)}`;
      case 'distinct_accounts':
        return `count(DISTINCT CASE WHEN ${col(m)} = 1 THEN nsm_account END) AS ${col(m)}`;
      case 'active_accounts':
        return `count(DISTINCT CASE WHEN ${quoteIdent(flagColumn(m.id))} = 1 THEN nsm_user END) AS ${quoteIdent(flagColumn(m.id))}`;
      default: {
        const unknown: never = m;
        throw new Error(`unhandled metric type ${JSON.stringify(unknown)}`);
      }
    }
  };
  const head = sql`
    WITH scoped AS (
      ${scan}
    ),
    finest AS (
      SELECT
        ${finestColumns}
      FROM scoped
      GROUP BY ${['nsm_user', 'nsm_account', ...dims.map((d) => d.col)].join(', ')}
    ),
    cells AS (
      SELECT
        ${cellColumns}
      FROM finest
      CROSS JOIN (VALUES ${slots}) AS nsm_slots (${SLOT_COLUMN})
    ),
    ranked AS (
      SELECT
        *,
        dense_rank() OVER (PARTITION BY ${SLOT_COLUMN} ORDER BY CASE WHEN nsm_value IS NULL THEN 1 ELSE 0 END, nsm_value_volume DESC, nsm_value) AS nsm_rank
      FROM (
        SELECT *, sum(nsm_volume) OVER (PARTITION BY ${SLOT_COLUMN}, nsm_value) AS nsm_value_volume
        FROM cells
      ) AS valued
    ),
    labeled AS (
      SELECT
        ${labeledColumns}
      FROM ranked
    )`;
  const totals = [
    ...metrics.map(segmentAggregate),
    `sum(${DAY_EVENTS_COLUMN}) AS ${DAY_EVENTS_COLUMN}`,
    `sum(${MALFORMED_ROWS_COLUMN}) AS ${MALFORMED_ROWS_COLUMN}`,
  ];

  if (active.length === 0) {
    return sql`
      ${head}
      SELECT
        ${[SLOT_COLUMN, SEGMENT_COLUMN, ...totals]}
      FROM labeled
      GROUP BY ${SLOT_COLUMN}, ${SEGMENT_COLUMN}
      ORDER BY ${SLOT_COLUMN}, ${SEGMENT_COLUMN}`;
  }
  // Level 1 = the (slot, segment) rows, level 0 = one row per account within each segment.
  const outer = [
    SLOT_COLUMN,
    SEGMENT_COLUMN,
    ...metrics.map((m) =>
      m.type === 'active_accounts'
        ? `count(CASE WHEN nsm_level = 0 AND nsm_account IS NOT NULL AND ${quoteIdent(flagColumn(m.id))} >= ${m.min_users} THEN 1 END) AS ${col(m)}`
        : `max(CASE WHEN nsm_level = 1 THEN ${col(m)} END) AS ${col(m)}`,
    ),
    `max(CASE WHEN nsm_level = 1 THEN ${DAY_EVENTS_COLUMN} END) AS ${DAY_EVENTS_COLUMN}`,
    `max(CASE WHEN nsm_level = 1 THEN ${MALFORMED_ROWS_COLUMN} END) AS ${MALFORMED_ROWS_COLUMN}`,
  ];
  return sql`
    ${head},
    grouped AS (
      SELECT
        ${['GROUPING(nsm_account) AS nsm_level', SLOT_COLUMN, SEGMENT_COLUMN, 'nsm_account', ...totals]}
      FROM labeled
      GROUP BY GROUPING SETS ((${SLOT_COLUMN}, ${SEGMENT_COLUMN}), (${SLOT_COLUMN}, ${SEGMENT_COLUMN}, nsm_account))
    )
    SELECT
      ${outer}
    FROM grouped
    GROUP BY ${SLOT_COLUMN}, ${SEGMENT_COLUMN}
    ORDER BY ${SLOT_COLUMN}, ${SEGMENT_COLUMN}`;
}
