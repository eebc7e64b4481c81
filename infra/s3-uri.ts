/**
 * S3 URLs for Glue and Athena, which want folders with a trailing slash. Parsing `s3://` URIs is
 * core's job (`functions/core/s3-uri.ts`), so the stack accepts exactly what the adapters accept.
 */
import type { S3Location } from '../functions/core/s3-uri';

export type { S3Location } from '../functions/core/s3-uri';

/** `prefix/` for a non-empty prefix, `''` otherwise: what goes before a key below the location. */
export function keyPrefix(location: S3Location): string {
  return location.prefix ? `${location.prefix}/` : '';
}

/** `s3://bucket/prefix/` plus `sub`: the folder form Athena and Glue expect. */
export function s3Url(location: S3Location, sub = ''): string {
  return `s3://${location.bucket}/${keyPrefix(location)}${sub}`;
}
