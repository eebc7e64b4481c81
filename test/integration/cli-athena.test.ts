/**
 * `nsm run --engine athena` from a laptop: the adapters of functions/cli/build-engine.ts with the
 * real SDK clients over loopback (fake Athena executing on DuckDB, s3rver, fake SNS), and one
 * night of the core pipeline through them. Expected values are counted here from the events.
 */

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../functions/adapters/athena-engine';
import { type AwsClients, buildAwsClients } from '../../functions/adapters/aws-clients';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { S3ResultStore } from '../../functions/adapters/s3-result-store';
import { SnsNotifier } from '../../functions/adapters/sns-notifier';
import { openCloudCliAdapters } from '../../functions/cli/build-engine';
import type { NsmConfig } from '../../functions/core/config/types';
import { InputError } from '../../functions/core/errors';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { fromJsonLines } from '../../functions/core/results/layout';
import type { MetricRow, RunRecord } from '../../functions/core/results/rows';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { duckDbResponder } from '../support/athena-sql-on-duckdb';
import { lakeConfig, testConfig } from '../support/config';
import { FakeAthenaServer } from '../support/fake-athena-server';
import { FakeSnsServer } from '../support/fake-sns-server';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { type S3Server, startS3Server } from '../support/s3-server';

const D = '2024-05-01';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:nsm-alerts';
let dir: string;
let athena: FakeAthenaServer;
let s3: S3Server;
let sns: FakeSnsServer;
let clients: AwsClients;
let duck: DuckDbEngine;
let config: NsmConfig;
let env: Record<string, string>;

const events: LakeEvent[] = [
  ...Array.from({ length: 7 }, (_, i) => ({ dt: D, user_id: `u${i % 3}`, account_id: 'a1', event_name: 'message_posted' })),
  ...Array.from({ length: 4 }, (_, i) => ({ dt: D, user_id: `u${i}`, account_id: 'a2', event_name: 'login' })),
  { dt: '2024-04-30', user_id: 'u9', account_id: 'a3', event_name: 'message_posted' },
];

beforeAll(async () => {
  dir = tempDir('nsm-cli-athena-');
  writeJsonLake(join(dir, 'lake'), events);
  config = testConfig({
    lake: lakeConfig(join(dir, 'lake'), {
      athena: { database: 'product_events', table: 'events', workgroup: 'primary', bytes_scanned_cutoff_gb: 100 },
    }),
    results: 's3://nsm-results/cli',
    metrics: [
      { id: 'posts', name: 'Posts', type: 'count', events: ['message_posted'], window_days: 1 },
      { id: 'users', name: 'Users', type: 'distinct_users', events: undefined, window_days: 1 },
    ],
    north_star: 'posts',
  });
  const instance = await DuckDBInstance.create(':memory:');
  duck = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), { instance });
  athena = await FakeAthenaServer.start();
  // Results are in S3, so the Athena engine keeps incremental state there (UNLOAD emulated to a local mirror).
  const state = { database: 'product_events', mirror: join(dir, 's3-state-mirror') };
  athena.fallback(duckDbResponder(instance, { eventsTable: '"product_events"."events"', bytesScanned: () => 10_485_760, state }));
  await mkdir(join(dir, 's3'));
  s3 = await startS3Server(join(dir, 's3'), ['nsm-results']);
  sns = await FakeSnsServer.start([TOPIC]);
  env = {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    NSM_SNS_TOPIC_ARN: TOPIC,
  };
  clients = buildAwsClients(env);
  for (const c of [clients.athena, clients.s3, clients.sns]) c.config.credentials = async () => s3.credentials;
});
afterAll(async () => {
  for (const c of [clients.athena, clients.s3, clients.sns]) c.destroy();
  await duck.close();
  await athena.close();
  await s3.close();
  await sns.close();
  await rm(dir, { recursive: true, force: true });
});

describe('openCloudCliAdapters', () => {
  it('builds Athena, S3 and SNS adapters for an s3:// results location and a topic', async () => {
    const lines: string[] = [];
    const cloud = openCloudCliAdapters(config, {
      engine: 'athena',
      env,
      clients,
      workgroup: 'nsm-dev',
      log: (l) => lines.push(l),
      athena: { pollInitialMs: 2, pollMaxMs: 10 },
    });
    expect(cloud.engine).toBeInstanceOf(AthenaEngine);
    expect(cloud.store).toBeInstanceOf(S3ResultStore);
    expect(cloud.store!.location).toBe('s3://nsm-results/cli');
    expect(cloud.notifier).toBeInstanceOf(SnsNotifier);
    expect(cloud.config.lake.athena!.workgroup).toBe('nsm-dev');

    // One night of the real pipeline through them.
    const [outcome] = await runNights(cloud.config, [D], {
      engine: cloud.engine!,
      store: cloud.store!,
      notifier: cloud.notifier!,
      log: () => undefined,
    });
    expect(outcome!.run.engine).toBe('athena');
    const rows = fromJsonLines<MetricRow>((await cloud.store!.get(`metrics/dt=${D}/metrics.jsonl`))!);
    // Counted from the events above: 7 posts on D; users u0..u3 on D.
    expect(rows.map((r) => [r.metric_id, r.value])).toEqual([
      ['posts', 7],
      ['users', 4],
    ]);
    const run = JSON.parse((await cloud.store!.get(`runs/dt=${D}/run.json`))!) as RunRecord;
    // One night ran: its state rollups (UNLOAD) and then the metrics query over them.
    const ran = athena.executions;
    expect(ran.some((e) => e.sql.startsWith('UNLOAD'))).toBe(true);
    expect(ran.every((e) => e.workgroup === 'nsm-dev' && e.database === 'product_events')).toBe(true);
    expect(run.queries.map((q) => q.query_id)).toEqual(ran.map((e) => e.id));
    const metricsQuery = ran.find((e) => e.sql.startsWith('WITH scoped'))!;
    expect(lines.some((l) => l.startsWith('athena  metrics  started ') && l.endsWith(metricsQuery.id))).toBe(true);
    await cloud.close();
  });

  it('keeps everything local that the config keeps local', async () => {
    const local = { ...config, results: { location: join(dir, 'results') } };
    const cloud = openCloudCliAdapters(local, { engine: 'duckdb', env: { AWS_REGION: 'us-east-1' }, clients });
    expect(cloud.engine).toBeUndefined();
    expect(cloud.store).toBeUndefined();
    expect(cloud.notifier).toBeUndefined();
    await cloud.close();
  });

  it('ignores NSM_RESULTS_BUCKET on the command line', () => {
    const local = { ...config, results: { location: join(dir, 'results') } };
    const cloud = openCloudCliAdapters(local, { engine: 'duckdb', env: { NSM_RESULTS_BUCKET: 'elsewhere' }, clients });
    expect(cloud.store).toBeUndefined();
    expect(cloud.config.results.location).toBe(join(dir, 'results'));
  });

  it('uses alerts.sns_topic_arn when NSM_SNS_TOPIC_ARN is unset', () => {
    const withTopic = { ...config, alerts: { ...config.alerts, sns_topic_arn: TOPIC } };
    const cloud = openCloudCliAdapters(withTopic, { engine: 'duckdb', env: {}, clients });
    expect((cloud.notifier as SnsNotifier).topicArn).toBe(TOPIC);
  });

  it('explains what --engine athena needs', () => {
    const noAthena = { ...config, lake: { ...config.lake, athena: undefined } };
    expect(() => openCloudCliAdapters(noAthena, { engine: 'athena', env: {}, clients })).toThrow(InputError);
    expect(() => openCloudCliAdapters(noAthena, { engine: 'athena', env: {}, clients })).toThrow(
      '<test>: lake.athena: --engine athena needs database, table and workgroup (or NSM_ATHENA_* variables)',
    );
  });
});
