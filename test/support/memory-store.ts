/**
 * An in-memory `ResultStore` for unit tests: the same contract as the folder and S3 stores
 * (relative keys, sorted recursive `list` by string prefix, atomic `putIfAbsent`), plus seams to
 * inspect what was written and to make chosen operations fail.
 */

import { createHash } from 'node:crypto';
import { StoreError } from '../../functions/core/errors';
import type { ObjectInfo, ResultStore } from '../../functions/core/results/store';

export type StoreOp = 'put' | 'putIfAbsent' | 'get' | 'list' | 'deletePrefix';

export interface StoredObject {
  readonly body: string;
  readonly contentType: string;
}

export class MemoryResultStore implements ResultStore {
  readonly location = 'memory://results';
  /** Every object, by key. Tests may read or seed it directly. */
  readonly objects = new Map<string, StoredObject>();
  /** Every call, in order: `op key`. */
  readonly calls: string[] = [];
  /**
   * Return true to make an operation fail with a `StoreError` (checked before it has any effect).
   * Example: `store.failWhen = (op, key) => op === 'put' && key.endsWith('.json')`.
   */
  failWhen: ((op: StoreOp, key: string) => boolean) | undefined;

  /** A store holding `seed` (key -> text). */
  constructor(seed: Record<string, string> = {}) {
    for (const [key, body] of Object.entries(seed)) this.objects.set(key, { body, contentType: 'text/plain' });
  }

  private enter(op: StoreOp, key: string): void {
    this.calls.push(`${op} ${key}`);
    if (key === '' || key.startsWith('/') || key.split('/').includes('..')) throw new StoreError(key, 'not a relative key');
    if (this.failWhen?.(op, key)) throw new StoreError(key, `injected ${op} failure`);
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    this.enter('put', key);
    this.objects.set(key, { body, contentType });
  }

  async putIfAbsent(key: string, body: string, contentType: string): Promise<boolean> {
    this.enter('putIfAbsent', key);
    if (this.objects.has(key)) return false;
    this.objects.set(key, { body, contentType });
    return true;
  }

  async get(key: string): Promise<string | null> {
    this.enter('get', key);
    return this.objects.get(key)?.body ?? null;
  }

  async list(prefix: string): Promise<string[]> {
    this.calls.push(`list ${prefix}`);
    if (this.failWhen?.('list', prefix)) throw new StoreError(prefix, 'injected list failure');
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  /** Sizes in UTF-8 bytes and MD5 etags, as the folder store gives them. */
  async listObjects(prefix: string): Promise<ObjectInfo[]> {
    return (await this.list(prefix)).map((key) => {
      const body = Buffer.from(this.objects.get(key)?.body ?? '', 'utf8');
      return { key, size: body.length, etag: createHash('md5').update(body).digest('hex') };
    });
  }

  async deletePrefix(prefix: string): Promise<void> {
    this.enter('deletePrefix', prefix);
    for (const key of [...this.objects.keys()]) if (key.startsWith(prefix)) this.objects.delete(key);
  }

  uriFor(key: string): string {
    return `${this.location}/${key}`;
  }

  /** The text of `key`, or undefined. */
  text(key: string): string | undefined {
    return this.objects.get(key)?.body;
  }

  /** Keys under `prefix`, sorted (synchronous, for assertions). */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}
