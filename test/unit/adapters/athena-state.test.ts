import { describe, expect, it } from 'vitest';
import { AthenaState } from '../../../functions/adapters/athena-state';
import { newBuildId } from '../../../functions/adapters/build-id';
import type { QueryStats } from '../../../functions/core/engine';
import { STATE_BUILD_ID } from '../../../functions/core/results/layout';
import { athenaStateSql } from '../../../functions/core/sql/state-sql';
import { athenaSqlProblems } from '../../support/athena-sql-validator';

const stats = (name: string): QueryStats => ({ name, query_id: 'q', ms: 1, bytes_scanned: 0, rows: 0 });

/** Build ids handed out in order, so that each test names the folders it expects. */
const builds = (...ids: string[]) => {
  const queue = [...ids];
  return () => queue.shift() ?? 'exhausted';
};

describe('AthenaState', () => {
  it('UNLOADs each build as Parquet into a fresh folder of its own, without clearing anything first (a valid Athena statement)', async () => {
    const calls: string[] = [];
    const state = new AthenaState(
      async (name, sql) => {
        calls.push(`run ${name}: ${sql}`);
        return stats(name);
      },
      {
        sql: athenaStateSql('db', 's3://results-bucket/nsm/'),
        clearFolder: async (key) => void calls.push(`clear ${key}`),
        newBuild: builds('aaaa11112222', 'bbbb33334444'),
      },
    );
    const query = { name: 'rollup 2024-05-01', sql: "SELECT 'x' AS nsm_user", lakeDays: { from: '2024-05-01', to: '2024-05-01' } };
    const first = await state.materialize(query, 'daily', '2024-05-01');
    const second = await state.materialize(query, 'daily', '2024-05-01');
    expect([first.build, second.build]).toEqual(['aaaa11112222', 'bbbb33334444']);
    expect(calls).toEqual([
      "run rollup 2024-05-01: UNLOAD (\nSELECT 'x' AS nsm_user\n) TO 's3://results-bucket/nsm/state/daily/2024-05-01.aaaa11112222/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
      "run rollup 2024-05-01: UNLOAD (\nSELECT 'x' AS nsm_user\n) TO 's3://results-bucket/nsm/state/daily/2024-05-01.bbbb33334444/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    ]);
    expect(athenaSqlProblems(calls[0]!.slice('run rollup 2024-05-01: '.length))).toEqual([]);
  });

  it("clears the build's own folder before the engine resubmits a failed UNLOAD (its ended execution may have left files)", async () => {
    const calls: string[] = [];
    const state = new AthenaState(
      async (name, _sql, { beforeResubmit }) => {
        calls.push(`run ${name}`);
        await beforeResubmit(); // what AthenaEngine does after a retryable failure
        calls.push(`resubmit ${name}`);
        return stats(name);
      },
      {
        sql: athenaStateSql('db', 's3://b'),
        clearFolder: async (key) => void calls.push(`clear ${key}`),
        newBuild: builds('c0ffee000001'),
      },
    );
    await state.materialize({ name: 'rollup 2024-05-01', sql: 'SELECT 1' }, 'daily', '2024-05-01');
    expect(calls).toEqual(['run rollup 2024-05-01', 'clear state/daily/2024-05-01.c0ffee000001/', 'resubmit rollup 2024-05-01']);
  });

  it("passes the night's deadline on to the engine", async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const state = new AthenaState(
      async (name, _sql, options) => {
        seen.push(options.signal);
        return stats(name);
      },
      { sql: athenaStateSql('db', 's3://b'), clearFolder: async () => undefined },
    );
    const deadline = new AbortController();
    await state.materialize({ name: 'entries 2024-05-01', sql: 'SELECT 1' }, 'entries', '2024-05-01', { signal: deadline.signal });
    expect(seen).toEqual([deadline.signal]);
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
});

describe('newBuildId', () => {
  it('draws 12 hex digits that the layout accepts as a build id, a new one each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, newBuildId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
    for (const id of ids) expect(STATE_BUILD_ID.test(id)).toBe(true);
  });
});

describe('athenaSqlProblems', () => {
  it('rejects a malformed UNLOAD and a broken SELECT inside a well-formed one', () => {
    expect(athenaSqlProblems("UNLOAD (SELECT 1) TO 's3://b/x/'")).not.toEqual([]);
    expect(athenaSqlProblems("UNLOAD (\nSELECT FROM\n) TO 's3://b/x/' WITH (format = 'PARQUET')")).not.toEqual([]);
  });
});
