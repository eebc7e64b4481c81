import { describe, expect, it } from 'vitest';
import { buildDayEventsQuery } from '../../../../functions/core/sql/day-events-query';
import { athenaDialect, duckdbDialect } from '../../../../functions/core/sql/dialects';
import { athenaSqlProblems } from '../../../support/athena-sql-validator';
import { lakeConfig } from '../../../support/config';

describe('buildDayEventsQuery', () => {
  const lake = { ...lakeConfig('/lake'), partition: 'day' };

  it("counts the rows of night D's partition that have an event name, and reads that partition only (a valid Athena statement)", () => {
    const q = buildDayEventsQuery(athenaDialect('product_events', 'events'), lake, '2024-05-01');
    expect(q.name).toBe('recheck 2024-05-01');
    expect(q.lakeDays).toEqual({ from: '2024-05-01', to: '2024-05-01' });
    expect(q.sql).toBe(
      `SELECT\n  count("${lake.columns.event}") AS day_events\nFROM "product_events"."events"\nWHERE "day" = '2024-05-01'`,
    );
    expect(athenaSqlProblems(q.sql)).toEqual([]);
  });

  it('reads the DuckDB lake view the same way', () => {
    const q = buildDayEventsQuery(duckdbDialect(), lake, '2024-05-01');
    expect(q.sql).toMatch(/^SELECT\n {2}count\("\w+"\) AS day_events\nFROM \S+\nWHERE "day" = '2024-05-01'$/);
  });
});
