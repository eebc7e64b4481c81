import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import type { EventMetric } from '../../../../functions/core/config/types';
import { athenaDialect, duckdbDialect } from '../../../../functions/core/sql/dialects';
import { buildMetricsQuery, earliestWindowDay } from '../../../../functions/core/sql/metrics-query';
import { lakeSource } from '../../../../functions/core/sql/metrics-sources';
import { lakeConfig } from '../../../support/config';

const lake = lakeConfig('/lake');
const count = (id: string, events: string[] | undefined, window_days = 1): EventMetric => ({
  id,
  name: id,
  type: 'count',
  events,
  window_days,
});

describe('buildMetricsQuery', () => {
  it('renders one scan with per-metric windows and events (exact SQL, duckdb)', () => {
    const q = buildMetricsQuery(duckdbDialect(), lake, [count('posts', ['post']), count('posts_7d', ['post'], 7)], '2024-03-09');
    expect(q.name).toBe('metrics');
    expect(q.sql).toBe(
      [
        'WITH scoped AS (',
        '  SELECT',
        '    "dt" AS nsm_day,',
        '    "user_id" AS nsm_user,',
        '    "account_id" AS nsm_account,',
        '    "event_name" AS nsm_event',
        '  FROM events',
        "  WHERE \"dt\" BETWEEN '2024-03-03' AND '2024-03-09'",
        '    AND ("event_name" IN (\'post\') OR "dt" = \'2024-03-09\')',
        ')',
        'SELECT',
        "  count(CASE WHEN nsm_day >= '2024-03-09' AND nsm_event IN ('post') THEN 1 END) AS \"m__posts\",",
        '  count(CASE WHEN nsm_event IN (\'post\') THEN 1 END) AS "m__posts_7d",',
        "  count(CASE WHEN nsm_day = '2024-03-09' AND nsm_event IS NOT NULL THEN 1 END) AS day_events,",
        "  count(CASE WHEN nsm_day = '2024-03-09' AND nsm_event IS NULL THEN 1 END) AS malformed_rows",
        'FROM scoped',
      ].join('\n'),
    );
  });

  it('differs between dialects only in the events relation', () => {
    const metrics = [count('posts', ['post'], 3)];
    const duck = buildMetricsQuery(duckdbDialect(), lake, metrics, '2024-03-09').sql;
    const athena = buildMetricsQuery(athenaDialect('product_events', 'events'), lake, metrics, '2024-03-09').sql;
    // Athena reads the Glue table; DuckDB reads the view the engine creates over the lake.
    expect(athena).toBe(duck.replace('FROM events', 'FROM "product_events"."events"'));
  });

  it('scans every event when any metric counts all events, and prunes to the widest window', () => {
    const q = buildMetricsQuery(duckdbDialect(), lake, [count('all', undefined, 2), count('posts', ['post'], 28)], '2024-03-09');
    expect(q.sql).toContain("WHERE \"dt\" BETWEEN '2024-02-11' AND '2024-03-09'\n)");
    // Every event, but only events: a row without a name (a malformed JSON line) counts for no metric.
    expect(q.sql).toContain('count(CASE WHEN nsm_day >= \'2024-03-08\' AND nsm_event IS NOT NULL THEN 1 END) AS "m__all"');
    expect(earliestWindowDay([count('a', undefined, 28)], '2024-03-09')).toBe('2024-02-11');
  });

  it('escapes a hostile event name into a single literal', () => {
    const q = buildMetricsQuery(duckdbDialect(), lake, [count('evil', ["x'); DROP TABLE events; --"])], '2024-03-09');
    expect(q.sql).toContain("IN ('x''); DROP TABLE events; --')");
    expect(q.sql).not.toMatch(/[^']'\); DROP/);
  });

  it('uses grouping sets for active_accounts and stays valid Trino SQL for Athena', () => {
    const metrics: EventMetric[] = [
      { id: 'teams', name: 'teams', type: 'active_accounts', events: ['post'], min_users: 3, window_days: 7 },
      { id: 'wau', name: 'wau', type: 'distinct_users', events: undefined, window_days: 7 },
      { id: 'new_teams', name: 'new', type: 'distinct_accounts', events: ['team_created'], window_days: 7 },
      { id: 'minutes', name: 'min', type: 'sum', events: ['call'], property: 'duration_ms', scale: 1 / 60000, window_days: 1 },
      count('posts', ['post']),
    ];
    const sql = buildMetricsQuery(athenaDialect('db', 'events'), lake, metrics, '2024-03-09').sql;
    expect(sql).toContain('GROUP BY GROUPING SETS ((), (nsm_account))');
    expect(sql).toContain('"au__teams" >= 3');
    expect(sql).toContain('TRY_CAST("duration_ms" AS DOUBLE) AS "p__duration_ms"');
    expect(new TrinoSQL().validate(sql)).toEqual([]);
  });

  it('over a source cheap to read twice, aggregates totals and accounts apart, still valid Trino SQL', () => {
    const metrics: EventMetric[] = [
      { id: 'teams', name: 'teams', type: 'active_accounts', events: ['post'], min_users: 3, window_days: 7 },
      { id: 'wau', name: 'wau', type: 'distinct_users', events: undefined, window_days: 7 },
    ];
    const dialect = athenaDialect('db', 'events');
    const source = { ...lakeSource(dialect, lake), rescanIsCheap: true };
    const sql = buildMetricsQuery(dialect, lake, metrics, '2024-03-09', source).sql;
    expect(sql).not.toContain('GROUPING SETS');
    expect(sql).toContain('GROUP BY nsm_account');
    expect(sql).toContain('"au__teams" >= 3');
    expect(sql).toMatch(
      /SELECT\n {2}t\."m__wau",\n {2}a\."m__teams",\n {2}t\.day_events,\n {2}t\.malformed_rows\nFROM totals t\nCROSS JOIN active a$/,
    );
    expect(new TrinoSQL().validate(sql)).toEqual([]);
  });

  it('says which lake partitions it reads (the widest window), and nothing when its source is not the lake', () => {
    const metrics = [count('posts', ['post']), count('weekly', ['post'], 7)];
    expect(buildMetricsQuery(duckdbDialect(), lake, metrics, '2024-03-09').lakeDays).toEqual({ from: '2024-03-03', to: '2024-03-09' });
    const state = { scan: () => '  SELECT 1', countEvents: (c: string) => `count(CASE WHEN ${c} THEN 1 END)` };
    expect(buildMetricsQuery(duckdbDialect(), lake, metrics, '2024-03-09', state).lakeDays).toBeUndefined();
  });

  it('reads NULL accounts when the lake has no account column', () => {
    const noAccount = lakeConfig('/lake', { columns: { user: 'uid', account: undefined, event: 'name', time: undefined } });
    const sql = buildMetricsQuery(duckdbDialect(), noAccount, [count('posts', ['post'])], '2024-03-09').sql;
    expect(sql).toContain('CAST(NULL AS VARCHAR) AS nsm_account');
    expect(sql).toContain('"uid" AS nsm_user');
  });
});

describe('the Trino validator used above', () => {
  it('rejects broken SQL (so a passing validation means something)', () => {
    expect(new TrinoSQL().validate('SELECT count(CASE WHEN THEN 1 END FROM t').length).toBeGreaterThan(0);
  });
});
