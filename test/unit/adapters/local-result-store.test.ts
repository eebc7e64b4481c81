import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalResultStore } from '../../../functions/adapters/local-result-store';
import { StoreError } from '../../../functions/core/errors';
import { CONTENT_TYPE } from '../../../functions/core/results/store';

let dir: string;
let store: LocalResultStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsm-local-store-'));
  store = new LocalResultStore(join(dir, 'results'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalResultStore', () => {
  it('location and uriFor are absolute paths under the folder', () => {
    expect(store.location).toBe(join(dir, 'results'));
    expect(store.uriFor('metrics/dt=2024-01-02/metrics.jsonl')).toBe(join(dir, 'results', 'metrics', 'dt=2024-01-02', 'metrics.jsonl'));
  });

  it.each(['../escape.json', 'a/../../b', '/etc/passwd', '', 'a//b'])('rejects key %j', (key) => {
    expect(() => store.uriFor(key)).toThrow(StoreError);
  });

  describe('put/get', () => {
    it('creates folders, round-trips text, overwrites, and leaves no temp file', async () => {
      await store.put('runs/dt=2024-01-02/run.json', '{"a":1}', CONTENT_TYPE.json);
      expect(await store.get('runs/dt=2024-01-02/run.json')).toBe('{"a":1}');
      await store.put('runs/dt=2024-01-02/run.json', 'ünïcode ✓\n', CONTENT_TYPE.json);
      expect(await store.get('runs/dt=2024-01-02/run.json')).toBe('ünïcode ✓\n');
      expect(await readdir(join(dir, 'results', 'runs', 'dt=2024-01-02'))).toEqual(['run.json']);
    });

    it('get of a missing key is null', async () => {
      expect(await store.get('nope/missing.json')).toBeNull();
    });

    it('a write that cannot happen is a StoreError naming the key', async () => {
      // A file where a folder must be created.
      await store.put('blocker', 'x', CONTENT_TYPE.json);
      await expect(store.put('blocker/child.json', 'y', CONTENT_TYPE.json)).rejects.toThrow(
        /results store blocker\/child\.json: cannot write/,
      );
    });
  });

  describe('putIfAbsent', () => {
    it('writes once, then returns false and keeps the first body', async () => {
      const key = 'state/alerts-sent/dt=2024-01-02/drop--nsm.json';
      expect(await store.putIfAbsent(key, 'first', CONTENT_TYPE.json)).toBe(true);
      expect(await store.putIfAbsent(key, 'second', CONTENT_TYPE.json)).toBe(false);
      expect(await store.get(key)).toBe('first');
    });

    it('exactly one of many concurrent callers wins', async () => {
      const key = 'state/race.json';
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.putIfAbsent(key, String(i), CONTENT_TYPE.json)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('never shows the key before its whole body is there (a crash cannot leave it empty)', async () => {
      const key = 'alerts-sent/dt=2024-01-02/drop-0123456789abcdef.claim-0';
      const body = 'x'.repeat(4 << 20);
      const seen = new Set<number>();
      let done = false;
      const reader = (async () => {
        while (!done) {
          const text = await store.get(key);
          if (text !== null) seen.add(text.length);
        }
      })();
      await store.putIfAbsent(key, body, CONTENT_TYPE.json);
      done = true;
      await reader;
      seen.add((await store.get(key))?.length ?? -1);
      expect([...seen]).toEqual([body.length]);
      expect(await readdir(join(dir, 'results', 'alerts-sent', 'dt=2024-01-02'))).toEqual(['drop-0123456789abcdef.claim-0']);
    });
  });

  describe('listObjects', () => {
    it('gives each file its size and MD5, as S3 gives a single-part upload its ETag', async () => {
      await store.put('state/daily/dt=2024-01-01/data.parquet', 'hello', CONTENT_TYPE.json);
      await store.put('state/daily/dt=2024-01-02/data.parquet', 'héllo', CONTENT_TYPE.json);
      // python3 -c "import hashlib; print(hashlib.md5(b'hello').hexdigest(), hashlib.md5('héllo'.encode()).hexdigest())"
      expect(await store.listObjects('state/daily/')).toEqual([
        { key: 'state/daily/dt=2024-01-01/data.parquet', size: 5, etag: '5d41402abc4b2a76b9719d911017c592' },
        { key: 'state/daily/dt=2024-01-02/data.parquet', size: 6, etag: 'be50e8478cf24ff3595bc7307fb91b50' },
      ]);
      expect(await store.listObjects('nothing/')).toEqual([]);
    });
  });

  describe('removeTemporaries', () => {
    it('removes temporary files older than the given time anywhere in the folder, and nothing else', async () => {
      const { utimes } = await import('node:fs/promises');
      await store.put('metrics/dt=2024-01-02/metrics.jsonl', 'ok', CONTENT_TYPE.jsonl);
      await store.put('state/daily/dt=2024-01-02/data.parquet', 'ok', CONTENT_TYPE.json);
      const old = [
        join(dir, 'results', 'metrics', 'dt=2024-01-02', 'metrics.jsonl.1.abc.tmp'),
        join(dir, 'results', 'state', 'daily', 'dt=2024-01-02', 'data.parquet.partial-4242'),
      ];
      const fresh = join(dir, 'results', 'state', 'daily', 'dt=2024-01-02', 'data.parquet.2.def.tmp');
      const cutoff = new Date('2024-01-03T00:00:00Z');
      for (const f of old) {
        await writeFile(f, 'half');
        await utimes(f, new Date('2024-01-02T00:00:00Z'), new Date('2024-01-02T00:00:00Z'));
      }
      await writeFile(fresh, 'being written');
      expect(await store.removeTemporaries(cutoff)).toEqual([
        'metrics/dt=2024-01-02/metrics.jsonl.1.abc.tmp',
        'state/daily/dt=2024-01-02/data.parquet.partial-4242',
      ]);
      expect((await readdir(join(dir, 'results', 'state', 'daily', 'dt=2024-01-02'))).sort()).toEqual([
        'data.parquet',
        'data.parquet.2.def.tmp',
      ]);
      expect(await store.list('')).toEqual(['metrics/dt=2024-01-02/metrics.jsonl', 'state/daily/dt=2024-01-02/data.parquet']);
      expect(await new LocalResultStore(join(dir, 'absent')).removeTemporaries(cutoff)).toEqual([]);
    });
  });

  describe('list', () => {
    beforeEach(async () => {
      for (const k of [
        'metrics/dt=2024-01-10/metrics.jsonl',
        'metrics/dt=2024-01-02/metrics.jsonl',
        'metrics/dt=2024-02-01/metrics.jsonl',
        'candidates/dt=2024-01-02/candidates.jsonl',
        'latest.json',
      ]) {
        await store.put(k, 'x', CONTENT_TYPE.jsonl);
      }
    });

    it('lists every key under a folder prefix recursively, sorted', async () => {
      expect(await store.list('metrics/')).toEqual([
        'metrics/dt=2024-01-02/metrics.jsonl',
        'metrics/dt=2024-01-10/metrics.jsonl',
        'metrics/dt=2024-02-01/metrics.jsonl',
      ]);
    });

    it('treats the prefix as a string prefix, like S3', async () => {
      expect(await store.list('metrics/dt=2024-01')).toEqual([
        'metrics/dt=2024-01-02/metrics.jsonl',
        'metrics/dt=2024-01-10/metrics.jsonl',
      ]);
    });

    it('lists everything for the empty prefix', async () => {
      expect(await store.list('')).toEqual([
        'candidates/dt=2024-01-02/candidates.jsonl',
        'latest.json',
        'metrics/dt=2024-01-02/metrics.jsonl',
        'metrics/dt=2024-01-10/metrics.jsonl',
        'metrics/dt=2024-02-01/metrics.jsonl',
      ]);
    });

    it('is empty for a missing folder or a missing store', async () => {
      expect(await store.list('alerts/')).toEqual([]);
      expect(await new LocalResultStore(join(dir, 'absent')).list('metrics/')).toEqual([]);
    });

    it('skips temp files of an interrupted write', async () => {
      await writeFile(join(dir, 'results', 'metrics', 'dt=2024-01-02', 'metrics.jsonl.1.abc.tmp'), 'half');
      expect(await store.list('metrics/dt=2024-01-02/')).toEqual(['metrics/dt=2024-01-02/metrics.jsonl']);
    });
  });

  describe('deletePrefix', () => {
    it('deletes a folder with everything in it, and only that folder', async () => {
      await store.put('state/entries/dt=2024-01-01/data.parquet', 'a', CONTENT_TYPE.json);
      await store.put('state/entries/dt=2024-01-01/more/part-1.parquet', 'b', CONTENT_TYPE.json);
      await store.put('state/entries/dt=2024-01-02/data.parquet', 'c', CONTENT_TYPE.json);
      await store.deletePrefix('state/entries/dt=2024-01-01/');
      expect(await store.list('state/')).toEqual(['state/entries/dt=2024-01-02/data.parquet']);
      expect(await readdir(join(dir, 'results', 'state', 'entries'))).toEqual(['dt=2024-01-02']);
    });

    it('deletes one key, and a missing prefix is fine', async () => {
      await store.put('state/manifests/entries/dt=2024-01-01.json', '{}', CONTENT_TYPE.json);
      await store.put('state/manifests/entries/dt=2024-01-02.json', '{}', CONTENT_TYPE.json);
      await store.deletePrefix('state/manifests/entries/dt=2024-01-01.json');
      await store.deletePrefix('state/nothing-here/');
      expect(await store.list('state/')).toEqual(['state/manifests/entries/dt=2024-01-02.json']);
    });
  });
});
