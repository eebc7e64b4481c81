import { describe, expect, it } from 'vitest';
import { dayRange } from '../../../../functions/core/dates';
import {
  deleteSnapshotsAfter,
  KEEP_RECENT_SNAPSHOT_DAYS,
  pruneSnapshots,
  snapshotsToPrune,
} from '../../../../functions/core/state/prune-snapshots';
import { MemoryResultStore } from '../../../support/memory-store';

describe('snapshotsToPrune', () => {
  it('keeps the last week up to D, every night after D, and the first snapshot of each month', () => {
    const nights = dayRange('2024-04-25', '2024-06-10');
    const pruned = snapshotsToPrune(nights, '2024-06-05');
    expect(KEEP_RECENT_SNAPSHOT_DAYS).toBe(7);
    const kept = nights.filter((n) => !pruned.includes(n));
    expect(kept).toEqual([
      '2024-04-25', // the first of April's snapshots
      '2024-05-01',
      '2024-05-30', // D-6 … D
      '2024-05-31',
      '2024-06-01',
      '2024-06-02',
      '2024-06-03',
      '2024-06-04',
      '2024-06-05',
      '2024-06-06', // after D: a re-run of an older night never deletes newer ones
      '2024-06-07',
      '2024-06-08',
      '2024-06-09',
      '2024-06-10',
    ]);
    expect(pruned).toEqual(pruned.slice().sort());
  });

  it('leaves a base within about a month for any older night (the month anchors are stable)', () => {
    const nights = dayRange('2024-01-01', '2024-06-30');
    const kept = nights.filter((n) => !snapshotsToPrune(nights, '2024-06-30').includes(n));
    // Pruning again after the next night keeps the same anchors.
    expect(kept.filter((n) => !snapshotsToPrune(kept, '2024-07-01').includes(n)).slice(0, 6)).toEqual(kept.slice(0, 6));
    for (const night of dayRange('2024-01-03', '2024-06-30')) {
      const base = kept.filter((k) => k <= night).at(-1)!;
      expect(Math.round((Date.parse(night) - Date.parse(base)) / 86_400_000), night).toBeLessThanOrEqual(31);
    }
  });

  it('prunes nothing when every snapshot is recent', () => {
    expect(snapshotsToPrune(['2024-06-28', '2024-06-29', '2024-06-30'], '2024-06-30')).toEqual([]);
  });
});

describe('pruneSnapshots', () => {
  it('marks each doomed manifest, deletes every build of that night, then the manifest; the rest is untouched', async () => {
    const seed: Record<string, string> = {};
    for (const night of dayRange('2024-05-20', '2024-06-10')) {
      seed[`state/manifests/entries/dt=${night}.json`] = JSON.stringify({
        dt: night,
        shape: 's',
        build: 'b1',
        built_at: '',
        built_by: night,
        rows: 1,
      });
      seed[`state/entries/${night}.b1/data.parquet`] = 'x';
    }
    // A night's build that no manifest names (a killed attempt) goes too.
    seed['state/entries/2024-05-21.zz9/part-0.parquet'] = 'x';
    const store = new MemoryResultStore(seed);
    const pruned = await pruneSnapshots(store, '2024-06-10', () => new Date('2024-06-11T06:00:00Z'));
    // Kept: 2024-05-20 (May's first), 2024-06-01 (June's first), 2024-06-04 … 2024-06-10 (the last week).
    expect(pruned).toEqual([...dayRange('2024-05-21', '2024-05-31'), '2024-06-02', '2024-06-03']);
    const nights = (prefix: string) => [...new Set(store.keys(prefix).map((k) => /(\d{4}-\d{2}-\d{2})/.exec(k)![1]))];
    expect(nights('state/manifests/')).toEqual(['2024-05-20', '2024-06-01', ...dayRange('2024-06-04', '2024-06-10')]);
    expect(nights('state/entries/')).toEqual(nights('state/manifests/'));
    const first = store.calls.filter((c) => c.includes('2024-05-21') && !c.startsWith('get '));
    expect(first).toEqual([
      'put state/manifests/entries/dt=2024-05-21.json',
      'list state/entries/2024-05-21.',
      'deletePrefix state/entries/2024-05-21.b1/',
      'deletePrefix state/entries/2024-05-21.zz9/',
      'deletePrefix state/entries/dt=2024-05-21/',
      'deletePrefix state/manifests/entries/dt=2024-05-21.json',
    ]);
  });

  it('stops at a failed delete, leaving that manifest marked (with its build) for the next night to find', async () => {
    const store = new MemoryResultStore({
      'state/manifests/entries/dt=2024-05-01.json': '{}', // May's first: kept
      'state/manifests/entries/dt=2024-05-02.json': JSON.stringify({
        dt: '2024-05-02',
        shape: 's',
        build: 'b7',
        built_at: '',
        built_by: '',
        rows: 1,
      }),
      'state/entries/2024-05-02.b7/data.parquet': 'x',
      'state/manifests/entries/dt=2024-05-03.json': '{}',
    });
    store.failWhen = (op, key) => op === 'deletePrefix' && key === 'state/entries/2024-05-02.b7/';
    await expect(pruneSnapshots(store, '2024-06-30', () => new Date(0))).rejects.toThrow('injected deletePrefix failure');
    expect(JSON.parse(store.text('state/manifests/entries/dt=2024-05-02.json')!)).toMatchObject({
      shape: 'pruning',
      build: 'b7',
      built_by: '2024-06-30',
    });
    expect(store.text('state/manifests/entries/dt=2024-05-03.json')).toBe('{}');
  });
});

describe('deleteSnapshotsAfter', () => {
  it('deletes the snapshots strictly between a re-judged night and the run, each safely; D and the rest stay', async () => {
    const seed: Record<string, string> = {};
    for (const night of dayRange('2024-05-04', '2024-05-09')) {
      const manifest = { dt: night, shape: 's', build: 'b1', built_at: '', built_by: night, rows: 1 };
      seed[`state/manifests/entries/dt=${night}.json`] = JSON.stringify(manifest);
      seed[`state/entries/${night}.b1/data.parquet`] = 'x';
    }
    const store = new MemoryResultStore(seed);
    // Night 05-06 was re-judged by the run of 05-09 (whose own snapshot it builds next).
    expect(await deleteSnapshotsAfter(store, '2024-05-06', '2024-05-09', () => new Date(0))).toEqual(['2024-05-07', '2024-05-08']);
    const nights = (prefix: string) => [...new Set(store.keys(prefix).map((k) => /(\d{4}-\d{2}-\d{2})/.exec(k)![1]))];
    expect(nights('state/manifests/')).toEqual(['2024-05-04', '2024-05-05', '2024-05-06', '2024-05-09']);
    expect(nights('state/entries/')).toEqual(nights('state/manifests/'));
    // As pruning does: the manifest marked first, then the builds, then the manifest.
    const puts = store.calls.filter((c) => c.includes('2024-05-07') && (c.startsWith('put ') || c.startsWith('deletePrefix ')));
    expect(puts[0]).toBe('put state/manifests/entries/dt=2024-05-07.json');
    expect(puts.at(-1)).toBe('deletePrefix state/manifests/entries/dt=2024-05-07.json');
  });
});
