import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import type { EventMetric } from '../../../../functions/core/config/types';
import { athenaDialect } from '../../../../functions/core/sql/dialects';
import { buildMetricsQuery } from '../../../../functions/core/sql/metrics-query';
import { lakeSource } from '../../../../functions/core/sql/metrics-sources';
import type { SegmentPlan } from '../../../../functions/core/sql/segmented-metrics-query';
import { lakeConfig } from '../../../support/config';

// Segments must cost no extra pass over the lake, and on Athena (billed by bytes scanned) the night may
// read only the dimension columns more than without segments: the same one scan, two more columns.
const lake = lakeConfig('/lake');
const dialect = athenaDialect('db', 'events');
const metrics: EventMetric[] = [
  { id: 'posts', name: 'posts', type: 'count', events: ['post'], window_days: 7 },
  { id: 'posters', name: 'posters', type: 'distinct_users', events: ['post'], window_days: 1 },
  { id: 'teams', name: 'teams', type: 'active_accounts', events: ['post'], window_days: 7, min_users: 3 } as EventMetric,
];
const plan: SegmentPlan = {
  dimensions: [
    { column: 'platform', named: ['ios'] },
    { column: 'country', named: [] },
  ],
  maxValues: 20,
  volumeEvents: ['post'],
};
const dt = '2024-03-09';

/** The lake's columns a query reads, as the scan names them ("column" AS alias, or CAST("column" …)). */
const lakeColumns = (sql: string) => new Set([...sql.matchAll(/(?:^|[\s(])"([a-z_]+)"(?= AS |\s+AS\s)/gm)].map((m) => m[1]));
const tableReads = (sql: string) => sql.split('"db"."events"').length - 1;

describe('the segmented metrics query (Athena)', () => {
  const plain = buildMetricsQuery(dialect, lake, metrics, dt).sql;
  const segmented = buildMetricsQuery(dialect, lake, metrics, dt, lakeSource(dialect, lake), plan).sql;

  it('reads the lake table once, as the plain query does', () => {
    expect(tableReads(plain)).toBe(1);
    expect(tableReads(segmented)).toBe(1);
  });

  it("reads the plain query's partitions (the same WHERE) and only the dimension columns more", () => {
    const where = (sql: string) => sql.slice(sql.indexOf('FROM "db"."events"')).split('\n').slice(0, 3).join('\n');
    expect(where(segmented)).toBe(where(plain));
    const extra = [...lakeColumns(segmented)].filter((c) => !lakeColumns(plain).has(c));
    expect(extra.sort()).toEqual(['country', 'platform']);
    expect([...lakeColumns(plain)].filter((c) => !lakeColumns(segmented).has(c))).toEqual([]);
  });

  it('is valid Athena (Trino) SQL', () => {
    expect(new TrinoSQL().validate(segmented)).toEqual([]);
  });
});
