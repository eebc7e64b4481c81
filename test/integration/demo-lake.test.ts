/**
 * The demo lake as DuckDB reads it: every file opens with read_json over Hive partitions, `dt`
 * comes from the folder names, and DuckDB's aggregates agree with the generator's summary. Then
 * `runDemo` end to end: the pipeline finds what the generator planted.
 */

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayRange } from '../../functions/core/dates';
import { type DemoLakeSummary, generateDemoLake } from '../../functions/demo/generate-lake';
import { runDemo } from '../../functions/demo/run-demo';
import { loadConfig } from '../../functions/wiring/load-config';

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
    expect(Object.keys(types).sort()).toEqual([
      'account_id',
      'app_version',
      'country',
      'dt',
      'duration_ms',
      'event_name',
      'event_time',
      'user_id',
    ]);
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
    const [solo] = await rows('SELECT count(DISTINCT user_id) AS n FROM events WHERE account_id IS NULL');
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

describe('runDemo end to end (400k events, last night 2025-06-30)', () => {
  let demoRoot: string;
  let result: Awaited<ReturnType<typeof runDemo>>;
  const lines: string[] = [];
  const readJsonLines = async (path: string) =>
    (await readFile(path, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    demoRoot = await mkdtemp(join(tmpdir(), 'nsm-demo-e2e-'));
    result = await runDemo({ dir: demoRoot, events: 400_000, endDay: END, log: (l) => void lines.push(l) });
  }, 240_000);
  afterAll(async () => {
    await rm(demoRoot, { recursive: true, force: true });
  });

  it('writes the config, the lake and the results next to each other, and says where', async () => {
    expect(result.configPath).toBe(join(demoRoot, 'nsm.config.yaml'));
    expect(result.resultsDir).toBe(join(demoRoot, 'results'));
    expect(result.reportPath.startsWith(join(demoRoot, 'results', 'reports', `dt=${END}`))).toBe(true);
    await expect(readFile(result.reportPath)).resolves.toBeDefined();
    const config = await loadConfig(result.configPath, {});
    expect(config.lake.location).toBe(join(demoRoot, 'lake'));
    // Editors find the package's JSON Schema from the config's own folder.
    const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(await readFile(result.configPath, 'utf8'));
    expect(resolve(demoRoot, modeline?.[1] ?? '')).toBe(resolve(import.meta.dirname, '../../schema/nsm.config.schema.json'));
    expect(JSON.parse(await readFile(join(demoRoot, 'results', 'latest.json'), 'utf8'))).toMatchObject({ dt: END });
    // The backfill: every same-weekday baseline night of the last night has metrics.
    const nights = await readdir(join(demoRoot, 'results', 'metrics'));
    expect(nights).toEqual(dayRange(addDays(END, -28), END).map((d) => `dt=${d}`));
  });

  it('finds the planted drop on the last night, and nothing else', async () => {
    const metrics = await readJsonLines(join(demoRoot, 'results', 'metrics', `dt=${END}`, 'metrics.jsonl'));
    expect(
      metrics
        .filter((m) => m.status === 'drop')
        .map((m) => m.metric_id)
        .sort(),
    ).toEqual(['messages_posted', 'posts_per_active_user']);
    expect(metrics.filter((m) => m.status !== 'drop').every((m) => m.status === 'ok')).toBe(true);
    const posts = metrics.find((m) => m.metric_id === 'messages_posted')!;
    expect(posts.value).toBe(result.lake.planted.drop.events_on_day);
    const alerts = await readJsonLines(join(demoRoot, 'results', 'alerts', `dt=${END}`, 'alerts.jsonl'));
    expect(alerts.map((a) => [a.kind, a.metric_id]).sort()).toEqual([
      ['drop', 'messages_posted'],
      ['drop', 'posts_per_active_user'],
    ]);
    expect(lines.some((l) => l.startsWith('ALERT'))).toBe(true);
  });

  it('computes the same candidate tables as the generator tallied, and calls payment strong', async () => {
    const rows = await readJsonLines(join(demoRoot, 'results', 'candidates', `dt=${END}`, 'candidates.jsonl'));
    const truth = result.lake.planted.retention.last_night;
    expect(
      rows
        .map((r) => ({
          id: r.candidate_id,
          n_hit: r.n_hit,
          n_miss: r.n_miss,
          retained_hit: r.retained_hit,
          retained_miss: r.retained_miss,
        }))
        .sort((a, b) => String(a.id).localeCompare(String(b.id))),
    ).toEqual(
      truth.actions
        .map((a) => ({ id: a.id, n_hit: a.n_hit, n_miss: a.n_miss, retained_hit: a.retained_hit, retained_miss: a.retained_miss }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(rows.every((r) => r.cohort_start === truth.start && r.cohort_end === truth.end)).toBe(true);
    const verdict = Object.fromEntries(rows.map((r) => [r.candidate_id, r.verdict]));
    expect(verdict.payment_completed_d7).toBe('strong');
    expect(rows.find((r) => r.rank === 1)!.candidate_id).toBe('payment_completed_d7');
    // The null actions never pass. (Not asserted: integration_connected_d7, planted at 1.5x, comes
    // out at 2.16x in this 661-user cohort and is called strong; with the default 1M events the
    // cohort is about twice as large, and integration stayed below 2x in 200 simulated cohorts.)
    expect(verdict.file_shared_d3).toBe('weak');
    expect(verdict.app_opened_d3).toBe('weak');
    // The planted lifts it prints are in the report's one lift format (two decimals and ×).
    const printed = lines.find((l) => l.trim().startsWith('payment_completed_d7'));
    const lift = truth.actions.find((a) => a.id === 'payment_completed_d7')!.lift!;
    expect(printed).toMatch(new RegExp(`lift +${lift.toFixed(2).replace('.', '\\.')}× `));
  });
});
