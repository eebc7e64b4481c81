/**
 * `s3://bucket/prefix` locations (lake and results in the config, docs/design.md §2) parsed once,
 * so that adapters never split URIs by hand.
 */
import { InputError } from './errors';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix without leading or trailing `/`; empty for the bucket root. */
  readonly prefix: string;
}

// S3 bucket naming rules: 3-63 characters, lowercase letters, digits, '.' and '-', starting and
// ending with a letter or digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** True when `location` is an `s3://` URI (the config's way of saying "not a local folder"). */
export function isS3Uri(location: string): boolean {
  return location.startsWith('s3://');
}

/**
 * Splits `s3://bucket/some/prefix/` into `{ bucket: 'bucket', prefix: 'some/prefix' }`.
 * @param what names the field in the error, such as `results.location`
 */
export function parseS3Uri(uri: string, what = 'location'): S3Location {
  if (!isS3Uri(uri)) throw new InputError(`${what}: '${uri}' is not an s3:// URI`);
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  // One trailing slash is common (`s3://b/results/`); anything else odd is most likely a typo.
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/$/, '');
  if (!BUCKET.test(bucket)) throw new InputError(`${what}: '${bucket}' is not a valid S3 bucket name (in '${uri}')`);
  if (prefix !== '' && prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new InputError(`${what}: '${uri}' has an empty, '.' or '..' path segment`);
  }
  return { bucket, prefix };
}

/** The object key of `key` under `prefix` (no leading slash, one `/` between). */
export function joinKey(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}/${key}`;
}

/** `s3://bucket/prefix` (no trailing slash). */
export function formatS3Uri({ bucket, prefix }: S3Location): string {
  return prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}`;
}
