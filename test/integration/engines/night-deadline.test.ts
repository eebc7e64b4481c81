/**
 * The night's deadline and race-free state, through the `nightly` handler with the real SDK
 * clients over loopback: Athena = the fake Athena server executing the Athena SQL on DuckDB
 * (test/support/athena-sql-on-duckdb.ts, whose UNLOAD checks its folder is empty before it runs
 * and writes a file named after its execution, as Athena's does), S3 = s3rver, SNS = the fake SNS.
 *
 * - A slow UNLOAD past the deadline (Lambda's remaining time minus the margin) is stopped with
 *   StopQueryExecution, and the night fails with run.json recorded, before Lambda's timeout.
 * - A query that goes on running after its invocation was killed (a "zombie": it passed UNLOAD's
 *   emptiness check, then writes late) does not change the retry's numbers: the retry gives
 *   exactly the counts of an uninterrupted night (the local pipeline over the lake).
 */
import { readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { addDays, dayRange } from '../../functions/core/dates';
import { QueryError } from '../../functions/core/errors';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { fromJsonLines } from '../../functions/core/results/json-lines';
import { stateManifestKey } from '../../functions/core/results/layout';
import type { MetricRow, RunRecord } from '../../functions/core/results/rows';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { createNightlyHandler, NIGHT_DEADLINE_MARGIN_MS, type NightlyResult } from '../../functions/nightly/handler';
import { loadConfig } from '../../functions/wiring/load-config';
import { duckDbResponder } from '../support/athena-sql-on-duckdb';
import type { FakeExecution } from '../support/fake-athena-server';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { type LoopbackAws, startLoopbackAws } from '../support/loopback-aws';
import { MemoryResultStore } from '../support/memory-store';

const D = '2024-03-14';

const CONFIG = `version: 1
lake:
  location: ./lake
  columns: { user: user_id, account: account_id, event: event_name }
results:
  location: ./local-results
metrics:
  - { id: events, type: count }
  - { id: weekly_posts, type: count, events: [post], window_days: 7 }
  - { id: weekly_users, type: distinct_users, window_days: 7 }
north_star: weekly_users
alerts:
  min_drop_pct: 99
`;

/** Two weeks of events: every day its own mix, so a day counted twice changes the weekly numbers. */
function lakeEvents(): LakeEvent[] {
  return dayRange(addDays(D, -13), D).flatMap((dt, day) =>
    Array.from({ length: 20 + day }, (_, i) => ({
      dt,
      user_id: `u${(i * 7 + day) % (9 + day)}`,
      account_id: `a${i % 3}`,
      event_name: i % 3 === 0 ? 'open' : 'post',
    })),
  );
}

let dir: string;
let aws: LoopbackAws;
let instance: DuckDBInstance;
let localEngine: DuckDbEngine;
let respond: ReturnType<typeof duckDbResponder>;
/** Set by a test: awaited between an UNLOAD's emptiness check and its write. */
let beforeWrite: ((sql: string, execution: FakeExecution) => Promise<void>) | undefined;
/** The metric rows of night D computed from scratch by the local pipeline (no state, the plain lake plan). */
let expected: MetricRow[];

const logger = new Logger({ logLevel: 'SILENT' });

/** A Lambda context with `remainingMs` left, as Lambda's own would say. */
function context(remainingMs: number, requestId: string): Context {
  const deadline = Date.now() + remainingMs;
  return { awsRequestId: requestId, getRemainingTimeInMillis: () => deadline - Date.now() } as Context;
}

/** A handler whose results go under `prefix` of the bucket. */
const handlerFor = (prefix: string) =>
  createNightlyHandler({
    env: { ...aws.env, NSM_RESULTS_PREFIX: prefix },
    clients: aws.clients,
    logger,
    athena: { pollInitialMs: 5, pollMaxMs: 20 },
  });

/** The metric values of a night's metrics.jsonl, by metric id. */
const values = (rows: readonly MetricRow[]) => Object.fromEntries(rows.map((r) => [r.metric_id, r.value]));

/** The folder-name fragment an UNLOAD of day `day`'s rollup writes to: `state/daily/<day>.` */
const rollupUnload = (day: string) => (sql: string) => sql.startsWith('UNLOAD') && sql.includes(`/state/daily/${day}.`);

beforeAll(async () => {
  dir = tempDir('nsm-deadline-');
  writeJsonLake(join(dir, 'lake'), lakeEvents());
  const configPath = join(dir, 'nsm.config.yaml');
  await writeFile(configPath, CONFIG);
  const config = await loadConfig(configPath, {});
  instance = await DuckDBInstance.create(':memory:');
  localEngine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), { instance });
  const [night] = await runNights(config, [D], {
    engine: localEngine,
    store: new MemoryResultStore(),
    notifier: { publish: async () => undefined },
    log: () => undefined,
    warn: () => undefined,
    now: () => new Date(),
  });
  expected = night!.report.metrics;

  respond = duckDbResponder(instance, {
    eventsTable: '"product_events"."events"',
    bytesScanned: () => 1_000,
    state: { database: 'product_events', mirror: join(dir, 's3-state-mirror') },
    beforeWrite: (sql, execution) => beforeWrite?.(sql, execution) ?? Promise.resolve(),
  });
  aws = await startLoopbackAws(dir, configPath, respond);
}, 120_000);

afterAll(async () => {
  await aws?.close();
  await localEngine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the night's deadline", () => {
  it('stops a slow UNLOAD (and whatever else runs) when the deadline passes, and fails the night with run.json recorded, before the timeout', async () => {
    // The first rollup the night starts (rollups start in day order, four at a time).
    const slow = addDays(D, -6);
    let hanging = true;
    onTestFinished(() => void (hanging = false));
    aws.athena.on((sql) => hanging && rollupUnload(slow)(sql), { hang: true });
    const handler = handlerFor('deadline');
    // Room for the cold start (its time counts: the deadline is taken from the time remaining after it).
    const remainingMs = NIGHT_DEADLINE_MARGIN_MS + 10_000;
    const started = Date.now();
    const err = (await handler({ date: D }, context(remainingMs, 'req-deadline')).catch((e: unknown) => e)) as QueryError;
    const tookMs = Date.now() - started;

    const night = aws.athena.executions;
    const hung = night.find((e) => rollupUnload(slow)(e.sql))!;
    const stopped = aws.athena.requests.filter((r) => r.operation === 'StopQueryExecution').map((r) => r.body.QueryExecutionId);
    expect(err).toBeInstanceOf(QueryError);
    // The first query to give up names the night's failure: one stopped while running, or one
    // that was about to start (it starts nothing after the deadline).
    expect(err.message).toMatch(
      /^query rollup \d{4}-\d{2}-\d{2} (\([0-9a-f-]+\) )?failed: stopped at the night's deadline(; StopQueryExecution sent)?$/,
    );
    expect(hung).toBeDefined();
    // Every execution still running at the deadline was stopped — the slow one among them — and
    // only those: what had finished was kept.
    expect(stopped).toContain(hung.id);
    expect(hung.stopped).toBe(true);
    const finished = night.filter((e) => e.reported.at(-1) === 'SUCCEEDED');
    expect(new Set(stopped)).toEqual(new Set(night.filter((e) => !finished.includes(e)).map((e) => e.id)));
    if (err.queryId) expect(stopped).toContain(err.queryId);
    // The deadline fell 10 s in; Lambda would have killed the invocation 60 s later.
    expect(tookMs).toBeGreaterThanOrEqual(9_900);
    expect(tookMs).toBeLessThan(remainingMs - NIGHT_DEADLINE_MARGIN_MS / 2);

    const run = JSON.parse((await aws.text('deadline', `runs/dt=${D}/run.json`))!) as RunRecord;
    expect(run.status).toBe('failed');
    expect(run.error).toBe(err.message);
    // What it built before the deadline is recorded, and kept: the retry starts from there.
    const builtDays = finished.map((e) => /'(\d{4}-\d{2}-\d{2})' AS nsm_day/.exec(e.sql)![1]!).sort();
    expect(run.queries.map((q) => q.name)).toEqual(builtDays.map((d) => `rollup ${d}`));
    for (const day of dayRange(addDays(D, -6), D)) {
      const manifest = await aws.text('deadline', stateManifestKey('daily', day));
      expect(manifest !== null, day).toBe(builtDays.includes(day));
    }
  }, 120_000);
});

describe('a retry after a killed attempt', () => {
  it("gives exactly the counts of an uninterrupted night, though the killed attempt's UNLOAD writes after the retry's", async () => {
    // The first rollup the night starts: in the weekly window, so counting it twice would show.
    const day = addDays(D, -6);
    const prefix = 'zombie';
    const earlier = aws.athena.executions.length;
    // The first attempt's UNLOAD of `day` passes UNLOAD's emptiness check, then is held: the
    // invocation ends at its deadline, StopQueryExecution is sent, yet the query writes later —
    // what happens when Lambda kills an invocation (or a stop comes too late).
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let zombie: FakeExecution | undefined;
    let zombieWrote!: () => void;
    const wrote = new Promise<void>((resolve) => {
      zombieWrote = resolve;
    });
    beforeWrite = async (sql, execution) => {
      if (zombie === undefined && rollupUnload(day)(sql)) {
        zombie = execution;
        await released;
        // Let the zombie's COPY finish before the retry's metrics query reads the state.
        setTimeout(zombieWrote, 300);
      }
    };
    const handler = handlerFor(prefix);
    await expect(handler({ date: D }, context(NIGHT_DEADLINE_MARGIN_MS + 10_000, 'req-killed'))).rejects.toThrow(/night's deadline/);
    expect(zombie?.stopped).toBe(true);

    // The retry: the zombie writes after the retry's own UNLOAD of that day, before its metrics query.
    const metricsQuery = (sql: string) => sql.startsWith('WITH scoped');
    aws.athena.on(metricsQuery, async (sql, execution) => {
      release();
      await wrote;
      return respond(sql, execution);
    });
    const result = (await handler({ date: D }, context(15 * 60_000, 'req-retry'))) as NightlyResult;
    expect(result.nights.map((n) => [n.dt, n.status])).toEqual([[D, 'succeeded']]);

    const rows = fromJsonLines<MetricRow>((await aws.text(prefix, `metrics/dt=${D}/metrics.jsonl`))!);
    expect(values(rows)).toEqual(values(expected));
    // Not vacuous: the zombie did write its file, into its own build folder, which no manifest names.
    const retryUnloads = aws.athena.executions.slice(earlier).filter((e) => rollupUnload(day)(e.sql) && e.id !== zombie!.id);
    expect(retryUnloads).toHaveLength(1);
    const folder = (e: FakeExecution) => /\/state\/daily\/([^/]+)\//.exec(e.sql)![1];
    expect(folder(zombie!)).not.toBe(folder(retryUnloads[0]!));
    const manifest = JSON.parse((await aws.text(prefix, stateManifestKey('daily', day)))!) as { build: string };
    expect(`${day}.${manifest.build}`).toBe(folder(retryUnloads[0]!));
    expect(readdirSync(join(dir, 's3-state-mirror', 'state', 'daily', folder(zombie!)!))).toEqual([`${zombie!.id}.parquet`]);
  }, 180_000);
});
