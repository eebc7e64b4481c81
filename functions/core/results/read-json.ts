/**
 * Reading earlier results back from the store: absent is null (a night that never ran), and a file
 * that is not valid JSON is a `StoreError` naming its key, never a bare `SyntaxError`.
 */
import { StoreError } from '../errors';
import { fromJsonLines } from './json-lines';
import type { ResultStore } from './store';

/** The JSON value at `key`, or null when there is no such key. */
export async function readJson<T>(store: ResultStore, key: string): Promise<T | null> {
  return parseAt(key, await store.get(key), (text) => JSON.parse(text) as T);
}

/** The rows of the JSON Lines file at `key`, or null when there is no such key. */
export async function readJsonLines<T>(store: ResultStore, key: string): Promise<T[] | null> {
  return parseAt(key, await store.get(key), (text) => fromJsonLines<T>(text));
}

function parseAt<T>(key: string, text: string | null, parse: (text: string) => T): T | null {
  if (text === null) return null;
  try {
    return parse(text);
  } catch (err) {
    throw new StoreError(key, `not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}
