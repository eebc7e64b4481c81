/**
 * Row-for-row comparison of two results stores' nights (the Athena path's S3 and the DuckDB
 * path's folder): every document of a night, field by field, numbers within a relative tolerance
 * (two engines may sum doubles in another order), everything else exactly. The results
 * location, which differs between the two on purpose, is replaced by `<results>` in every text
 * first; fields that describe the run rather than its results (times, query ids, engine) are
 * left out, and listed here.
 */
import { closeEnough } from '../../../bench/agreement';
import { fromJsonLines } from '../../../functions/core/results/json-lines';
import { alertsKey, candidatesKey, metricsKey, reportJsonKey, runKey, segmentsKey, sweepKey } from '../../../functions/core/results/layout';
import type { ResultStore } from '../../../functions/core/results/store';

/** Doubles agree within this relative difference. */
export const REL_TOL = 1e-9;

/** What a night's documents may differ in between engines: how the run went, not what it found. */
const RUN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'report.json': ['generated_at', 'engine', 'run'],
  // run.json is about the run; what it says about the data is compared.
  'run.json': ['run_id', 'engine', 'started_at', 'finished_at', 'ms', 'queries', 'bytes_scanned', 'cost_usd'],
};

/** The documents of night `dt` that both paths must write alike (null = absent is compared too). */
export function nightKeys(dt: string): string[] {
  return [metricsKey(dt), segmentsKey(dt), candidatesKey(dt), sweepKey(dt), alertsKey(dt), reportJsonKey(dt), runKey(dt)];
}

/** Differences between two JSON values, one line each (`path: a vs b`); empty when equal. */
export function diffValues(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!closeEnough(a, b, REL_TOL)) out.push(`${path}: ${a} vs ${b}`);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} items vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diffValues(a[i], b[i], `${path}[${i}]`, out);
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      if (!(key in ao) || !(key in bo)) out.push(`${path}.${key}: ${key in ao ? 'only in the first' : 'only in the second'}`);
      else diffValues(ao[key], bo[key], `${path}.${key}`, out);
    }
    return out;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

/**
 * The alert text's `Open:` line, a console link that only an S3 store has (the local folder has
 * no console): where the report is, not what the night found. As it appears inside a JSON string.
 */
const CONSOLE_LINK_LINE = /Open: +https:\/\/s3\.console\.aws\.amazon\.com\/[^\s"\\]*\\n/g;

/** A document's rows (JSON Lines) or object (JSON), run fields left out, the location replaced. */
async function readDocument(store: ResultStore, key: string): Promise<unknown> {
  const text = await store.get(key);
  if (text === null) return null;
  const normalized = text.split(store.location).join('<results>').replace(CONSOLE_LINK_LINE, '');
  const file = key.split('/').pop()!;
  if (file.endsWith('.jsonl')) return fromJsonLines(normalized);
  const doc = JSON.parse(normalized) as Record<string, unknown>;
  for (const field of RUN_FIELDS[file] ?? []) delete doc[field];
  return doc;
}

/** Differences between the two stores' documents of night `dt`, prefixed with the key. */
export async function diffNight(a: ResultStore, b: ResultStore, dt: string): Promise<string[]> {
  const out: string[] = [];
  for (const key of nightKeys(dt)) {
    const [x, y] = await Promise.all([readDocument(a, key), readDocument(b, key)]);
    out.push(...diffValues(x, y).map((d) => `${key}${d}`));
  }
  return out;
}
