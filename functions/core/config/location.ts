/**
 * The rule for lake and results locations (docs/design.md §2): `s3://bucket/prefix` or a local folder.
 * S3 URIs are checked by the very parser the adapters use (`../s3-uri.ts`), so a location the
 * loader accepts is one the adapters can open. Resolving a relative folder against the config
 * file's folder is the loader's job (`functions/wiring/load-config.ts`): core does not know about files.
 */
import { InputError } from '../errors';
import { isS3Uri, parseS3Uri } from '../s3-uri';
import { quoted } from './messages';

/** Any `scheme://`: only `s3://` is ours; `S3://`, `s3a://`, `https://` are mistakes to report. */
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** The field name handed to `parseS3Uri`, cut off again: our messages carry the field separately. */
const WHAT = 'location';

/** The problem with a location as a one-line message, or `undefined` when it is usable. */
export function locationProblem(text: string): string | undefined {
  if (text.trim() === '') return 'must not be empty';
  if (isS3Uri(text)) {
    try {
      parseS3Uri(text, WHAT);
      return undefined;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return error.message.startsWith(`${WHAT}: `) ? error.message.slice(WHAT.length + 2) : error.message;
    }
  }
  if (URL_LIKE.test(text)) return `must be s3://bucket/prefix or a local path, got ${quoted(text)}`;
  return undefined;
}
