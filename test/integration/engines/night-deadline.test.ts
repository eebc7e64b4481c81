/**
 * The night's deadline and race-free state, through the `nightly` handler with the real SDK
 * clients over loopback (test/support/loopback-aws.ts): Athena = the fake Athena server running
 * every statement on Trino over the stack's Glue tables, S3 and SNS = moto.
 *
 * - A slow UNLOAD past the deadline (Lambda's remaining time minus the margin) is stopped with
 *   StopQueryExecution, and the night fails with run.json recorded, before Lambda's timeout.
 * - A query that goes on running after its invocation was killed (a "zombie": it passed UNLOAD's
 *   emptiness check, then writes late) does not change the retry's numbers: the retry gives
 *   exactly the counts of an uninterrupted night (the local pipeline over the lake).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CopyObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { addDays, dayRange } from '../../../functions/core/dates';
import { QueryError } from '../../../functions/core/errors';
import { fromJsonLines } from '../../../functions/core/results/json-lines';
import { stateManifestKey } from '../../../functions/core/results/layout';
import type { MetricRow, RunRecord } from '../../../functions/core/results/rows';
import { NIGHT_DEADLINE_MARGIN_MS, type NightlyResult } from '../../../functions/nightly/handler';
import { loadConfig } from '../../../functions/wiring/load-config';
import { s3Client } from '../../support/engines/services';
import type { FakeExecution, FakeOutcome } from '../../support/fake-athena-server';
import { type LakeEvent, tempDir, writeJsonLake } from '../../support/lake';
import { localReference } from '../../support/local-nights';
import { deployHandler, type LoopbackAws, startLoopbackAws } from '../../support/loopback-aws';

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
/** The metric rows of night D computed from scratch by the local pipeline (no state, the plain lake plan). */
let expected: MetricRow[];

/** What each invocation has before its night's deadline. */
const NIGHT_BUDGET_MS = 25_000;

/** A Lambda context with `remainingMs` left, as Lambda's own would say. */
function context(remainingMs: number, requestId: string): Context {
  const deadline = Date.now() + remainingMs;
  return { awsRequestId: requestId, getRemainingTimeInMillis: () => deadline - Date.now() } as Context;
}

/** The metric values of a night's metrics.jsonl, by metric id. */
const values = (rows: readonly MetricRow[]) => Object.fromEntries(rows.map((r) => [r.metric_id, r.value]));

/** The folder-name fragment an UNLOAD of day `day`'s rollup writes to: `state/daily/<day>.` */
const rollupUnload = (day: string) => (sql: string) => sql.startsWith('UNLOAD') && sql.includes(`/state/daily/${day}.`);

/** The `s3://bucket/key/` an UNLOAD writes into, as bucket and key prefix. */
function unloadTarget(sql: string): { bucket: string; prefix: string } {
  const [, bucket, prefix] = /\) TO 's3:\/\/([^/]+)\/([^']+)'/.exec(sql)!;
  return { bucket: bucket!, prefix: prefix! };
}

/** The keys under `s3://bucket/prefix` on moto. */
async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const s3 = s3Client('eu-west-1');
  try {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (out.Contents ?? []).map((o) => o.Key!);
  } finally {
    s3.destroy();
  }
}

beforeAll(async () => {
  dir = tempDir('nsm-deadline-');
  writeJsonLake(join(dir, 'lake'), lakeEvents());
  const configPath = join(dir, 'nsm.config.yaml');
  await writeFile(configPath, CONFIG);
  const config = await loadConfig(configPath, {});
  const [night] = await localReference(config, [D]);
  expected = night!.report.metrics;
  aws = await startLoopbackAws({ label: 'deadline', configPath, config, firstDay: addDays(D, -13) });
});

afterAll(async () => {
  await aws?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the night's deadline", () => {
  it('stops a slow UNLOAD (and whatever else runs) when the deadline passes, and fails the night with run.json recorded, before the timeout', async () => {
    // The first rollup the night starts (rollups start in day order, four at a time).
    const slow = addDays(D, -6);
    const { dep, handler } = await deployHandler(aws, 'deadline');
    let hanging = true;
    onTestFinished(() => void (hanging = false));
    dep.athena.on((sql) => hanging && rollupUnload(slow)(sql), { hang: true });
    // Room for the cold start and the lake check before the lease (their time counts: the deadline
    // is taken from the time remaining after the cold start): on a cold Trino, as when this suite
    // runs first in a fresh clone, the check's one query took long enough for a 10-s deadline to
    // stop it instead of the rollups.
    const remainingMs = NIGHT_DEADLINE_MARGIN_MS + NIGHT_BUDGET_MS;
    const started = Date.now();
    const err = (await handler({ date: D }, context(remainingMs, 'req-deadline')).catch((e: unknown) => e)) as QueryError;
    const tookMs = Date.now() - started;

    const night = dep.athena.executions;
    const hung = night.find((e) => rollupUnload(slow)(e.sql))!;
    const stopped = dep.athena.requests.filter((r) => r.operation === 'StopQueryExecution').map((r) => r.body.QueryExecutionId);
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
    // The deadline fell NIGHT_BUDGET_MS in; Lambda would have killed the invocation 60 s later.
    expect(tookMs).toBeGreaterThanOrEqual(NIGHT_BUDGET_MS - 100);
    expect(tookMs).toBeLessThan(remainingMs - NIGHT_DEADLINE_MARGIN_MS / 2);

    const run = JSON.parse((await dep.text(`runs/dt=${D}/run.json`))!) as RunRecord;
    expect(run.status).toBe('failed');
    expect(run.error).toBe(err.message);
    // What it built before the deadline is recorded, and kept: the retry starts from there.
    // (The lake check's query ran first, before the lease.)
    const builtDays = finished.flatMap((e) => /'(\d{4}-\d{2}-\d{2})' AS nsm_day/.exec(e.sql)?.[1] ?? []).sort();
    expect(run.queries.map((q) => q.name)).toEqual(['lake-events', ...builtDays.map((d) => `rollup ${d}`)]);
    expect(finished).toHaveLength(builtDays.length + 1);
    for (const day of dayRange(addDays(D, -6), D)) {
      const manifest = await dep.text(stateManifestKey('daily', day));
      expect(manifest !== null, day).toBe(builtDays.includes(day));
    }
  });
});

describe('a retry after a killed attempt', () => {
  it("gives exactly the counts of an uninterrupted night, though the killed attempt's UNLOAD writes after the retry's", async () => {
    // The first rollup the night starts: in the weekly window, so counting it twice would show.
    const day = addDays(D, -6);
    const { dep, handler } = await deployHandler(aws, 'zombie');
    // The first attempt's UNLOAD of `day` is a zombie: it passes UNLOAD's emptiness check, then is
    // held; the invocation ends at its deadline and StopQueryExecution is sent, yet the query
    // writes later — what happens when Lambda kills an invocation (or a stop comes too late).
    // Athena checks the folder when the UNLOAD starts and writes when its query ends; Trino's
    // CREATE TABLE AS cannot be held in between, so the zombie runs on Trino into a folder of its
    // own once released and its files are then copied into the folder it checked.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let zombie: FakeExecution | undefined;
    let zombieWrote!: () => void;
    const wrote = new Promise<void>((resolve) => {
      zombieWrote = resolve;
    });
    const zombieKeys: string[] = [];
    dep.athena.on(
      (sql) => zombie === undefined && rollupUnload(day)(sql),
      async (sql, execution): Promise<FakeOutcome> => {
        zombie = execution;
        const target = unloadTarget(sql);
        const before = await listKeys(target.bucket, target.prefix);
        if (before.length > 0)
          return { fail: { reason: `HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: ${target.prefix}` } };
        await released;
        const scratch = `${target.prefix.replace(/\/$/, '')}-zombie-scratch/`;
        // The stop never reached the query: it runs to the end.
        const outcome = await dep.respond(sql.replace(`s3://${target.bucket}/${target.prefix}'`, `s3://${target.bucket}/${scratch}'`), {
          ...execution,
          stopped: false,
        });
        const s3 = s3Client('eu-west-1');
        try {
          for (const key of await listKeys(target.bucket, scratch)) {
            const to = `${target.prefix}${key.slice(scratch.length)}`;
            await s3.send(new CopyObjectCommand({ Bucket: target.bucket, CopySource: `${target.bucket}/${key}`, Key: to }));
            zombieKeys.push(to);
          }
        } finally {
          s3.destroy();
        }
        zombieWrote();
        return outcome;
      },
    );
    await expect(handler({ date: D }, context(NIGHT_DEADLINE_MARGIN_MS + NIGHT_BUDGET_MS, 'req-killed'))).rejects.toThrow(
      /night's deadline/,
    );
    expect(zombie?.stopped).toBe(true);
    const earlier = dep.athena.executions.length;

    // The retry: the zombie writes after the retry's own UNLOAD of that day, before its metrics query.
    const metricsQuery = (sql: string) => sql.startsWith('WITH scoped');
    dep.athena.on(metricsQuery, async (sql, execution) => {
      release();
      await wrote;
      return dep.respond(sql, execution);
    });
    const result = (await handler({ date: D }, context(15 * 60_000, 'req-retry'))) as NightlyResult;
    expect(result.nights.map((n) => [n.dt, n.status])).toEqual([[D, 'succeeded']]);

    const rows = fromJsonLines<MetricRow>((await dep.text(`metrics/dt=${D}/metrics.jsonl`))!);
    expect(values(rows)).toEqual(values(expected));
    // Not vacuous: the zombie did write its files, into its own build folder, which no manifest names.
    const retryUnloads = dep.athena.executions.slice(earlier).filter((e) => rollupUnload(day)(e.sql));
    expect(retryUnloads).toHaveLength(1);
    const folder = (e: FakeExecution) => /\/state\/daily\/([^/]+)\//.exec(e.sql)![1];
    expect(folder(zombie!)).not.toBe(folder(retryUnloads[0]!));
    const manifest = JSON.parse((await dep.text(stateManifestKey('daily', day)))!) as { build: string };
    expect(`${day}.${manifest.build}`).toBe(folder(retryUnloads[0]!));
    expect(zombieKeys.length).toBeGreaterThan(0);
    for (const key of zombieKeys) expect(key).toContain(`/state/daily/${folder(zombie!)}/`);
  });
});
