import { describe, expect, it } from 'vitest';
import { athenaStateSql, copyToParquet, duckdbStateSql, unloadToParquet } from '../../../../functions/core/sql/state-sql';
import { athenaSqlProblems } from '../../../support/athena-sql-validator';

describe('athenaStateSql', () => {
  const state = athenaStateSql('product_events', 's3://b/nsm/');

  it('reads a kind of state through its Glue table, only the given days', () => {
    expect(state.relation('daily', ['2024-05-01', '2024-05-02'])).toBe(
      `(SELECT * FROM "product_events"."nsm_state_daily" WHERE "dt" IN ('2024-05-01', '2024-05-02'))`,
    );
    expect(state.relation('entries', ['2024-05-02'])).toBe(
      `(SELECT * FROM "product_events"."nsm_state_entries" WHERE "dt" IN ('2024-05-02'))`,
    );
  });

  it("UNLOADs a day's state as Parquet into its folder under the results location (a valid Athena statement)", () => {
    expect(state.target('daily', '2024-05-01')).toBe('s3://b/nsm/state/daily/dt=2024-05-01/');
    const statement = state.materialize("SELECT 'x' AS nsm_user", 'daily', '2024-05-01');
    expect(statement).toBe(
      "UNLOAD (\nSELECT 'x' AS nsm_user\n) TO 's3://b/nsm/state/daily/dt=2024-05-01/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    );
    expect(athenaSqlProblems(statement)).toEqual([]);
    expect(unloadToParquet('SELECT 1', "s3://b/o'k/")).toBe(
      "UNLOAD (\nSELECT 1\n) TO 's3://b/o''k/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    );
  });
});

describe('duckdbStateSql', () => {
  const state = duckdbStateSql('/data/results');

  it("keeps each day's state as one Parquet file under the results folder and reads the days' files", () => {
    expect(state.target('entries', '2024-05-02')).toBe('/data/results/state/entries/dt=2024-05-02/data.parquet');
    expect(state.relation('daily', ['2024-05-01', '2024-05-02'])).toBe(
      "read_parquet(['/data/results/state/daily/dt=2024-05-01/data.parquet', '/data/results/state/daily/dt=2024-05-02/data.parquet'])",
    );
  });

  it('COPYs the rows of a SELECT to that file, zstd-compressed', () => {
    expect(state.materialize('SELECT 1', 'daily', '2024-05-01')).toBe(
      "COPY (\nSELECT 1\n) TO '/data/results/state/daily/dt=2024-05-01/data.parquet' (FORMAT parquet, COMPRESSION zstd)",
    );
    expect(copyToParquet('SELECT 1', "/tmp/o'k.parquet")).toBe(
      "COPY (\nSELECT 1\n) TO '/tmp/o''k.parquet' (FORMAT parquet, COMPRESSION zstd)",
    );
  });
});
