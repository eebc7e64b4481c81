/**
 * `ResultStore` over `s3://bucket/prefix` (docs/design.md §3): the same keys as the local folder,
 * below the prefix, each object with the content type of its file kind so that browsers and
 * Athena/Glue readers see `application/x-ndjson`, `application/json` and `text/html`.
 *
 * `putIfAbsent` is S3's conditional write (`If-None-Match: *`): S3 answers 412
 * PreconditionFailed when the key exists, so of two concurrent retries of a night only one can
 * claim an alert. A 409 ConditionalRequestConflict means another conditional write of the same
 * key is in flight; AWS says to retry the upload then
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html, `If-None-Match`), so it is
 * retried a few times before being treated as "someone else has it".
 *
 * SDK errors become `StoreError`s carrying the key and the SDK error as `cause`.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { backoffDelay } from '../core/backoff';
import { StoreError } from '../core/errors';
import { assertRelativeKey, CONTENT_TYPE, type ObjectInfo, type ResultStore } from '../core/results/store';
import { formatS3Uri, joinKey, parseS3Uri } from '../core/s3-uri';
import { describeError, errorName, httpStatus } from './aws-errors';

export interface S3ResultStoreOptions {
  /** Keys per ListObjectsV2 page (S3's maximum is 1,000). @default 1_000 */
  readonly pageSize?: number;
  /** Retries of a conditional write answered 409 ConditionalRequestConflict. @default 3 */
  readonly conflictRetries?: number;
  /** Waits `ms` between those retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The bucket's region, for S3 console links in alerts. @default none: no console links */
  readonly region?: string | undefined;
}

/** The content type of a layout file from its extension; `application/octet-stream` for others. */
export function contentTypeFor(key: string): string {
  if (key.endsWith('.jsonl')) return CONTENT_TYPE.jsonl;
  if (key.endsWith('.json')) return CONTENT_TYPE.json;
  if (key.endsWith('.html')) return CONTENT_TYPE.html;
  return 'application/octet-stream';
}

/** True for S3's answers to a failed `If-None-Match: *`. */
const isPreconditionFailed = (err: unknown) => errorName(err) === 'PreconditionFailed' || httpStatus(err) === 412;
const isConditionalConflict = (err: unknown) => errorName(err) === 'ConditionalRequestConflict' || httpStatus(err) === 409;

export class S3ResultStore implements ResultStore {
  /** `s3://bucket/prefix`. */
  readonly location: string;
  private readonly pageSize: number;
  private readonly conflictRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly region: string | undefined;

  /**
   * @param client an S3 client (path-style when talking to MinIO/LocalStack/s3rver: see aws-clients.ts)
   * @param bucket the bucket name
   * @param prefix key prefix without leading/trailing `/`; '' for the bucket root
   */
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    readonly prefix: string,
    options: S3ResultStoreOptions = {},
  ) {
    this.prefix = prefix.replace(/^\/+|\/+$/g, '');
    this.location = formatS3Uri({ bucket, prefix: this.prefix });
    this.pageSize = options.pageSize ?? 1_000;
    this.conflictRetries = options.conflictRetries ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.region = options.region;
    if (!(Number.isInteger(this.pageSize) && this.pageSize >= 1 && this.pageSize <= 1_000)) {
      throw new RangeError(`S3ResultStore: pageSize must be an integer in 1..1000, got ${this.pageSize}`);
    }
  }

  /** A store for `s3://bucket/prefix` (throws an InputError naming `what` for a bad URI). */
  static fromUri(client: S3Client, uri: string, options: S3ResultStoreOptions = {}, what = 'results.location'): S3ResultStore {
    const { bucket, prefix } = parseS3Uri(uri, what);
    return new S3ResultStore(client, bucket, prefix, options);
  }

  /** `s3://bucket/prefix/key`. */
  uriFor(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`;
  }

  /** The S3 console page of `key`, for links in messages. */
  consoleUrlFor(key: string, region: string | undefined = this.region): string | undefined {
    if (!region) return undefined;
    const query = new URLSearchParams({ region, prefix: this.objectKey(key) });
    return `https://s3.console.aws.amazon.com/s3/object/${encodeURIComponent(this.bucket)}?${query.toString()}`;
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    const objectKey = this.objectKey(key);
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: body, ContentType: contentType || contentTypeFor(key) }),
      );
    } catch (err) {
      throw new StoreError(key, `cannot write ${this.uriFor(key)}: ${describeError(err)}`, { cause: err });
    }
  }

  async putIfAbsent(key: string, body: string, contentType: string): Promise<boolean> {
    const objectKey = this.objectKey(key);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: objectKey,
            Body: body,
            ContentType: contentType || contentTypeFor(key),
            IfNoneMatch: '*',
          }),
        );
        return true;
      } catch (err) {
        if (isPreconditionFailed(err)) return false;
        if (isConditionalConflict(err)) {
          // Another writer of this key is in flight: retry; if it keeps winning, it has the key.
          if (attempt >= this.conflictRetries) return false;
          await this.sleep(backoffDelay(attempt, { initialMs: 50, maxMs: 1_000 }));
          continue;
        }
        throw new StoreError(key, `cannot write ${this.uriFor(key)} if absent: ${describeError(err)}`, { cause: err });
      }
    }
  }

  async get(key: string): Promise<string | null> {
    const objectKey = this.objectKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return out.Body ? await out.Body.transformToString('utf-8') : '';
    } catch (err) {
      // A missing key is a value (null); a missing bucket is a misconfiguration (an error).
      const name = errorName(err);
      if (name === 'NoSuchKey' || (httpStatus(err) === 404 && name !== 'NoSuchBucket')) return null;
      throw new StoreError(key, `cannot read ${this.uriFor(key)}: ${describeError(err)}`, { cause: err });
    }
  }

  /** Every key under `prefix` (a string prefix of the key, as in S3), relative to the store, sorted. */
  async list(prefix: string): Promise<string[]> {
    return (await this.listObjects(prefix)).map((o) => o.key);
  }

  /** Every object under `prefix` with its size and ETag (quotes removed), relative to the store, sorted by key. */
  async listObjects(prefix: string): Promise<ObjectInfo[]> {
    const base = this.prefix === '' ? '' : `${this.prefix}/`;
    const full = base + prefix;
    const objects: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, MaxKeys: this.pageSize, ContinuationToken: token }),
        );
      } catch (err) {
        throw new StoreError(prefix, `cannot list s3://${this.bucket}/${full}: ${describeError(err)}`, { cause: err });
      }
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(base)) {
          objects.push({ key: object.Key.slice(base.length), size: object.Size ?? 0, etag: (object.ETag ?? '').replaceAll('"', '') });
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Deletes every object under `prefix` (for the incremental state: Athena's UNLOAD needs an
   * empty target folder, and old snapshots are pruned). One DeleteObject per key: a state folder
   * holds a handful of files.
   */
  async deletePrefix(prefix: string): Promise<void> {
    for (const key of await this.list(prefix)) {
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      } catch (err) {
        throw new StoreError(key, `cannot delete ${this.uriFor(key)}: ${describeError(err)}`, { cause: err });
      }
    }
  }

  /** The object key of a store key; rejects keys that are absolute, empty or climb with `..`. */
  private objectKey(key: string): string {
    assertRelativeKey(key);
    return joinKey(this.prefix, key);
  }
}
