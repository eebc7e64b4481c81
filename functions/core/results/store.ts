/**
 * The results store port (docs/design.md §3). Adapters: `LocalResultStore` (a folder) and
 * `S3ResultStore` (`s3://bucket/prefix`). Keys are relative, `/`-separated, identical in both.
 */
import { StoreError } from '../errors';

/**
 * Throws a `StoreError` for a key that is empty, absolute, has an empty segment or climbs with
 * `..`: such a key is a bug upstream, and a store must not write outside its location for it.
 */
export function assertRelativeKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '')) {
    throw new StoreError(key, 'not a relative key');
  }
}
/** One stored object as a listing describes it. */
export interface ObjectInfo {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  /**
   * A fingerprint of the content: S3's ETag (unquoted; the MD5 of a single-part upload), and the
   * MD5 (hex) of the file in a folder. Equal content written the same way gives the same etag.
   */
  readonly etag: string;
}

export interface ResultStore {
  /** Where the results live, for messages: an absolute folder or `s3://bucket/prefix`. */
  readonly location: string;
  /** Writes (or overwrites) one object. */
  put(key: string, body: string, contentType: string): Promise<void>;
  /** Writes only if `key` does not exist yet; false when it already existed (nothing written). */
  putIfAbsent(key: string, body: string, contentType: string): Promise<boolean>;
  /** The object's text, or null when it does not exist. */
  get(key: string): Promise<string | null>;
  /** Every key under `prefix` (recursively), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Every object under `prefix` with its size and fingerprint, sorted by key (to verify state against its manifest). */
  listObjects(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes every key under `prefix` (a folder `a/b/`, or one whole key); nothing there is fine. */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * Removes the temporary files that interrupted writes left behind and that are older than
   * `olderThan` (a store whose writes leave none, such as S3, has no such method). Returns their keys.
   */
  removeTemporaries?(olderThan: Date): Promise<string[]>;
  /** A location a person can open for `key` (path, `s3://` URI). */
  uriFor(key: string): string;
  /** A web console link to `key`, where there is one (S3 with a known region). */
  consoleUrlFor?(key: string): string | undefined;
}

/** Content types of the layout's files. */
export const CONTENT_TYPE = {
  jsonl: 'application/x-ndjson',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
} as const;
