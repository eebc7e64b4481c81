import { describe, expect, it } from 'vitest';
import { athenaStateSql, copyToParquet, duckdbStateSql, unloadToParquet } from '../../../../functions/core/sql/state-sql';
import { athenaSqlProblems } from '../../../support/athena-sql-validator';

const B1 = { day: '2024-05-01', build: 'a1b2c3d4e5f6' };
const B2 = { day: '2024-05-02', build: '0f0f0f0f0f0f' };

describe('athenaStateSql', () => {
  const state = athenaStateSql('product_events', 's3://b/nsm/');

  it('reads a kind of state through its Glue table, only the builds the manifests name (by build folder)', () => {
    expect(state.relation('daily', [B1, B2])).toBe(
      `(SELECT * FROM "product_events"."nsm_state_daily" WHERE "build" IN ('2024-05-01.a1b2c3d4e5f6', '2024-05-02.0f0f0f0f0f0f'))`,
    );
    expect(state.relation('entries', [B2])).toBe(
      `(SELECT * FROM "product_events"."nsm_state_entries" WHERE "build" IN ('2024-05-02.0f0f0f0f0f0f'))`,
    );
  });

  it("UNLOADs a build of a day's state as Parquet into its own folder under the results location (a valid Athena statement)", () => {
    expect(state.target('daily', B1.day, B1.build)).toBe('s3://b/nsm/state/daily/2024-05-01.a1b2c3d4e5f6/');
    const statement = state.materialize("SELECT 'x' AS nsm_user", 'daily', B1.day, B1.build);
    expect(statement).toBe(
      "UNLOAD (\nSELECT 'x' AS nsm_user\n) TO 's3://b/nsm/state/daily/2024-05-01.a1b2c3d4e5f6/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    );
    expect(athenaSqlProblems(statement)).toEqual([]);
    expect(unloadToParquet('SELECT 1', "s3://b/o'k/")).toBe(
      "UNLOAD (\nSELECT 1\n) TO 's3://b/o''k/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    );
  });
});

describe('duckdbStateSql', () => {
  const state = duckdbStateSql('/data/results');

  it("keeps each build of a day's state as one Parquet file in its build folder and reads the builds' files", () => {
    expect(state.target('entries', B2.day, B2.build)).toBe('/data/results/state/entries/2024-05-02.0f0f0f0f0f0f/data.parquet');
    expect(state.relation('daily', [B1, B2])).toBe(
      "read_parquet(['/data/results/state/daily/2024-05-01.a1b2c3d4e5f6/data.parquet', '/data/results/state/daily/2024-05-02.0f0f0f0f0f0f/data.parquet'])",
    );
  });

  it('COPYs the rows of a SELECT to that file, zstd-compressed', () => {
    expect(state.materialize('SELECT 1', 'daily', B1.day, B1.build)).toBe(
      "COPY (\nSELECT 1\n) TO '/data/results/state/daily/2024-05-01.a1b2c3d4e5f6/data.parquet' (FORMAT parquet, COMPRESSION zstd)",
    );
    expect(copyToParquet('SELECT 1', "/tmp/o'k.parquet")).toBe(
      "COPY (\nSELECT 1\n) TO '/tmp/o''k.parquet' (FORMAT parquet, COMPRESSION zstd)",
    );
  });
});
