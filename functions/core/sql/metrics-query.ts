/**
 * Compiles every event metric of a night (docs/design.md §2 "Metric semantics") into ONE query that
 * reads the union of their windows once: each metric is a conditional aggregate whose condition
 * adds its own window and event filter. `active_accounts` needs distinct users per account, so
 * when such a metric exists the scan is grouped by `GROUPING SETS ((), (account))` — the global
 * row carries the plain metrics, the per-account rows feed the active-account counts — which is
 * still a single scan in Trino (GroupId) and DuckDB. Over the incremental state's small rollups,
 * where a second read is cheap, the totals and the per-account users are aggregated separately
 * instead (see `MetricsSource.rescanIsCheap`). The same query also returns the day's own event
 * count (`day_events`) for the freshness guard, and the day's rows that are not events
 * (`malformed_rows`).
 *
 * A row without an event name is not an event: no metric counts it, nor does `day_events`. That is
 * what a JSON line that is not valid JSON reads as — Athena's OpenX SerDe with
 * `ignore.malformed.json` and DuckDB's `read_json` with `ignore_errors` both give it a row whose
 * every column is NULL — so both engines skip the same lines, and count them.
 */
import type { ActiveAccountsMetric, EventMetric, LakeConfig } from '../config/types';
import { addDays } from '../dates';
import type { Query } from '../engine';
import { propertyColumn } from '../metrics/event-metrics';
import type { Dialect } from './dialect';
import { lakeSource, type MetricsSource } from './metrics-sources';
import { quoteIdent, quoteString, quoteStringList } from './quote';
import { buildSegmentedMetricsSql, type SegmentPlan } from './segmented-metrics-query';
import { sql } from './sql';

/** The query's name in `nsm sql`, logs and `run.json`. */
export const METRICS_QUERY = 'metrics';

/** Result column holding the count of events in D's own partition. */
export const DAY_EVENTS_COLUMN = 'day_events';

/** Result column holding the count of D's rows without an event name (malformed JSON lines among them). */
export const MALFORMED_ROWS_COLUMN = 'malformed_rows';

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
 * Builds the `metrics` query for night `dt` over `source` (default: the lake). `metrics` must not be
 * empty. With `segments`, the same single read also breaks every metric down by the plan's
 * dimensions (`./segmented-metrics-query.ts`): one row per segment besides the whole night's.
 */
export function buildMetricsQuery(
  dialect: Dialect,
  lake: LakeConfig,
  metrics: readonly EventMetric[],
  dt: string,
  source: MetricsSource = lakeSource(dialect, lake),
  segments?: SegmentPlan,
): Query {
  const from = earliestWindowDay(metrics, dt);
  const lakeDays = source.readsLake ? { lakeDays: { from, to: dt } } : {};
  if (segments) return { name: METRICS_QUERY, sql: buildSegmentedMetricsSql(metrics, dt, from, source, segments), ...lakeDays };
  const scan = source.scan(metrics, from, dt, []);
  const active = metrics.filter((m): m is ActiveAccountsMetric => m.type === 'active_accounts');
  const plain = metrics.filter((m): m is Exclude<EventMetric, ActiveAccountsMetric> => m.type !== 'active_accounts');
  const dayEvents = source.countEvents(`nsm_day = ${quoteString(dt)} AND nsm_event IS NOT NULL`);
  const malformedRows = source.countEvents(`nsm_day = ${quoteString(dt)} AND nsm_event IS NULL`);
  const plainColumn = (m: Exclude<EventMetric, ActiveAccountsMetric>) =>
    `${aggregateFor(m, from, dt, source)} AS ${quoteIdent(metricColumn(m.id))}`;

  if (active.length === 0) {
    const aggregates = [...plain.map(plainColumn), `${dayEvents} AS ${DAY_EVENTS_COLUMN}`, `${malformedRows} AS ${MALFORMED_ROWS_COLUMN}`];
    const query = sql`
      WITH scoped AS (
        ${scan}
      )
      SELECT
        ${aggregates}
      FROM scoped`;
    return { name: METRICS_QUERY, sql: query, ...lakeDays };
  }

  const activeUsers = (m: ActiveAccountsMetric) =>
    `count(DISTINCT CASE WHEN ${metricCondition(m, from, dt, ['nsm_account IS NOT NULL'])} THEN nsm_user END) AS ${quoteIdent(accountUsersAlias(m.id))}`;
  const activeCount = (m: ActiveAccountsMetric, level = '') =>
    `count(CASE WHEN ${level}nsm_account IS NOT NULL AND ${quoteIdent(accountUsersAlias(m.id))} >= ${m.min_users} THEN 1 END) AS ${quoteIdent(metricColumn(m.id))}`;

  if (source.rescanIsCheap) {
    const totals = [...plain.map(plainColumn), `${dayEvents} AS ${DAY_EVENTS_COLUMN}`, `${malformedRows} AS ${MALFORMED_ROWS_COLUMN}`];
    const columns = [
      ...plain.map((m) => `t.${quoteIdent(metricColumn(m.id))}`),
      ...active.map((m) => `a.${quoteIdent(metricColumn(m.id))}`),
      `t.${DAY_EVENTS_COLUMN}`,
      `t.${MALFORMED_ROWS_COLUMN}`,
    ];
    const query = sql`
      WITH scoped AS (
        ${scan}
      ),
      totals AS (
        SELECT
          ${totals}
        FROM scoped
      ),
      accounts AS (
        SELECT
          nsm_account,
          ${active.map(activeUsers)}
        FROM scoped
        WHERE nsm_account IS NOT NULL
        GROUP BY nsm_account
      ),
      active AS (
        SELECT
          ${active.map((m) => activeCount(m))}
        FROM accounts
      )
      SELECT
        ${columns}
      FROM totals t
      CROSS JOIN active a`;
    return { name: METRICS_QUERY, sql: query, ...lakeDays };
  }

  // Level 1 = the global grouping set (), level 0 = one row per account (including a NULL account).
  const inner = [
    'GROUPING(nsm_account) AS nsm_level',
    'nsm_account',
    ...plain.map(plainColumn),
    ...active.map(activeUsers),
    `${dayEvents} AS ${DAY_EVENTS_COLUMN}`,
    `${malformedRows} AS ${MALFORMED_ROWS_COLUMN}`,
  ];
  const outer = [
    ...plain.map((m) => `max(CASE WHEN nsm_level = 1 THEN ${quoteIdent(metricColumn(m.id))} END) AS ${quoteIdent(metricColumn(m.id))}`),
    ...active.map((m) => activeCount(m, 'nsm_level = 0 AND ')),
    `max(CASE WHEN nsm_level = 1 THEN ${DAY_EVENTS_COLUMN} END) AS ${DAY_EVENTS_COLUMN}`,
    `max(CASE WHEN nsm_level = 1 THEN ${MALFORMED_ROWS_COLUMN} END) AS ${MALFORMED_ROWS_COLUMN}`,
  ];
  const query = sql`
    WITH scoped AS (
      ${scan}
    ),
    grouped AS (
      SELECT
        ${inner}
      FROM scoped
      GROUP BY GROUPING SETS ((), (nsm_account))
    )
    SELECT
      ${outer}
    FROM grouped`;
  return { name: METRICS_QUERY, sql: query, ...lakeDays };
}

/**
 * Metric `m`'s predicate on the scanned rows: its own window (when narrower than the scan) and
 * events — every event when it names none, but only events: a row without a name is none.
 */
export function metricCondition(m: EventMetric, scanFrom: string, dt: string, extra: readonly string[] = []): string {
  const parts: string[] = [];
  const own = addDays(dt, -(m.window_days - 1));
  if (own > scanFrom) parts.push(`nsm_day >= ${quoteString(own)}`);
  parts.push(m.events !== undefined ? `nsm_event IN ${quoteStringList(m.events)}` : 'nsm_event IS NOT NULL');
  parts.push(...extra);
  return parts.join(' AND ');
}

/** The aggregate computing a plain (not active_accounts) metric from the scanned rows. */
function aggregateFor(m: Exclude<EventMetric, ActiveAccountsMetric>, scanFrom: string, dt: string, source: MetricsSource): string {
  const when = metricCondition(m, scanFrom, dt);
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
