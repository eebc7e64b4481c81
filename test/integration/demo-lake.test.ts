/**
 * The demo lake as DuckDB reads it: every file opens with read_json over Hive partitions, `dt`
 * comes from the folder names, and DuckDB's aggregates agree with the generator's summary.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayRange } from '../../functions/core/dates';
import { generateDemoLake, type DemoLakeSummary } from '../../functions/demo/generate-lake';

const END = '2025-06-30';
let root: string;
let lake: string;
let summary: DemoLakeSummary;
let instance: DuckDBInstance;
let db: DuckDBConnection;

/** Rows of `sql` with BIGINTs as numbers. */
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await db.runAndReadAll(sql);
  return reader
    .getRowObjects()
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nsm-demo-duckdb-'));
  lake = join(root, 'lake');
  summary = await generateDemoLake({ dir: lake, endDay: END, days: 180, events: 30_000 });
  const files = (await readdir(lake)).sort().map((p) => `'${join(lake, p, 'part-0.jsonl.gz').replaceAll("'", "''")}'`);
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  // Exactly the reader the brief names: DuckDB's own type detection, no column list.
  await db.run(
    `CREATE TABLE events AS SELECT * FROM read_json([${files.join(', ')}], format = 'newline_delimited', ` +
      `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})`,
  );
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  await rm(root, { recursive: true, force: true });
});

describe('demo lake read by DuckDB', () => {
  it('reads every event, with the lake columns and dt as VARCHAR', async () => {
    const [count] = await rows('SELECT count(*) AS n FROM events');
    expect(count!.n).toBe(summary.events);
    expect(Math.abs(summary.events / 30_000 - 1)).toBeLessThan(0.1);
    const columns = await rows('SELECT column_name, column_type FROM (DESCRIBE events)');
    const types = Object.fromEntries(columns.map((c) => [c.column_name, c.column_type]));
    expect(Object.keys(types).sort()).toEqual(['account_id', 'dt', 'duration_ms', 'event_name', 'event_time', 'user_id']);
    expect(types.dt).toBe('VARCHAR');
    expect(types.user_id).toBe('VARCHAR');
  });

  it('puts each event in the dt partition of its own day, every partition read', async () => {
    const folders = (await readdir(lake)).sort();
    expect(folders).toEqual(dayRange(addDays(END, -179), END).map((d) => `dt=${d}`));
    // Lines per file, counted without DuckDB, against DuckDB's count per dt.
    const expected: Record<string, number> = {};
    for (const f of folders) {
      const text = gunzipSync(await readFile(join(lake, f, 'part-0.jsonl.gz'))).toString('utf8');
      const n = text === '' ? 0 : text.trimEnd().split('\n').length;
      if (n > 0) expected[f.slice(3)] = n;
    }
    const perDt = await rows('SELECT dt, count(*) AS n FROM events GROUP BY dt ORDER BY dt');
    expect(Object.fromEntries(perDt.map((d) => [d.dt, d.n]))).toEqual(expected);
    // The lake starts on its first day (launch day always has a team).
    expect(perDt[0]!.dt).toBe(addDays(END, -179));
    const mismatched = await rows("SELECT count(*) AS n FROM events WHERE strftime(CAST(event_time AS TIMESTAMP), '%Y-%m-%d') <> dt");
    expect(mismatched[0]!.n).toBe(0);
  });

  it('counts events by name as the summary does', async () => {
    const byName = await rows('SELECT event_name, count(*) AS n FROM events GROUP BY event_name');
    expect(Object.fromEntries(byName.map((r) => [r.event_name, r.n]))).toEqual(summary.eventsByName);
  });

  it('sums only the numeric call durations: null and "n/a" are skipped, not fatal', async () => {
    // duration_ms mixes numbers and strings (DuckDB's detection makes it JSON, so the text of the
    // string keeps its quotes); TRY_CAST turns the garbage into NULL, which sum() skips.
    const [r] = await rows(
      `SELECT count(*) FILTER (WHERE duration_ms IS NULL) AS nulls,
              count(*) FILTER (WHERE trim(CAST(duration_ms AS VARCHAR), '"') = 'n/a') AS garbage,
              count(TRY_CAST(duration_ms AS DOUBLE)) AS numeric,
              sum(TRY_CAST(duration_ms AS DOUBLE)) / 60000 AS minutes
       FROM events WHERE event_name = 'call_ended'`,
    );
    const d = summary.planted.durations;
    expect(r).toMatchObject({ nulls: d.nulls, garbage: d.garbage, numeric: d.calls - d.nulls - d.garbage });
    expect(d.garbage).toBeGreaterThan(0);
    expect(r!.minutes as number).toBeGreaterThan(0);
  });

  it('has solo users (null account_id) and teams with at least 3 posters in the last week', async () => {
    const [solo] = await rows("SELECT count(DISTINCT user_id) AS n FROM events WHERE account_id IS NULL");
    expect(solo!.n).toBe(summary.soloUsers);
    const [teams] = await rows(
      `SELECT count(*) AS n FROM (
         SELECT account_id FROM events
         WHERE event_name = 'message_posted' AND account_id IS NOT NULL AND dt BETWEEN '${addDays(END, -6)}' AND '${END}'
         GROUP BY account_id HAVING count(DISTINCT user_id) >= 3)`,
    );
    expect(teams!.n as number).toBeGreaterThan(5);
  });
});
