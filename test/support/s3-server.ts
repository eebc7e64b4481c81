/**
 * s3rver (an S3 emulator on the local file system) on 127.0.0.1 and a free port, for tests that
 * drive the real `@aws-sdk/client-s3`. Two gaps of s3rver 3.7.1 are filled by middleware placed
 * in front of its router (both documented in docs/aws.md):
 *
 * 1. Conditional writes: s3rver ignores `If-None-Match` on PUT (it honours it on GET only:
 *    node_modules/s3rver/lib/controllers/object.js), so a conditional write would silently
 *    overwrite. Here `If-None-Match: *` on an existing key answers 412 PreconditionFailed, as S3
 *    does, atomically per key (writes of one key are serialised). 409 ConditionalRequestConflict
 *    can be injected to exercise that path.
 * 2. ListObjectsV2 paging: s3rver encrypts its continuation tokens with DES, which OpenSSL 3
 *    (Node >= 17) refuses (ERR_OSSL_EVP_UNSUPPORTED → 500 InternalError as soon as a listing is
 *    truncated). V2 requests are therefore served by s3rver's V1 listing (`marker`) and turned
 *    back into a V2 answer with an opaque token of our own; the SDK only ever sees V2.
 */
import { createRequire } from 'node:module';
import S3rver from 's3rver';

const require = createRequire(import.meta.url);
// s3rver's object model, to seed many objects without an HTTP round trip each.
const S3Object = require('s3rver/lib/models/object') as new (
  bucket: string,
  key: string,
  content: Buffer,
  metadata: Record<string, string>,
) => unknown;

export interface S3Server {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Credentials s3rver accepts (it checks SigV4 signatures against these). */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Answers the next `times` conditional PUTs with 409 ConditionalRequestConflict. */
  conflictNext(times: number): void;
  /** Conditional PUTs seen (If-None-Match present), with their outcome. */
  readonly conditionalPuts: { key: string; status: number }[];
  /** ListObjectsV2 requests seen: their continuation token (undefined on the first page). */
  readonly listRequests: { prefix: string | undefined; continuationToken: string | undefined; maxKeys: string | undefined }[];
  /** Stores an object straight into s3rver's store (fast setup of many keys). */
  seed(bucket: string, key: string, body: string, contentType?: string): Promise<void>;
  close(): Promise<void>;
}

const errorXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>s3rver-shim</RequestId></Error>`;

const encodeToken = (key: string) => `nsm-test:${Buffer.from(key, 'utf8').toString('base64url')}`;
const decodeToken = (token: string) => Buffer.from(token.replace(/^nsm-test:/, ''), 'base64url').toString('utf8');

/** Starts s3rver over `directory` with `buckets` created. */
export async function startS3Server(directory: string, buckets: readonly string[]): Promise<S3Server> {
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  let conflicts = 0;
  const conditionalPuts: { key: string; status: number }[] = [];
  const listRequests: S3Server['listRequests'] = [];
  const locks = new Map<string, Promise<void>>();

  // Index 2 = after s3rver's logger and its XML encoder, so `ctx.body` is still a plain object
  // on the way back (the encoder serialises it after we return).
  s3rver.middleware.splice(
    2,
    0,
    // 2. ListObjectsV2 through s3rver's V1 listing.
    async (ctx, next) => {
      const bucketOnly = /^\/([^/]+)\/?$/.exec(ctx.path);
      if (ctx.method !== 'GET' || !bucketOnly || ctx.query['list-type'] !== '2') return next();
      const { 'list-type': _v2, 'continuation-token': token, 'start-after': startAfter, 'fetch-owner': _owner, ...rest } = ctx.query;
      listRequests.push({ prefix: rest.prefix, continuationToken: token, maxKeys: rest['max-keys'] });
      const marker = token ? decodeToken(token) : startAfter;
      ctx.query = { ...rest, ...(marker ? { marker } : {}) };
      await next();
      const body = ctx.body as { ListBucketResult?: Record<string, unknown> } | undefined;
      const result = body?.ListBucketResult;
      if (!result) return;
      const contents = (result.Contents as { Key: string; Owner?: unknown }[] | undefined) ?? [];
      const last = contents[contents.length - 1];
      delete result.Marker;
      delete result.NextMarker;
      for (const c of contents) delete c.Owner;
      result.KeyCount = contents.length;
      if (token) result.ContinuationToken = token;
      if (startAfter && !token) result.StartAfter = startAfter;
      if (result.IsTruncated && last) result.NextContinuationToken = encodeToken(last.Key);
    },
    // 1. Conditional PUT.
    async (ctx, next) => {
      const condition = ctx.headers['if-none-match'];
      const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
      if (ctx.method !== 'PUT' || condition === undefined || !match || ctx.headers['x-amz-copy-source']) return next();
      const bucket = decodeURIComponent(match[1]!);
      const key = decodeURIComponent(match[2]!);
      const id = `${bucket}/${key}`;
      const previous = locks.get(id) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const chained = previous.then(() => mine);
      locks.set(id, chained);
      await previous;
      try {
        if (condition !== '*') {
          ctx.status = 501;
          ctx.type = 'application/xml';
          ctx.body = errorXml('NotImplemented', 'the s3rver shim supports If-None-Match: * only');
        } else if (conflicts > 0) {
          conflicts--;
          ctx.status = 409;
          ctx.type = 'application/xml';
          ctx.body = errorXml('ConditionalRequestConflict', 'A conflicting conditional operation is currently in progress');
        } else if (await ctx.store.existsObject(bucket, key)) {
          ctx.status = 412;
          ctx.type = 'application/xml';
          ctx.body = errorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
        } else {
          await next();
        }
        conditionalPuts.push({ key, status: ctx.status });
      } finally {
        release();
        if (locks.get(id) === chained) locks.delete(id);
      }
    },
  );

  const address = await s3rver.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    conflictNext: (times) => {
      conflicts += times;
    },
    conditionalPuts,
    listRequests,
    seed: async (bucket, key, body, contentType = 'application/octet-stream') => {
      const content = Buffer.from(body, 'utf8');
      await s3rver.store.putObject(
        new S3Object(bucket, key, content, {
          'content-type': contentType,
          'content-length': String(content.length),
          'last-modified': new Date().toUTCString(),
        }),
      );
    },
    close: () => s3rver.close(),
  };
}
