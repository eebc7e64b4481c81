/**
 * S3ResultStore with the real @aws-sdk/client-s3 (configured by aws-clients.ts from an
 * AWS_ENDPOINT_URL_S3 environment, as a MinIO/LocalStack user would) against s3rver on loopback.
 * s3rver ignores If-None-Match on PUT, so test/support/s3-server.ts adds S3's conditional-write
 * semantics in front of it (documented there); the 412/409 paths below run through that shim.
 */

import { rm } from 'node:fs/promises';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildS3Client } from '../../functions/adapters/aws-clients';
import { contentTypeFor, S3ResultStore } from '../../functions/adapters/s3-result-store';
import { mapLimit } from '../../functions/core/concurrency';
import { StoreError } from '../../functions/core/errors';
import { CONTENT_TYPE } from '../../functions/core/results/store';
import { tempDir } from '../support/lake';
import { type S3Server, startS3Server } from '../support/s3-server';

const BUCKET = 'nsm-results';
let server: S3Server;
let dir: string;
let client: S3Client;
let store: S3ResultStore;

beforeAll(async () => {
  dir = tempDir('nsm-s3rver-');
  server = await startS3Server(dir, [BUCKET]);
  client = buildS3Client({
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
  });
  // Credentials are not part of awsClientConfig (the SDK's chain reads them); give s3rver's here.
  client.config.credentials = async () => server.credentials;
  store = new S3ResultStore(client, BUCKET, 'nsm/results/', { sleep: async () => undefined });
});
afterAll(async () => {
  client.destroy();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('S3ResultStore', () => {
  it('names its location and objects as s3:// URIs and console links', () => {
    expect(store.location).toBe('s3://nsm-results/nsm/results');
    expect(store.uriFor('reports/dt=2024-05-01/report.html')).toBe('s3://nsm-results/nsm/results/reports/dt=2024-05-01/report.html');
    expect(store.consoleUrlFor('latest.json', 'eu-west-1')).toBe(
      'https://s3.console.aws.amazon.com/s3/object/nsm-results?region=eu-west-1&prefix=nsm%2Fresults%2Flatest.json',
    );
    expect(S3ResultStore.fromUri(client, 's3://nsm-results').uriFor('latest.json')).toBe('s3://nsm-results/latest.json');
    // The port's consoleUrlFor(key) (used for alert emails) needs the region the store was built with.
    expect(S3ResultStore.fromUri(client, 's3://nsm-results/p', { region: 'us-east-1' }).consoleUrlFor('latest.json')).toBe(
      'https://s3.console.aws.amazon.com/s3/object/nsm-results?region=us-east-1&prefix=p%2Flatest.json',
    );
    expect(S3ResultStore.fromUri(client, 's3://nsm-results/p').consoleUrlFor('latest.json')).toBeUndefined();
  });

  it('puts objects under the prefix with their content types, and gets them back', async () => {
    const files = {
      'metrics/dt=2024-05-01/metrics.jsonl': ['{"a":1}\n', CONTENT_TYPE.jsonl],
      'reports/dt=2024-05-01/report.json': ['{"ünï":"✓"}', CONTENT_TYPE.json],
      'reports/dt=2024-05-01/report.html': ['<!doctype html><p>hi</p>', CONTENT_TYPE.html],
    } as const;
    for (const [key, [body, type]] of Object.entries(files)) await store.put(key, body, type);
    for (const [key, [body, type]] of Object.entries(files)) {
      expect(await store.get(key)).toBe(body);
      // Straight from S3, bypassing the store: the object key and its stored Content-Type.
      const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `nsm/results/${key}` }));
      expect(head.ContentType).toBe(type);
    }
  });

  it('falls back to the content type of the extension when none is given', async () => {
    await store.put('latest.json', '{"dt":"2024-05-01"}', '');
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nsm/results/latest.json' }));
    expect(head.ContentType).toBe('application/json');
    expect(contentTypeFor('x/alerts.jsonl')).toBe(CONTENT_TYPE.jsonl);
    expect(contentTypeFor('x/report.html')).toBe(CONTENT_TYPE.html);
    expect(contentTypeFor('x/blob')).toBe('application/octet-stream');
  });

  it('deletes every object under a folder prefix and nothing beside it (state folders before an UNLOAD)', async () => {
    // Its own prefix, so the listing tests below see only their keys.
    const store = new S3ResultStore(client, BUCKET, 'nsm/delete-test');
    await store.put('state/daily/dt=2024-05-01/a.parquet', 'a', 'application/octet-stream');
    await store.put('state/daily/dt=2024-05-01/b.parquet', 'b', 'application/octet-stream');
    await store.put('state/daily/dt=2024-05-02/a.parquet', 'c', 'application/octet-stream');
    await store.deletePrefix('state/daily/dt=2024-05-01/');
    expect(await store.list('state/daily/')).toEqual(['state/daily/dt=2024-05-02/a.parquet']);
    await store.deletePrefix('state/daily/dt=2024-05-01/'); // nothing left: a no-op
    expect(await store.get('state/daily/dt=2024-05-02/a.parquet')).toBe('c');
  });

  it('overwrites on put', async () => {
    await store.put('runs/dt=2024-05-01/run.json', 'first', CONTENT_TYPE.json);
    await store.put('runs/dt=2024-05-01/run.json', 'second', CONTENT_TYPE.json);
    expect(await store.get('runs/dt=2024-05-01/run.json')).toBe('second');
  });

  it('get of a missing key is null; of a missing bucket a StoreError', async () => {
    expect(await store.get('nothing/here.json')).toBeNull();
    const lost = new S3ResultStore(client, 'no-such-bucket', '');
    await expect(lost.get('latest.json')).rejects.toThrow(StoreError);
    await expect(lost.get('latest.json')).rejects.toThrow(
      /results store latest\.json: cannot read s3:\/\/no-such-bucket\/latest\.json: NoSuchBucket/,
    );
  });

  it('put to a missing bucket is a StoreError carrying the key and the SDK error', async () => {
    const lost = new S3ResultStore(client, 'no-such-bucket', 'p');
    const err = (await lost.put('latest.json', '{}', CONTENT_TYPE.json).catch((e: unknown) => e)) as StoreError;
    expect(err).toBeInstanceOf(StoreError);
    expect(err.key).toBe('latest.json');
    expect((err.cause as Error).name).toBe('NoSuchBucket');
  });

  it('rejects keys that would escape the prefix', async () => {
    await expect(store.put('../escape.json', 'x', CONTENT_TYPE.json)).rejects.toThrow(/not a relative key/);
    expect(() => store.uriFor('/abs')).toThrow(StoreError);
  });

  describe('putIfAbsent (If-None-Match: *)', () => {
    it('writes once, then returns false and keeps the first body', async () => {
      const key = 'state/alerts-sent/dt=2024-05-01/drop--nsm.json';
      expect(await store.putIfAbsent(key, '{"n":1}', CONTENT_TYPE.json)).toBe(true);
      expect(await store.putIfAbsent(key, '{"n":2}', CONTENT_TYPE.json)).toBe(false);
      expect(await store.get(key)).toBe('{"n":1}');
      expect(server.conditionalPuts.filter((p) => p.key === `nsm/results/${key}`).map((p) => p.status)).toEqual([200, 412]);
    });

    it('lets exactly one of several concurrent writers win', async () => {
      const key = 'state/alerts-sent/dt=2024-05-02/drop--nsm.json';
      const wins = await Promise.all([1, 2, 3, 4, 5].map((i) => store.putIfAbsent(key, String(i), CONTENT_TYPE.json)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('retries a 409 ConditionalRequestConflict, then reports what S3 decided', async () => {
      const key = 'state/alerts-sent/dt=2024-05-03/drop--nsm.json';
      server.conflictNext(2);
      expect(await store.putIfAbsent(key, 'x', CONTENT_TYPE.json)).toBe(true);
      expect(server.conditionalPuts.filter((p) => p.key === `nsm/results/${key}`).map((p) => p.status)).toEqual([409, 409, 200]);
    });

    it('treats a conflict that outlasts the retries as "someone else has it"', async () => {
      const key = 'state/alerts-sent/dt=2024-05-04/drop--nsm.json';
      server.conflictNext(4);
      expect(await store.putIfAbsent(key, 'x', CONTENT_TYPE.json)).toBe(false);
      expect(await store.get(key)).toBeNull();
    });

    it('sends the If-None-Match header itself (s3rver would otherwise overwrite)', async () => {
      // Control: a plain PutObject through the same server overwrites, so the 412 above is the header's doing.
      const key = 'nsm/results/state/plain.json';
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'a' }));
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'b' }));
      const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(await out.Body!.transformToString()).toBe('b');
    });
  });

  describe('list', () => {
    it('pages through more than 1,000 keys with ContinuationToken, relative to the prefix and sorted', async () => {
      const paged = new S3ResultStore(client, BUCKET, 'paging');
      const keys = Array.from({ length: 1_005 }, (_, i) => `metrics/dt=2024-01-01/part-${String(i).padStart(4, '0')}.jsonl`);
      // Seeded straight into s3rver's store (1,005 PUTs over HTTP take seconds); listing goes through the SDK.
      await mapLimit(keys, 8, (k) => server.seed(BUCKET, `paging/${k}`, '{}\n'));
      server.listRequests.length = 0;
      const listed = await paged.list('metrics/');
      expect(listed).toHaveLength(1_005);
      expect(listed).toEqual(keys);
      expect(server.listRequests.map((r) => r.continuationToken === undefined)).toEqual([true, false]);
      expect(server.listRequests.every((r) => r.prefix === 'paging/metrics/' && r.maxKeys === '1000')).toBe(true);
    });

    it('treats the prefix as a string prefix, as S3 does', async () => {
      // Within one page: s3rver's marker-paged directory walk drops sibling folders such as
      // `metrics-other/` once a page ends inside `metrics/` (real S3 lists in UTF-8 key order).
      const p = new S3ResultStore(client, BUCKET, 'strprefix');
      for (const k of ['metrics/dt=2024-01-01/metrics.jsonl', 'metrics-other/x.jsonl', 'metricsx', 'other/y.json']) {
        await p.put(k, '{}', CONTENT_TYPE.json);
      }
      expect(await p.list('metrics')).toEqual(['metrics-other/x.jsonl', 'metrics/dt=2024-01-01/metrics.jsonl', 'metricsx']);
      expect(await p.list('metrics/')).toEqual(['metrics/dt=2024-01-01/metrics.jsonl']);
    });

    it('walks pages of a smaller size too', async () => {
      const small = new S3ResultStore(client, BUCKET, 'nsm/results', { pageSize: 2 });
      server.listRequests.length = 0;
      expect(await small.list('reports/')).toEqual(['reports/dt=2024-05-01/report.html', 'reports/dt=2024-05-01/report.json']);
      // Two keys at two per page: S3 says "truncated" only when more remain, so one request.
      expect(server.listRequests).toHaveLength(1);
      expect(await small.list('')).toEqual([
        'latest.json',
        'metrics/dt=2024-05-01/metrics.jsonl',
        'reports/dt=2024-05-01/report.html',
        'reports/dt=2024-05-01/report.json',
        'runs/dt=2024-05-01/run.json',
        'state/alerts-sent/dt=2024-05-01/drop--nsm.json',
        'state/alerts-sent/dt=2024-05-02/drop--nsm.json',
        'state/alerts-sent/dt=2024-05-03/drop--nsm.json',
        'state/plain.json',
      ]);
      expect(server.listRequests).toHaveLength(1 + 5);
    });

    it('does not see keys of a sibling prefix, and is empty where nothing is', async () => {
      const sibling = new S3ResultStore(client, BUCKET, 'nsm/res');
      expect(await sibling.list('')).toEqual([]);
      expect(await store.list('alerts/')).toEqual([]);
    });
  });
});
