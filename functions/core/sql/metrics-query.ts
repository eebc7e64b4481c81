/**
 * Compiles every event metric of a night (DESIGN.md §2 "Metric semantics") into ONE query that
 * reads the union of their windows once: each metric is a conditional aggregate whose condition
 * adds its own window and event filter. `active_accounts` needs distinct users per account, so
 * when such a metric exists the scan is grouped by `GROUPING SETS ((), (account))` — the global
 * row carries the plain metrics, the per-account rows feed the active-account counts — which is
 * still a single scan in Trino (GroupId) and DuckDB. Over the incremental state's small rollups,
 * where a second read is cheap, the totals and the per-account users are aggregated separately
 * instead (see `MetricsSource.rescanIsCheap`). The same query also returns the day's own event
 * count (`day_events`) for the freshness guard.
 */
import type { ActiveAccountsMetric, EventMetric, LakeConfig } from '../config/types';
import { addDays } from '../dates';
import type { Query } from '../engine';
import { propertyColumn, summedProperties } from '../metrics/event-metrics';
import type { Dialect } from './dialect';
import { quoteIdent, quoteString, quoteStringList } from './quote';

/** Result column holding the count of events in D's own partition. */
export const DAY_EVENTS_COLUMN = 'day_events';

/**
 * The result column of a metric's raw value (a `sum`'s scale is applied in TypeScript). Prefixed,
 * like `au__` and `p__`, so that no metric id can collide with the query's own columns
 * (`day_events`, `nsm_account`, `nsm_level`): an unprefixed `day_events` metric once fed the
 * freshness guard its own value.
 */
export const metricColumn = (metricId: string) => `m__${metricId}`;

const accountUsersAlias = (metricId: string) => `au__${metricId}`;

/** The first day any of `metrics` needs on night `dt`. */
export function earliestWindowDay(metrics: readonly EventMetric[], dt: string): string {
  const widest = Math.max(1, ...metrics.map((m) => m.window_days));
  return addDays(dt, -(widest - 1));
}

/**
 * Where the metrics query reads its rows: the lake itself, or the per-day rollups of the
 * incremental state (issue 9). Both yield the same canonical columns (nsm_day, nsm_user,
 * nsm_account, nsm_event, p__<property>); rollup rows stand for `nsm_n` events each.
 */
export interface MetricsSource {
  /** The scoped rows of days `from` … `to` for `metrics` (D = `to`). */
  scan(metrics: readonly EventMetric[], from: string, to: string): string;
  /** The number of events among the rows matching `condition`. */
  countEvents(condition: string): string;
  /**
   * Reading the rows twice costs little (small state files, not the lake). Active-account metrics
   * then aggregate the night's totals and the per-account users separately instead of in
   * `GROUPING SETS`, which computes every metric's aggregate for every account too: 2.2× faster
   * on the benchmark's rollups, for a second read of ~7 small files.
   */
  readonly rescanIsCheap?: boolean;
  /** The rows come from the lake: the query then says which partitions it reads (`Query.lakeDays`). */
  readonly readsLake?: boolean;
}

/** The lake as the source: one row per event, the `dt` predicate on the partition column prunes. */
export function lakeSource(dialect: Dialect, lake: LakeConfig): MetricsSource {
  return {
    scan: (metrics, from, to) => {
      const c = lake.columns;
      const columns = [
        `${quoteIdent(lake.partition)} AS nsm_day`,
        `${quoteIdent(c.user)} AS nsm_user`,
        `${c.account ? quoteIdent(c.account) : 'CAST(NULL AS VARCHAR)'} AS nsm_account`,
        `${quoteIdent(c.event)} AS nsm_event`,
        ...summedProperties(metrics).map((p) => `${dialect.toDouble(quoteIdent(p))} AS ${quoteIdent(propertyColumn(p))}`),
      ];
      const where = [`${quoteIdent(lake.partition)} BETWEEN ${quoteString(from)} AND ${quoteString(to)}`];
      const names = eventFilter(metrics);
      // Only the events some metric counts, plus all of D's own events, which the freshness guard counts.
      if (names) where.push(`(${quoteIdent(c.event)} IN ${quoteStringList(names)} OR ${quoteIdent(lake.partition)} = ${quoteString(to)})`);
      return `  SELECT\n    ${columns.join(',\n    ')}\n  FROM ${dialect.eventsTable}\n  WHERE ${where.join('\n    AND ')}`;
    },
    countEvents: (condition) => `count(CASE WHEN ${condition} THEN 1 END)`,
    readsLake: true,
  };
}

/** Builds the `metrics` query for night `dt` over `source` (default: the lake). `metrics` must not be empty. */
export function buildMetricsQuery(
  dialect: Dialect,
  lake: LakeConfig,
  metrics: readonly EventMetric[],
  dt: string,
  source: MetricsSource = lakeSource(dialect, lake),
): Query {
  const from = earliestWindowDay(metrics, dt);
  const scan = source.scan(metrics, from, dt);
  const active = metrics.filter((m): m is ActiveAccountsMetric => m.type === 'active_accounts');
  const plain = metrics.filter((m): m is Exclude<EventMetric, ActiveAccountsMetric> => m.type !== 'active_accounts');
  const dayEvents = source.countEvents(`nsm_day = ${quoteString(dt)}`);
  const aggregate = (m: Exclude<EventMetric, ActiveAccountsMetric>) => aggregateFor(m, from, dt, source);
  const lakeDays = source.readsLake ? { lakeDays: { from, to: dt } } : {};

  if (active.length === 0) {
    const aggregates = [
      ...plain.map((m) => `${aggregate(m)} AS ${quoteIdent(metricColumn(m.id))}`),
      `${dayEvents} AS ${DAY_EVENTS_COLUMN}`,
    ];
    return { name: 'metrics', sql: `WITH scoped AS (\n${scan}\n)\nSELECT\n  ${aggregates.join(',\n  ')}\nFROM scoped`, ...lakeDays };
  }

  const activeUsers = (m: ActiveAccountsMetric) =>
    `count(DISTINCT CASE WHEN ${condition(m, from, dt, ['nsm_account IS NOT NULL'])} THEN nsm_user END) AS ${quoteIdent(accountUsersAlias(m.id))}`;
  const activeCount = (m: ActiveAccountsMetric, level = '') =>
    `count(CASE WHEN ${level}nsm_account IS NOT NULL AND ${quoteIdent(accountUsersAlias(m.id))} >= ${m.min_users} THEN 1 END) AS ${quoteIdent(metricColumn(m.id))}`;

  if (source.rescanIsCheap) {
    const totals = [...plain.map((m) => `${aggregate(m)} AS ${quoteIdent(metricColumn(m.id))}`), `${dayEvents} AS ${DAY_EVENTS_COLUMN}`];
    const columns = [
      ...plain.map((m) => `t.${quoteIdent(metricColumn(m.id))}`),
      ...active.map((m) => `a.${quoteIdent(metricColumn(m.id))}`),
      `t.${DAY_EVENTS_COLUMN}`,
    ];
    return {
      name: 'metrics',
      sql:
        `WITH scoped AS (\n${scan}\n),\ntotals AS (\n  SELECT\n    ${totals.join(',\n    ')}\n  FROM scoped\n),\n` +
        `accounts AS (\n  SELECT\n    nsm_account,\n    ${active.map(activeUsers).join(',\n    ')}\n  FROM scoped\n  WHERE nsm_account IS NOT NULL\n  GROUP BY nsm_account\n),\n` +
        `active AS (\n  SELECT\n    ${active.map((m) => activeCount(m)).join(',\n    ')}\n  FROM accounts\n)\n` +
        `SELECT\n  ${columns.join(',\n  ')}\nFROM totals t\nCROSS JOIN active a`,
      ...lakeDays,
    };
  }

  // Level 1 = the global grouping set (), level 0 = one row per account (including a NULL account).
  const inner = [
    'GROUPING(nsm_account) AS nsm_level',
    'nsm_account',
    ...plain.map((m) => `${aggregate(m)} AS ${quoteIdent(metricColumn(m.id))}`),
    ...active.map(activeUsers),
    `${dayEvents} AS ${DAY_EVENTS_COLUMN}`,
  ];
  const outer = [
    ...plain.map((m) => `max(CASE WHEN nsm_level = 1 THEN ${quoteIdent(metricColumn(m.id))} END) AS ${quoteIdent(metricColumn(m.id))}`),
    ...active.map((m) => activeCount(m, 'nsm_level = 0 AND ')),
    `max(CASE WHEN nsm_level = 1 THEN ${DAY_EVENTS_COLUMN} END) AS ${DAY_EVENTS_COLUMN}`,
  ];
  return {
    name: 'metrics',
    sql:
      `WITH scoped AS (\n${scan}\n),\ngrouped AS (\n  SELECT\n    ${inner.join(',\n    ')}\n  FROM scoped\n` +
      `  GROUP BY GROUPING SETS ((), (nsm_account))\n)\nSELECT\n  ${outer.join(',\n  ')}\nFROM grouped`,
    ...lakeDays,
  };
}

/** The event names the scan can keep, or null when some metric counts every event. */
export function eventFilter(metrics: readonly EventMetric[]): string[] | null {
  if (!metrics.every((m) => m.events !== undefined)) return null;
  return [...new Set(metrics.flatMap((m) => m.events ?? []))].sort();
}

/** Metric `m`'s predicate on the scanned rows: its own window (when narrower than the scan) and events. */
function condition(m: EventMetric, scanFrom: string, dt: string, extra: readonly string[] = []): string {
  const parts: string[] = [];
  const own = addDays(dt, -(m.window_days - 1));
  if (own > scanFrom) parts.push(`nsm_day >= ${quoteString(own)}`);
  if (m.events !== undefined) parts.push(`nsm_event IN ${quoteStringList(m.events)}`);
  parts.push(...extra);
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

/** The aggregate computing a plain (not active_accounts) metric from the scanned rows. */
function aggregateFor(m: Exclude<EventMetric, ActiveAccountsMetric>, scanFrom: string, dt: string, source: MetricsSource): string {
  const when = condition(m, scanFrom, dt);
  switch (m.type) {
    case 'count':
      return source.countEvents(when);
    case 'sum':
      // A sum over no numeric value is 0, not NULL: nothing happened.
      return `coalesce(sum(CASE WHEN ${when} THEN ${quoteIdent(propertyColumn(m.property))} END), 0)`;
    case 'distinct_users':
      return `count(DISTINCT CASE WHEN ${when} THEN nsm_user END)`;
    case 'distinct_accounts':
      return `count(DISTINCT CASE WHEN ${when} THEN nsm_account END)`;
    default: {
      const unknown: never = m;
      throw new Error(`unhandled metric type ${JSON.stringify(unknown)}`);
    }
  }
}
