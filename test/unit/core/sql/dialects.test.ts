import { describe, expect, it } from 'vitest';
import { athenaDialect, dialectFor, duckdbDialect } from '../../../../functions/core/sql/dialects';
import { keepsState } from '../../../../functions/core/state/keeps-state';
import { lakeConfig, testConfig } from '../../../support/config';

const config = (results: string, athena = true) =>
  testConfig({
    lake: lakeConfig('/lake', athena ? { athena: { database: 'db', table: 'events', workgroup: 'wg', bytes_scanned_cutoff_gb: 100 } } : {}),
    results,
    metrics: [{ id: 'm', name: 'm', type: 'count', events: undefined, window_days: 1 }],
    north_star: 'm',
  });

describe('keepsState', () => {
  it('DuckDB keeps state in a local results folder, Athena in S3, and neither elsewhere', () => {
    expect(keepsState('duckdb', '/srv/results')).toBe(true);
    expect(keepsState('duckdb', 's3://b/results')).toBe(false);
    expect(keepsState('athena', 's3://b/results')).toBe(true);
    expect(keepsState('athena', '/srv/results')).toBe(false);
  });
});

describe('dialectFor', () => {
  it('gives DuckDB the state SQL of the results folder when it keeps state there', () => {
    const dialect = dialectFor(config('/srv/results'), 'duckdb');
    expect(dialect.name).toBe('duckdb');
    expect(dialect.eventsTable).toBe('events');
    expect(dialect.state?.target('daily', '2024-05-01', 'b1')).toBe('/srv/results/state/daily/2024-05-01.b1/data.parquet');
    expect(dialectFor(config('s3://b/results'), 'duckdb').state).toBeUndefined();
  });

  it('gives Athena the Glue table and, with results in S3, the state SQL there', () => {
    const dialect = dialectFor(config('s3://b/results'), 'athena');
    expect(dialect.name).toBe('athena');
    expect(dialect.eventsTable).toBe('"db"."events"');
    expect(dialect.state?.target('entries', '2024-05-01', 'b1')).toBe('s3://b/results/state/entries/2024-05-01.b1/');
    expect(dialectFor(config('/srv/results'), 'athena').state).toBeUndefined();
  });

  it('needs lake.athena for Athena', () => {
    expect(() => dialectFor(config('s3://b/results', false), 'athena')).toThrow(
      '<test>: lake.athena: required to query with Athena (database, table, workgroup; or NSM_ATHENA_* variables)',
    );
  });

  it('shares every fragment but day arithmetic between the engines', () => {
    const [duck, athena] = [duckdbDialect(), athenaDialect('db', 't')];
    expect(duck.dateLiteral('2024-05-01')).toBe(athena.dateLiteral('2024-05-01'));
    expect(duck.toDate('x')).toBe(athena.toDate('x'));
    expect(duck.toDouble('x')).toBe(athena.toDouble('x'));
    // DuckDB: DATE + INTEGER stays a DATE; Trino has no such operator.
    expect(duck.addDays('d', 3)).toBe('(d + CAST(3 AS INTEGER))');
    expect(athena.addDays('d', 3)).toBe("date_add('day', 3, d)");
  });
});
