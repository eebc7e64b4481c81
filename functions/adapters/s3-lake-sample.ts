/**
 * What `nsm init --lake s3://…` reads of a lake in S3, without Athena (no table exists before the
 * config does): one delimited listing of the lake prefix for its `<key>=<value>/` folders, then
 * the newest days' objects copied into a local folder of the same layout, which the local
 * profiler reads. Bounded: at most `maxDays` days and `maxBytes` bytes are copied, so a lake of
 * years costs a few listings and a sample, not a scan.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { LakeError } from '../core/errors';
import { joinKey, parseS3Uri } from '../core/s3-uri';
import { describeError } from './aws-errors';
import { isHiddenName } from './lake-files';

/** The top folders of an S3 lake: `dt=2024-06-30` for `s3://bucket/prefix/dt=2024-06-30/`. */
export async function listS3LakeFolders(client: S3Client, location: string): Promise<string[]> {
  const { bucket, prefix } = parseS3Uri(location, '--lake');
  const base = prefix === '' ? '' : `${prefix}/`;
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const out = await client
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: base, Delimiter: '/', ContinuationToken: token }))
      .catch((err: unknown) => {
        throw new LakeError(location, `cannot list s3://${bucket}/${base}: ${describeError(err)}`, { cause: err });
      });
    for (const p of out.CommonPrefixes ?? []) {
      if (p.Prefix) folders.push(p.Prefix.slice(base.length).replace(/\/$/, ''));
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return folders;
}

/** How much of the lake a sample copied. */
export interface S3LakeSample {
  /** The days copied, oldest first. */
  readonly days: string[];
  readonly files: number;
  readonly bytes: number;
  /** True when `maxBytes` stopped the copy before `maxDays` days. */
  readonly truncated: boolean;
}

/**
 * Copies the data objects of `days` (newest first, until `maxBytes`) from the lake at `location`
 * into `toDir/<partition>=<day>/…`, keys below the day kept. Skips what Athena skips: any path
 * segment starting with `_` or `.` (`_SUCCESS`, `_temporary/`). At least one day is copied whole.
 */
export async function copyS3LakeSample(
  client: S3Client,
  location: string,
  partition: string,
  days: readonly string[],
  toDir: string,
  maxBytes: number,
): Promise<S3LakeSample> {
  const { bucket, prefix } = parseS3Uri(location, '--lake');
  const copied: string[] = [];
  let files = 0;
  let bytes = 0;
  for (const day of [...days].sort().reverse()) {
    const folder = `${joinKey(prefix, `${partition}=${day}`)}/`;
    const objects = await listAll(client, bucket, folder, location);
    const data = objects.filter((o) => !o.relative.split('/').some(isHiddenName));
    const dayBytes = data.reduce((sum, o) => sum + o.size, 0);
    // A day of markers or empty files (a partition being written) tells nothing: the next one is sampled.
    if (dayBytes === 0) continue;
    // Whole days only, so each sampled day's counts are the day's; the newest day always.
    if (copied.length > 0 && bytes + dayBytes > maxBytes) return { days: copied.sort(), files, bytes, truncated: true };
    for (const o of data) {
      const target = join(toDir, `${partition}=${day}`, ...o.relative.split('/'));
      await mkdir(dirname(target), { recursive: true });
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.key })).catch((err: unknown) => {
        throw new LakeError(location, `cannot read s3://${bucket}/${o.key}: ${describeError(err)}`, { cause: err });
      });
      await pipeline(out.Body as Readable, createWriteStream(target));
    }
    copied.push(day);
    files += data.length;
    bytes += dayBytes;
  }
  return { days: copied.sort(), files, bytes, truncated: false };
}

interface ListedObject {
  readonly key: string;
  /** The key below the listed folder. */
  readonly relative: string;
  readonly size: number;
}

async function listAll(client: S3Client, bucket: string, folder: string, location: string): Promise<ListedObject[]> {
  const found: ListedObject[] = [];
  let token: string | undefined;
  do {
    const out = await client
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, ContinuationToken: token }))
      .catch((err: unknown) => {
        throw new LakeError(location, `cannot list s3://${bucket}/${folder}: ${describeError(err)}`, { cause: err });
      });
    for (const o of out.Contents ?? []) {
      // A "folder" marker object (a key ending in /) holds no data.
      if (o.Key && !o.Key.endsWith('/')) found.push({ key: o.Key, relative: o.Key.slice(folder.length), size: o.Size ?? 0 });
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return found;
}
