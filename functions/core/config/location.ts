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

/**
 * A location as comparable path segments: `['s3:', bucket, ...prefix]` or a local path's folders
 * (`\` read as `/`, `.` and empty segments dropped, `..` applied), with whether it is absolute.
 * Null for a location `locationProblem` rejects.
 */
function segments(location: string): { readonly absolute: boolean; readonly parts: readonly string[] } | null {
  if (isS3Uri(location)) {
    try {
      const { bucket, prefix } = parseS3Uri(location, WHAT);
      return { absolute: true, parts: ['s3:', bucket, ...(prefix === '' ? [] : prefix.split('/'))] };
    } catch {
      return null;
    }
  }
  const path = location.trim().replaceAll('\\', '/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return { absolute: path.startsWith('/') || /^[A-Za-z]:\//.test(path), parts };
}

const startsWith = (whole: readonly string[], head: readonly string[]) => head.every((part, i) => whole[i] === part);

/**
 * The problem with a results location that overlaps the lake, or `undefined`. Inside the lake, the
 * lake's readers would see the results (a folder, a Glue table over the prefix); around the lake,
 * a run's housekeeping (old temporary files removed, state folders cleared) would reach into it.
 * Both locations are compared as written, so relative folders compare as the same config's
 * folders; the loader checks again once they are resolved (functions/wiring/load-config.ts).
 */
export function overlapProblem(lake: string, results: string): string | undefined {
  const l = segments(lake);
  const r = segments(results);
  if (l === null || r === null || l.absolute !== r.absolute) return undefined;
  const advice = '(use a folder beside the lake)';
  if (r.parts.length === l.parts.length && startsWith(r.parts, l.parts)) {
    return `${quoted(results)} is lake.location ${quoted(lake)}; the lake's readers would see the results ${advice}`;
  }
  if (startsWith(r.parts, l.parts) && r.parts.length > l.parts.length) {
    return `${quoted(results)} lies inside lake.location ${quoted(lake)}; the lake's readers would see the results ${advice}`;
  }
  if (startsWith(l.parts, r.parts)) {
    return `${quoted(results)} holds lake.location ${quoted(lake)}; a run's housekeeping would reach into the lake ${advice}`;
  }
  return undefined;
}
