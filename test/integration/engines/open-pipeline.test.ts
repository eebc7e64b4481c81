/**
 * The composition root (functions/wiring/open-pipeline.ts): which adapters it opens for which
 * config, with the real SDK clients over loopback (the fake Athena executing on Trino over the
 * stack's Glue tables, S3 and SNS on moto), and one night of the core pipeline through them as
 * `nsm run --engine athena` runs it. Expected values are counted here from the events.
 */

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../../functions/adapters/athena-engine';
import { type AwsClients, buildAwsClients } from '../../../functions/adapters/aws-clients';
import { DuckDbEngine } from '../../../functions/adapters/duckdb-engine';
import { LocalNotifier } from '../../../functions/adapters/local-notifier';
import { LocalResultStore } from '../../../functions/adapters/local-result-store';
import { S3ResultStore } from '../../../functions/adapters/s3-result-store';
import { SnsNotifier } from '../../../functions/adapters/sns-notifier';
import type { NsmConfig } from '../../../functions/core/config/types';
import { InputError } from '../../../functions/core/errors';
import { runNights } from '../../../functions/core/pipeline/run-nights';
import { fromJsonLines } from '../../../functions/core/results/json-lines';
import type { MetricRow, RunRecord } from '../../../functions/core/results/rows';
import { applyEnvOverrides, commandLineEnv } from '../../../functions/wiring/env-overrides';
import { type OpenPipelineOptions, openPipeline } from '../../../functions/wiring/open-pipeline';
import { lakeConfig, testConfig } from '../../support/config';
import {
  createBuckets,
  createTopic,
  MOTO_CREDENTIALS,
  motoEndpoint,
  s3Client,
  suiteCatalog,
  uniqueSuffix,
  uploadFolder,
} from '../../support/engines/services';
import { trinoResponder } from '../../support/engines/trino-athena';
import { FakeAthenaServer } from '../../support/fake-athena-server';
import { type LakeEvent, tempDir, writeJsonLake } from '../../support/lake';

const D = '2024-05-01';
const suffix = uniqueSuffix();
const LAKE_BUCKET = `nsm-lake-${suffix}`;
const RESULTS_BUCKET = `nsm-results-${suffix}`;
let TOPIC: string;
let dir: string;
let athena: FakeAthenaServer;
let clients: AwsClients;
let config: NsmConfig;
let env: Record<string, string>;

const events: LakeEvent[] = [
  ...Array.from({ length: 7 }, (_, i) => ({ dt: D, user_id: `u${i % 3}`, account_id: 'a1', event_name: 'message_posted' })),
  ...Array.from({ length: 4 }, (_, i) => ({ dt: D, user_id: `u${i}`, account_id: 'a2', event_name: 'login' })),
  { dt: '2024-04-30', user_id: 'u9', account_id: 'a3', event_name: 'message_posted' },
];

beforeAll(async () => {
  dir = tempDir('nsm-cli-athena-');
  // The embedded engine's tests read the lake folder; Athena reads the same files in S3.
  const lakeDir = writeJsonLake(join(dir, 'lake'), events);
  config = testConfig({
    lake: lakeConfig(lakeDir, {
      athena: { database: 'product_events', table: 'events', workgroup: 'primary', bytes_scanned_cutoff_gb: 100 },
    }),
    results: `s3://${RESULTS_BUCKET}/cli`,
    metrics: [
      { id: 'posts', name: 'Posts', type: 'count', events: ['message_posted'], window_days: 1 },
      { id: 'users', name: 'Users', type: 'distinct_users', events: undefined, window_days: 1 },
    ],
    north_star: 'posts',
  });
  const s3 = s3Client();
  await createBuckets(s3, [LAKE_BUCKET, RESULTS_BUCKET]);
  await uploadFolder(s3, lakeDir, LAKE_BUCKET, 'events');
  s3.destroy();
  TOPIC = (await createTopic('us-east-1', `nsm-alerts-${suffix}`)).arn;
  // The Glue tables the stack creates for this lake in S3 (a deploy's config), in a Trino catalog of this suite.
  const deployed = {
    ...config,
    lake: {
      ...config.lake,
      location: `s3://${LAKE_BUCKET}/events`,
      first_day: '2024-04-30',
      athena: { ...config.lake.athena!, workgroup: 'nsm' },
    },
  };
  const catalog = await suiteCatalog('open_pipeline', deployed);
  athena = await FakeAthenaServer.start();
  athena.fallback(trinoResponder(catalog.trino, { catalog: catalog.name }));
  env = {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
    AWS_ENDPOINT_URL_S3: motoEndpoint(),
    AWS_ENDPOINT_URL_SNS: motoEndpoint(),
    NSM_SNS_TOPIC_ARN: TOPIC,
  };
  clients = buildAwsClients(env);
  for (const c of [clients.athena, clients.s3, clients.sns]) c.config.credentials = async () => MOTO_CREDENTIALS;
});
afterAll(async () => {
  for (const c of [clients?.athena, clients?.s3, clients?.sns]) c?.destroy();
  await athena?.close();
  await rm(dir, { recursive: true, force: true });
});

const pipelineOptions = (overrides: Partial<OpenPipelineOptions> = {}): OpenPipelineOptions => ({
  engine: 'duckdb',
  env,
  clients,
  log: () => undefined,
  warn: (line) => {
    throw new Error(`unexpected warning: ${line}`);
  },
  now: () => new Date(),
  ...overrides,
});

describe('openPipeline', () => {
  it('opens Athena, S3 and SNS for `nsm run --engine athena` with s3:// results and a topic, and runs a night', async () => {
    const lines: string[] = [];
    const effective = applyEnvOverrides(config, commandLineEnv(env, { engine: 'athena', workgroup: 'nsm-dev' }));
    expect(effective.lake.athena!.workgroup).toBe('nsm-dev');
    const pipeline = await openPipeline(
      effective,
      pipelineOptions({ engine: 'athena', log: (l) => lines.push(l), athena: { pollInitialMs: 2, pollMaxMs: 10 } }),
    );
    const { engine, store, notifier } = pipeline.deps;
    expect(engine).toBeInstanceOf(AthenaEngine);
    expect(engine.state).toBeDefined(); // results in S3: Athena keeps the state there
    expect(store).toBeInstanceOf(S3ResultStore);
    expect(store.location).toBe(`s3://${RESULTS_BUCKET}/cli`);
    expect(notifier).toBeInstanceOf(SnsNotifier);

    // One night of the real pipeline through them.
    const [outcome] = await runNights(effective, [D], pipeline.deps);
    expect(outcome!.run.engine).toBe('athena');
    const rows = fromJsonLines<MetricRow>((await store.get(`metrics/dt=${D}/metrics.jsonl`))!);
    // Counted from the events above: 7 posts on D; users u0..u3 on D.
    expect(rows.map((r) => [r.metric_id, r.value])).toEqual([
      ['posts', 7],
      ['users', 4],
    ]);
    const run = JSON.parse((await store.get(`runs/dt=${D}/run.json`))!) as RunRecord;
    // One night ran: its state rollups (UNLOAD) and then the metrics query over them.
    const ran = athena.executions;
    expect(ran.some((e) => e.sql.startsWith('UNLOAD'))).toBe(true);
    expect(ran.every((e) => e.workgroup === 'nsm-dev' && e.database === 'product_events')).toBe(true);
    expect(run.queries.map((q) => q.query_id)).toEqual(ran.map((e) => e.id));
    const metricsQuery = ran.find((e) => e.sql.startsWith('WITH scoped'))!;
    expect(lines.some((l) => l.startsWith('athena  metrics  started ') && l.endsWith(metricsQuery.id))).toBe(true);
    await pipeline.close();
    // The clients were given: closing the pipeline leaves them usable.
    expect(await store.get('latest.json')).not.toBeNull();
  });

  it('keeps everything local that the config keeps local (DuckDB keeping its state in the results folder)', async () => {
    const local = { ...config, results: { location: join(dir, 'results') } };
    const pipeline = await openPipeline(local, pipelineOptions({ env: { AWS_REGION: 'us-east-1' } }));
    try {
      expect(pipeline.deps.engine).toBeInstanceOf(DuckDbEngine);
      expect(pipeline.deps.engine.dialect.state?.target('daily', D, 'b1')).toBe(join(dir, 'results', `state/daily/${D}.b1/data.parquet`));
      expect(pipeline.deps.store).toBeInstanceOf(LocalResultStore);
      expect(pipeline.deps.notifier).toBeInstanceOf(LocalNotifier);
      expect((pipeline.deps.notifier as LocalNotifier).outbox).toBe(join(dir, 'results', 'outbox', 'alerts.jsonl'));
    } finally {
      await pipeline.close();
    }
  });

  it('keeps no state where the engine cannot write it: DuckDB with results in S3, Athena with a local folder', async () => {
    const duckOverS3 = await openPipeline(config, pipelineOptions());
    const athenaOverFolder = await openPipeline(
      { ...config, results: { location: join(dir, 'results') } },
      pipelineOptions({ engine: 'athena' }),
    );
    try {
      expect(duckOverS3.deps.engine).toBeInstanceOf(DuckDbEngine);
      expect(duckOverS3.deps.engine.state).toBeUndefined();
      expect(duckOverS3.deps.store).toBeInstanceOf(S3ResultStore);
      expect(athenaOverFolder.deps.engine).toBeInstanceOf(AthenaEngine);
      expect(athenaOverFolder.deps.engine.state).toBeUndefined();
      expect(athenaOverFolder.deps.store).toBeInstanceOf(LocalResultStore);
    } finally {
      await duckOverS3.close();
      await athenaOverFolder.close();
    }
  });

  it('ignores NSM_RESULTS_BUCKET on the command line', async () => {
    const local = { ...config, results: { location: join(dir, 'results') } };
    const effective = applyEnvOverrides(local, commandLineEnv({ NSM_RESULTS_BUCKET: 'elsewhere' }, { engine: 'duckdb' }));
    expect(effective.results.location).toBe(join(dir, 'results'));
    const pipeline = await openPipeline(effective, pipelineOptions());
    expect(pipeline.deps.store).toBeInstanceOf(LocalResultStore);
    await pipeline.close();
  });

  it('uses alerts.sns_topic_arn when NSM_SNS_TOPIC_ARN is unset', async () => {
    const withTopic = { ...config, results: { location: join(dir, 'results') }, alerts: { ...config.alerts, sns_topic_arn: TOPIC } };
    const pipeline = await openPipeline(withTopic, pipelineOptions({ env: {} }));
    expect((pipeline.deps.notifier as SnsNotifier).topicArn).toBe(TOPIC);
    await pipeline.close();
  });

  it('requires a topic where alerts must go through SNS (the Lambda)', async () => {
    await expect(openPipeline(config, pipelineOptions({ engine: 'athena', requireSns: true }))).rejects.toThrow(
      '<test>: no SNS topic: set NSM_SNS_TOPIC_ARN or alerts.sns_topic_arn',
    );
  });

  it('explains what the Athena engine needs', async () => {
    const noAthena = { ...config, lake: { ...config.lake, athena: undefined } };
    const attempt = openPipeline(noAthena, pipelineOptions({ engine: 'athena' }));
    await expect(attempt).rejects.toThrow(InputError);
    await expect(openPipeline(noAthena, pipelineOptions({ engine: 'athena' }))).rejects.toThrow(
      '<test>: lake.athena: required to query with Athena (database, table, workgroup; or NSM_ATHENA_* variables)',
    );
  });

  it('refuses an S3 lake for the embedded engine, building nothing', async () => {
    const s3Lake = { ...config, lake: { ...config.lake, location: 's3://lake-bucket/events' } };
    await expect(openPipeline(s3Lake, pipelineOptions())).rejects.toThrow(
      '<test>: lake.location: s3://lake-bucket/events is in S3; the embedded engine reads a local folder (use --engine athena)',
    );
  });
});
