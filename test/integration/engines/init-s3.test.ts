/**
 * `nsm init --lake s3://…` against moto on loopback, with the real @aws-sdk/client-s3: the
 * company-shaped Parquet lake (a `date` key, BIGINT ids, `_SUCCESS` files, accented names) uploaded
 * under a prefix, profiled by listing its day folders and copying the newest days. The config's
 * facts are checked against the generated rows: the whole lake's first day and day count, the
 * sample's event counts.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildS3Client, type Env } from '../../../functions/adapters/aws-clients';
import { copyS3LakeSample, listS3LakeFolders } from '../../../functions/adapters/s3-lake-sample';
import { LakeError } from '../../../functions/core/errors';
import { loadConfig } from '../../../functions/wiring/load-config';
import { runNsm } from '../../support/cli';
import { companyRows, DAYS, FIRST, LAST, writeCompanyLake } from '../../support/company-lake';
import { createBuckets, MOTO_CREDENTIALS, motoEndpoint, uniqueSuffix, uploadFolder } from '../../support/engines/services';
import { tempDir } from '../../support/lake';

const BUCKET = `acme-lake-${uniqueSuffix()}`;
const LAKE = `s3://${BUCKET}/events/v1`;
const SAMPLE_DAYS = 14;
let env: Env;
let client: S3Client;
const rows = companyRows();

const nsm = (...argv: string[]) => runNsm(argv, new Date('2024-03-01T05:00:00Z'), env);

beforeAll(async () => {
  env = {
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_S3: motoEndpoint(),
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  };
  // The SDK's credential chain reads the process environment, not the command's `env`.
  vi.stubEnv('AWS_ACCESS_KEY_ID', MOTO_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', MOTO_CREDENTIALS.secretAccessKey);
  client = buildS3Client(env);
  await createBuckets(client, [BUCKET]);
  const dir = tempDir('nsm-init-s3-lake-');
  await writeCompanyLake(dir, rows);
  // Spark's markers go up too: the sampler must skip them as Athena does.
  await uploadFolder(client, dir, BUCKET, 'events/v1');
});
afterAll(() => {
  client?.destroy();
  vi.unstubAllEnvs();
});

describe('nsm init --lake s3://…', () => {
  let dir: string;
  let configPath: string;
  let init: Awaited<ReturnType<typeof nsm>>;
  beforeAll(async () => {
    dir = tempDir('nsm-init-s3-');
    configPath = join(dir, 'nsm.config.yaml');
    init = await nsm('init', '--lake', `${LAKE}/`, '--config', configPath, '--sample-days', String(SAMPLE_DAYS));
  });

  it('writes a config that loads: the S3 lake, its format, partition key, whole-lake first day and the guessed columns', async () => {
    expect(init.code, init.stderr).toBe(0);
    const config = await loadConfig(configPath, {});
    expect(config.lake).toMatchObject({
      location: LAKE,
      format: 'parquet',
      partition: 'date',
      first_day: FIRST,
      columns: { user: 'uid', account: 'org_id', event: 'event', time: 'event_ts' },
      athena: { database: 'nsm', table: 'events', workgroup: 'nsm' },
    });
    // Beside the lake, in its bucket, not inside the lake.
    expect(config.results.location).toBe(`s3://${BUCKET}/nsm-results`);
    expect(config.north_star).toBe('weekly_message_posted_accounts');
    expect(init.stdout).toContain(`${DAYS.length} days ${FIRST} … ${LAST}`);
    expect(init.stdout).toContain(`in the ${SAMPLE_DAYS} newest days (${SAMPLE_DAYS} files copied)`);
    expect(init.stdout).toContain('--engine athena');
  });

  it('counts events over the sampled days only, and says so', () => {
    const text = readFileSync(configPath, 'utf8');
    const sampled = DAYS.slice(-SAMPLE_DAYS);
    expect(text).toContain(`${DAYS.length} days ${FIRST} … ${LAST}.`);
    expect(text).toContain(`the newest ${SAMPLE_DAYS} days (${sampled[0]} … ${LAST}, ${SAMPLE_DAYS} files,`);
    const inSample = new Set(sampled);
    const posted = rows.filter((r) => inSample.has(r.day) && r.event === 'Message Posted').length;
    expect(posted).toBeLessThan(rows.filter((r) => r.event === 'Message Posted').length);
    expect(text).toContain(`#   "Message Posted"  ${posted.toLocaleString('en-US')}  ${sampled[0]} … ${LAST}`);
    // A new user of the sample: first seen after its first day.
    expect(text).toContain(`first seen in the sample after ${sampled[0]}`);
  });
});

describe('the S3 lake sampler', () => {
  it('lists the day folders at the lake prefix (not the markers), with or without a trailing slash', async () => {
    const folders = await listS3LakeFolders(client, LAKE);
    expect(folders).toEqual(DAYS.map((d) => `date=${d}`));
    expect(await listS3LakeFolders(client, `${LAKE}/`)).toEqual(folders);
  });

  it('copies whole days, newest first, until the byte budget; skips _SUCCESS; the newest day always', async () => {
    const to = tempDir('nsm-s3-sample-');
    // A budget of one byte still copies the newest day whole, and stops there.
    const one = await copyS3LakeSample(client, LAKE, 'date', DAYS, to, 1);
    expect(one).toMatchObject({ days: [LAST], files: 1, truncated: true });
    expect(await readdir(join(to, `date=${LAST}`))).toEqual(['part-00000-c000.snappy.parquet']);
    const all = await copyS3LakeSample(client, LAKE, 'date', DAYS.slice(-3), tempDir('nsm-s3-sample-'), 1e9);
    expect(all).toMatchObject({ days: DAYS.slice(-3), files: 3, truncated: false });
    expect(all.bytes).toBeGreaterThan(0);
  });

  it('names the lake when it cannot list it', async () => {
    const missing = `s3://no-such-bucket-${uniqueSuffix()}/events`;
    await expect(listS3LakeFolders(client, missing)).rejects.toThrow(LakeError);
    const r = await nsm('init', '--lake', missing, '--config', join(tempDir('nsm-init-s3-'), 'x.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cannot list s3://${missing.slice(5).split('/')[0]}/events/`);
  });
});
