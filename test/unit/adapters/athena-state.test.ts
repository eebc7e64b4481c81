import { describe, expect, it } from 'vitest';
import { AthenaState } from '../../../functions/adapters/athena-state';
import type { QueryStats } from '../../../functions/core/engine';
import { athenaStateSql } from '../../../functions/core/sql/state-sql';
import { athenaSqlProblems } from '../../support/athena-sql-validator';

const stats = (name: string): QueryStats => ({ name, query_id: 'q', ms: 1, bytes_scanned: 0, rows: 0 });

describe('AthenaState', () => {
  it('clears the day folder, then UNLOADs into it as Parquet (a valid Athena statement)', async () => {
    const calls: string[] = [];
    const state = new AthenaState(
      async (name, sql) => {
        calls.push(`run ${name}: ${sql}`);
        return stats(name);
      },
      { sql: athenaStateSql('db', 's3://results-bucket/nsm/'), clearFolder: async (key) => void calls.push(`clear ${key}`) },
    );
    await state.materialize(
      { name: 'rollup 2024-05-01', sql: "SELECT 'x' AS nsm_user", lakeDays: { from: '2024-05-01', to: '2024-05-01' } },
      'daily',
      '2024-05-01',
    );
    expect(calls).toEqual([
      'clear state/daily/dt=2024-05-01/',
      "run rollup 2024-05-01: UNLOAD (\nSELECT 'x' AS nsm_user\n) TO 's3://results-bucket/nsm/state/daily/dt=2024-05-01/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    ]);
    expect(athenaSqlProblems(calls[1]!.slice('run rollup 2024-05-01: '.length))).toEqual([]);
  });

  it('clears the folder again before the engine resubmits a failed UNLOAD (it may have left files)', async () => {
    const calls: string[] = [];
    const state = new AthenaState(
      async (name, _sql, beforeResubmit) => {
        calls.push(`run ${name}`);
        await beforeResubmit(); // what AthenaEngine does after a retryable failure
        calls.push(`resubmit ${name}`);
        return stats(name);
      },
      { sql: athenaStateSql('db', 's3://b'), clearFolder: async (key) => void calls.push(`clear ${key}`) },
    );
    await state.materialize({ name: 'rollup 2024-05-01', sql: 'SELECT 1' }, 'daily', '2024-05-01');
    expect(calls).toEqual([
      'clear state/daily/dt=2024-05-01/',
      'run rollup 2024-05-01',
      'clear state/daily/dt=2024-05-01/',
      'resubmit rollup 2024-05-01',
    ]);
  });

  it('says 0 rows when the UNLOAD scanned no bytes (a partition not there yet), else unknown', async () => {
    const withBytes = (bytes: number | null) =>
      new AthenaState(async (name) => ({ ...stats(name), bytes_scanned: bytes }), {
        sql: athenaStateSql('db', 's3://b'),
        clearFolder: async () => undefined,
      });
    const rows = async (bytes: number | null) =>
      (await withBytes(bytes).materialize({ name: 'rollup 2024-05-01', sql: 'SELECT 1' }, 'daily', '2024-05-01')).rowsWritten;
    expect(await rows(0)).toBe(0);
    expect(await rows(123_456)).toBeNull();
    expect(await rows(null)).toBeNull();
  });

  it('does not UNLOAD when the folder cannot be cleared (UNLOAD needs an empty target)', async () => {
    let ran = false;
    const state = new AthenaState(
      async (n) => {
        ran = true;
        return stats(n);
      },
      { sql: athenaStateSql('db', 's3://b'), clearFolder: async () => Promise.reject(new Error('AccessDenied')) },
    );
    await expect(state.materialize({ name: 'entries', sql: 'SELECT 1' }, 'entries', '2024-05-01')).rejects.toThrow('AccessDenied');
    expect(ran).toBe(false);
  });
});

describe('athenaSqlProblems', () => {
  it('rejects a malformed UNLOAD and a broken SELECT inside a well-formed one', () => {
    expect(athenaSqlProblems("UNLOAD (SELECT 1) TO 's3://b/x/'")).not.toEqual([]);
    expect(athenaSqlProblems("UNLOAD (\nSELECT FROM\n) TO 's3://b/x/' WITH (format = 'PARQUET')")).not.toEqual([]);
  });
});
