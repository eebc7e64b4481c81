/** The DuckDB adapter itself: lake discovery, formats, typed cells, errors that name the culprit. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { LakeError, QueryError } from '../../functions/core/errors';
import { lakeConfig } from '../support/config';
import { tempDir, writeJsonLake, writeParquetLake } from '../support/lake';

const COLUMNS = ['user_id', 'account_id', 'event_name', 'duration_ms'];

describe('DuckDbEngine', () => {
  it('names a missing lake folder', async () => {
    const missing = join(tempDir(), 'nope');
    await expect(DuckDbEngine.open(lakeConfig(missing), COLUMNS)).rejects.toThrow(new LakeError(missing, 'folder does not exist'));
  });

  it('names a lake with no data files, ignoring hidden files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'dt=2024-01-01'));
    writeFileSync(join(dir, 'dt=2024-01-01', '_SUCCESS'), '');
    await expect(DuckDbEngine.open(lakeConfig(dir), COLUMNS)).rejects.toThrow(
      `lake ${dir}: no json data files under dt=YYYY-MM-DD/ folders (names starting with _ or . are skipped, as Athena skips them)`,
    );
  });

  it('knows which days have a partition folder, whether it holds events, only an empty file, or only _SUCCESS', async () => {
    const dir = tempDir();
    writeJsonLake(dir, [{ dt: '2024-01-01', user_id: 'a', event_name: 'x' }]);
    mkdirSync(join(dir, 'dt=2024-01-02'));
    writeFileSync(join(dir, 'dt=2024-01-02', 'part-0.jsonl'), '');
    mkdirSync(join(dir, 'dt=2024-01-03'));
    writeFileSync(join(dir, 'dt=2024-01-03', '_SUCCESS'), '');
    const engine = await DuckDbEngine.open(lakeConfig(dir), COLUMNS);
    const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];
    expect(await Promise.all(days.map((d) => engine.hasLakePartition(d)))).toEqual([true, true, true, false]);
    // The empty file is read as no events, not an error.
    const r = await engine.run({ name: 't', sql: "SELECT count(*) AS n FROM events WHERE dt = '2024-01-02'" });
    expect(r.rows).toEqual([{ n: 0 }]);
    await engine.close();
  });

  it('reads plain and gzipped JSON Lines side by side, skipping what Athena skips (names starting with _ or .)', async () => {
    const dir = tempDir();
    writeJsonLake(dir, [{ dt: '2024-01-01', user_id: 'a', event_name: 'x' }]);
    writeJsonLake(dir, [{ dt: '2024-01-02', user_id: 'b', event_name: 'x' }], { gzip: true });
    // Hadoop's checksums, markers and temporary folders: hidden from Athena, and so from us.
    writeFileSync(join(dir, 'dt=2024-01-02', '.part-0.jsonl.gz.crc'), 'garbage');
    writeFileSync(join(dir, 'dt=2024-01-02', '_SUCCESS'), 'garbage');
    mkdirSync(join(dir, 'dt=2024-01-02', '_temporary'));
    writeFileSync(join(dir, 'dt=2024-01-02', '_temporary', 'part-9.jsonl'), '{"user_id":"t","event_name":"x"}\n');
    const engine = await DuckDbEngine.open(lakeConfig(dir), COLUMNS);
    const r = await engine.run({ name: 't', sql: 'SELECT dt, count(*) AS n FROM events GROUP BY dt ORDER BY dt' });
    expect(r.rows).toEqual([
      { dt: '2024-01-01', n: 1 },
      { dt: '2024-01-02', n: 1 },
    ]);
    expect(r.stats).toMatchObject({ name: 't', query_id: null, bytes_scanned: null, rows: 2 });
    await engine.close();
  });

  it('reads every other file under a partition, whatever its extension or subfolder, as Athena does', async () => {
    const dir = tempDir();
    writeJsonLake(dir, [{ dt: '2024-01-01', user_id: 'a', event_name: 'x' }]);
    const day = join(dir, 'dt=2024-01-01');
    // Kinesis Firehose names its objects without an extension; loaders write into subfolders.
    writeFileSync(join(day, 'events-1-2024-01-01-00-00-00-abcd'), '{"user_id":"b","event_name":"x"}\n');
    mkdirSync(join(day, 'hour=07'));
    writeFileSync(join(day, 'hour=07', 'part-1.json'), '{"user_id":"c","event_name":"x"}\n');
    writeFileSync(join(day, 'notes.txt'), '{"user_id":"d","event_name":"x"}\n');
    const engine = await DuckDbEngine.open(lakeConfig(dir), COLUMNS);
    const r = await engine.run({ name: 't', sql: "SELECT string_agg(user_id, ',' ORDER BY user_id) AS users, min(dt) AS dt FROM events" });
    expect(r.rows).toEqual([{ users: 'a,b,c,d', dt: '2024-01-01' }]);
    expect(engine.firstLakeDay()).toBe('2024-01-01');
    await engine.close();
  });

  it('fails a query clearly, naming the file, when a file under a partition of a Parquet lake is not Parquet', async () => {
    const dir = tempDir();
    await writeParquetLake(dir, { '2024-01-01': "SELECT 'a' AS user_id, 'x' AS event_name" });
    writeFileSync(join(dir, 'dt=2024-01-01', 'README.txt'), 'loaded by the nightly export\n');
    // The view takes its schema from the first file (README.txt sorts first): opening fails.
    const failure = DuckDbEngine.open(lakeConfig(dir, { format: 'parquet' }), ['user_id', 'event_name']);
    await expect(failure).rejects.toBeInstanceOf(LakeError);
    await expect(failure).rejects.toThrow(new RegExp(`^lake ${dir}: .*No magic bytes.*'${join(dir, 'dt=2024-01-01', 'README.txt')}'$`));
    // Sorted after a Parquet file, it fails the first query that reads it.
    const later = tempDir();
    await writeParquetLake(later, { '2024-01-01': "SELECT 'a' AS user_id, 'x' AS event_name" });
    writeFileSync(join(later, 'dt=2024-01-01', 'zz-manifest.csv'), 'path,size\n');
    const engine = await DuckDbEngine.open(lakeConfig(later, { format: 'parquet' }), ['user_id', 'event_name']);
    const query = engine.run({ name: 'metrics', sql: 'SELECT count(*) AS n FROM events' });
    await expect(query).rejects.toBeInstanceOf(QueryError);
    await expect(query).rejects.toThrow(new RegExp(`^query metrics failed: .*${join(later, 'dt=2024-01-01', 'zz-manifest.csv')}`));
    await engine.close();
  });

  it('fails a query clearly, naming the file, when a lake file cannot be read', async () => {
    const dir = tempDir();
    writeJsonLake(dir, [{ dt: '2024-01-01', user_id: 'a', event_name: 'x' }]);
    const broken = join(dir, 'dt=2024-01-01', 'part-1.jsonl.gz');
    writeFileSync(broken, 'not gzip at all');
    const engine = await DuckDbEngine.open(lakeConfig(dir), COLUMNS);
    const failure = engine.run({ name: 'metrics', sql: 'SELECT count(*) AS n FROM events' });
    await expect(failure).rejects.toThrow(new RegExp(`^query metrics failed: .*${broken}`));
    await engine.close();
  });

  it('gives a query that names its lake days an `events` over just those partitions, for that query only', async () => {
    const dir = tempDir();
    for (const dt of ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']) writeJsonLake(dir, [{ dt, user_id: 'a', event_name: 'x' }]);
    const engine = await DuckDbEngine.open(lakeConfig(dir), COLUMNS);
    // No partition predicate in the SQL: what comes back is what the scoped view holds.
    const sql = "SELECT string_agg(dt, ' ' ORDER BY dt) AS days FROM events";
    const days = async (lakeDays?: { from?: string; to: string }) =>
      String((await engine.run({ name: 't', sql, ...(lakeDays ? { lakeDays } : {}) })).rows[0]!.days);
    expect(await days({ from: '2024-01-02', to: '2024-01-03' })).toBe('2024-01-02 2024-01-03');
    expect(await days({ to: '2024-01-02' })).toBe('2024-01-01 2024-01-02');
    // The scoped view lives on the query's own connection: the next query sees the whole lake again.
    expect(await days()).toBe('2024-01-01 2024-01-02 2024-01-03 2024-01-04');
    // A range with no file falls back to the lake-wide view (the SQL's own predicate filters).
    expect(await days({ from: '2025-01-01', to: '2025-01-02' })).toBe('2024-01-01 2024-01-02 2024-01-03 2024-01-04');
    await engine.close();
  });

  it('reads a Parquet lake with the same results as its JSON twin', async () => {
    const dir = tempDir();
    const events = [
      { dt: '2024-01-01', user_id: 'a', account_id: 't1', event_name: 'x', duration_ms: 5 },
      { dt: '2024-01-01', user_id: 'b', account_id: null, event_name: 'y', duration_ms: null },
      { dt: '2024-01-02', user_id: 'a', account_id: 't1', event_name: 'x', duration_ms: 7.5 },
    ];
    writeJsonLake(join(dir, 'json'), events);
    // Write the Parquet twin with DuckDB itself, Hive-partitioned by dt.
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(
      `COPY (SELECT * FROM read_json('${dir}/json/*/*.jsonl', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})) ` +
        `TO '${dir}/parquet' (FORMAT parquet, PARTITION_BY (dt))`,
    );
    c.closeSync();
    instance.closeSync();
    const sql =
      'SELECT dt, count(*) AS n, count(DISTINCT user_id) AS u, sum(TRY_CAST(duration_ms AS DOUBLE)) AS d FROM events GROUP BY dt ORDER BY dt';
    const json = await DuckDbEngine.open(lakeConfig(join(dir, 'json')), COLUMNS);
    const parquet = await DuckDbEngine.open(lakeConfig(join(dir, 'parquet'), { format: 'parquet' }), COLUMNS);
    const expected = [
      { dt: '2024-01-01', n: 2, u: 2, d: 5 },
      { dt: '2024-01-02', n: 1, u: 1, d: 7.5 },
    ];
    expect((await json.run({ name: 'j', sql })).rows).toEqual(expected);
    expect((await parquet.run({ name: 'p', sql })).rows).toEqual(expected);
    await json.close();
    await parquet.close();
  });

  it('reads a Parquet lake whose later files lack a column (widening the view to union_by_name)', async () => {
    // The first file (by name) has duration_ms; a later one was written before that column existed, columns reordered.
    const dir = await writeParquetLake(tempDir(), {
      '2024-01-01': "SELECT 'a' AS user_id, 'x' AS event_name, 5 AS duration_ms",
      '2024-01-02': "SELECT 'y' AS event_name, 'b' AS user_id",
    });
    const engine = await DuckDbEngine.open(lakeConfig(dir, { format: 'parquet' }), COLUMNS);
    const r = await engine.run({ name: 'p', sql: 'SELECT dt, user_id, event_name, duration_ms FROM events ORDER BY dt' });
    expect(r.rows).toEqual([
      { dt: '2024-01-01', user_id: 'a', event_name: 'x', duration_ms: 5 },
      { dt: '2024-01-02', user_id: 'b', event_name: 'y', duration_ms: null },
    ]);
    await engine.close();
  });

  it('reads a Parquet lake whose first files lack a column added later, with queries side by side', async () => {
    const dir = await writeParquetLake(tempDir(), {
      '2024-01-01': "SELECT 'a' AS user_id, 'x' AS event_name",
      '2024-01-02': "SELECT 'b' AS user_id, 'y' AS event_name, 7 AS duration_ms",
    });
    const engine = await DuckDbEngine.open(lakeConfig(dir, { format: 'parquet' }), COLUMNS);
    const [sum, rows] = await Promise.all([
      engine.run({ name: 'sum', sql: 'SELECT sum(TRY_CAST(duration_ms AS DOUBLE)) AS d FROM events' }),
      engine.run({ name: 'rows', sql: 'SELECT dt, duration_ms FROM events ORDER BY dt' }),
    ]);
    expect(sum.rows).toEqual([{ d: 7 }]);
    expect(rows.rows).toEqual([
      { dt: '2024-01-01', duration_ms: null },
      { dt: '2024-01-02', duration_ms: 7 },
    ]);
    await engine.close();
  });

  it('widens the per-query view too when the lake days of a Parquet query span a drifted schema', async () => {
    // duration_ms appears on the last day: the query's first file in range lacks it, so its
    // scoped view only reads duration_ms once it too is built with union_by_name.
    const dir = await writeParquetLake(tempDir(), {
      '2024-01-01': "SELECT 'a' AS user_id, 'x' AS event_name",
      '2024-01-02': "SELECT 'b' AS user_id, 'y' AS event_name",
      '2024-01-03': "SELECT 'c' AS user_id, 'z' AS event_name, 7 AS duration_ms",
    });
    const engine = await DuckDbEngine.open(lakeConfig(dir, { format: 'parquet' }), COLUMNS);
    const scoped = await engine.run({
      name: 'scoped',
      sql: 'SELECT dt, user_id, duration_ms FROM events ORDER BY dt',
      lakeDays: { from: '2024-01-02', to: '2024-01-03' },
    });
    expect(scoped.rows).toEqual([
      { dt: '2024-01-02', user_id: 'b', duration_ms: null },
      { dt: '2024-01-03', user_id: 'c', duration_ms: 7 },
    ]);
    // The widened lake-wide view serves a query without lake days.
    const whole = await engine.run({ name: 'whole', sql: 'SELECT count(*) AS n, sum(duration_ms) AS d FROM events' });
    expect(whole.rows).toEqual([{ n: 3, d: 7 }]);
    await engine.close();
  });

  it('converts cells: safe BIGINT to number, huge BIGINT to text, DATE to YYYY-MM-DD, NULL to null', async () => {
    const dir = tempDir();
    writeJsonLake(dir, [{ dt: '2024-01-01', user_id: 'a', event_name: 'x' }]);
    const engine = await DuckDbEngine.open(lakeConfig(dir), COLUMNS);
    const r = await engine.run({
      name: 'cells',
      sql: "SELECT 42::BIGINT AS small, 9007199254740993::BIGINT AS huge, DATE '2024-02-29' AS d, NULL AS n, 1.5::DOUBLE AS x, 2.25::DECIMAL(10,2) AS dec, true AS b",
    });
    expect(r.rows[0]).toEqual({ small: 42, huge: '9007199254740993', d: '2024-02-29', n: null, x: 1.5, dec: 2.25, b: true });
    await engine.close();
  });

  it('turns an engine failure into a QueryError naming the query', async () => {
    const dir = tempDir();
    writeJsonLake(dir, [{ dt: '2024-01-01', user_id: 'a', event_name: 'x' }]);
    const engine = await DuckDbEngine.open(lakeConfig(dir), COLUMNS);
    const failure = engine.run({ name: 'broken', sql: 'SELECT no_such_column FROM events' });
    await expect(failure).rejects.toBeInstanceOf(QueryError);
    await expect(failure).rejects.toThrow(/^query broken failed: .*no_such_column/);
    await engine.close();
  });
});
