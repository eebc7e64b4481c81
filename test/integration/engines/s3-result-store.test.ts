/**
 * S3ResultStore with the real @aws-sdk/client-s3 (configured by aws-clients.ts from an
 * AWS_ENDPOINT_URL_S3 environment, as a MinIO/LocalStack user would) against moto, through a
 * recording proxy (test/support/engines/recording-proxy.ts) that shows which requests the store
 * sent and injects the one answer moto cannot be asked for: 409 ConditionalRequestConflict.
 * Conditional writes (412) and ListObjectsV2 paging are moto's own.
 */

import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildS3Client } from '../../../functions/adapters/aws-clients';
import { contentTypeFor, S3ResultStore } from '../../../functions/adapters/s3-result-store';
import { mapLimit } from '../../../functions/core/concurrency';
import { StoreError } from '../../../functions/core/errors';
import { CONTENT_TYPE } from '../../../functions/core/results/store';
import { RecordingProxy } from '../../support/engines/recording-proxy';
import { createBuckets, MOTO_CREDENTIALS, motoEndpoint, uniqueSuffix } from '../../support/engines/services';

const BUCKET = `nsm-results-${uniqueSuffix()}`;
let proxy: RecordingProxy;
let client: S3Client;
let store: S3ResultStore;

/** Conditional PUTs of `key` (If-None-Match present) and the status each got. */
const conditionalPuts = (key: string) =>
  proxy.requests
    .filter((r) => r.method === 'PUT' && r.headers['if-none-match'] !== undefined && r.path === `/${BUCKET}/${key}`)
    .map((r) => r.status);
/** ListObjectsV2 requests. */
const listRequests = () => proxy.requests.filter((r) => r.method === 'GET' && r.query.get('list-type') === '2');

const CONFLICT_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ConditionalRequestConflict</Code><Message>A conflicting conditional operation is currently in progress</Message></Error>';

beforeAll(async () => {
  proxy = await RecordingProxy.start(motoEndpoint());
  client = buildS3Client({
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_S3: proxy.endpoint,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
  });
  // Credentials are not part of awsClientConfig (the SDK's chain reads them); give them here.
  client.config.credentials = async () => MOTO_CREDENTIALS;
  await createBuckets(client, [BUCKET]);
  store = new S3ResultStore(client, BUCKET, 'nsm/results/', { sleep: async () => undefined });
});
afterAll(async () => {
  client?.destroy();
  await proxy?.close();
});

describe('S3ResultStore', () => {
  it('names its location and objects as s3:// URIs and console links', () => {
    expect(store.location).toBe(`s3://${BUCKET}/nsm/results`);
    expect(store.uriFor('reports/dt=2024-05-01/report.html')).toBe(`s3://${BUCKET}/nsm/results/reports/dt=2024-05-01/report.html`);
    expect(store.consoleUrlFor('latest.json', 'eu-west-1')).toBe(
      `https://s3.console.aws.amazon.com/s3/object/${BUCKET}?region=eu-west-1&prefix=nsm%2Fresults%2Flatest.json`,
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
      expect(conditionalPuts(`nsm/results/${key}`)).toEqual([200, 412]);
    });

    it('lets exactly one of several concurrent writers win', async () => {
      const key = 'state/alerts-sent/dt=2024-05-02/drop--nsm.json';
      const wins = await Promise.all([1, 2, 3, 4, 5].map((i) => store.putIfAbsent(key, String(i), CONTENT_TYPE.json)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('retries a 409 ConditionalRequestConflict, then reports what S3 decided', async () => {
      const key = 'state/alerts-sent/dt=2024-05-03/drop--nsm.json';
      proxy.failNext((r) => r.method === 'PUT' && r.path === `/${BUCKET}/nsm/results/${key}`, 2, 409, CONFLICT_XML);
      expect(await store.putIfAbsent(key, 'x', CONTENT_TYPE.json)).toBe(true);
      expect(conditionalPuts(`nsm/results/${key}`)).toEqual([409, 409, 200]);
    });

    it('treats a conflict that outlasts the retries as "someone else has it"', async () => {
      const key = 'state/alerts-sent/dt=2024-05-04/drop--nsm.json';
      proxy.failNext((r) => r.method === 'PUT' && r.path === `/${BUCKET}/nsm/results/${key}`, 4, 409, CONFLICT_XML);
      expect(await store.putIfAbsent(key, 'x', CONTENT_TYPE.json)).toBe(false);
      expect(await store.get(key)).toBeNull();
    });

    it('gets its 412 from the If-None-Match header: a plain PutObject overwrites', async () => {
      // Control: a plain PutObject through the same server overwrites, so the 412 above is the header's doing.
      const key = 'nsm/results/state/plain.json';
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'a' }));
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'b' }));
      const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(await out.Body!.transformToString()).toBe('b');
    });
  });

  describe('list', () => {
    it('asks for 1,000 keys a page by default, relative to the prefix and sorted', async () => {
      // Paging itself (continuation tokens) is walked below at two keys a page: S3 pages the
      // same way at any size, and 1,001 objects would take moto half a minute to store.
      const paged = new S3ResultStore(client, BUCKET, 'paging');
      const keys = ['metrics/dt=2024-01-02/metrics.jsonl', 'metrics/dt=2024-01-01/metrics.jsonl', 'metrics/dt=2024-01-10/metrics.jsonl'];
      await mapLimit(keys, 4, (k) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `paging/${k}`, Body: '{}\n' })));
      const before = listRequests().length;
      expect(await paged.list('metrics/')).toEqual([...keys].sort());
      const mine = listRequests().slice(before);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.query.get('prefix')).toBe('paging/metrics/');
      expect(mine[0]!.query.get('max-keys')).toBe('1000');
    });

    it('treats the prefix as a string prefix, as S3 does', async () => {
      // Real S3 lists in UTF-8 key order, folders or not: `metrics-other/` sorts before `metrics/`.
      const p = new S3ResultStore(client, BUCKET, 'strprefix');
      for (const k of ['metrics/dt=2024-01-01/metrics.jsonl', 'metrics-other/x.jsonl', 'metricsx', 'other/y.json']) {
        await p.put(k, '{}', CONTENT_TYPE.json);
      }
      expect(await p.list('metrics')).toEqual(['metrics-other/x.jsonl', 'metrics/dt=2024-01-01/metrics.jsonl', 'metricsx']);
      expect(await p.list('metrics/')).toEqual(['metrics/dt=2024-01-01/metrics.jsonl']);
    });

    it('walks pages of a smaller size too', async () => {
      const small = new S3ResultStore(client, BUCKET, 'nsm/results', { pageSize: 2 });
      const before = listRequests().length;
      expect(await small.list('reports/')).toEqual(['reports/dt=2024-05-01/report.html', 'reports/dt=2024-05-01/report.json']);
      // Two keys at two per page: S3 says "truncated" only when more remain, so one request.
      expect(listRequests().length - before).toBe(1);
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
      const pages = listRequests().slice(before + 1);
      expect(pages).toHaveLength(5);
      // The first page has no token; each later one carries the token of the page before.
      expect(pages.map((r) => r.query.get('continuation-token') === null)).toEqual([true, false, false, false, false]);
    });

    it('does not see keys of a sibling prefix, and is empty where nothing is', async () => {
      const sibling = new S3ResultStore(client, BUCKET, 'nsm/res');
      expect(await sibling.list('')).toEqual([]);
      expect(await store.list('alerts/')).toEqual([]);
    });
  });
});
