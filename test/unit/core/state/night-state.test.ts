/**
 * `prepareNightState` decides which rollups a night (re)builds, whether the first-entry snapshot
 * is folded from an earlier one or read from the lake in bounded chunks, and switches each day's
 * manifest to the build it wrote. These tests drive it with an in-memory store and a recording
 * fake of the engine's state capability (which also writes a file into each build folder, as the
 * engines do), so each decision is asserted directly (the DuckDB integration tests only see the
 * end result).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/core/config/parse';
import type { NsmConfig } from '../../../../functions/core/config/types';
import { addDays, dayRange, daysBetween } from '../../../../functions/core/dates';
import type { Query, QueryStats, StateCapability } from '../../../../functions/core/engine';
import { legacyStateFolderKey, type StateKind, stateBuildFolder, stateManifestKey } from '../../../../functions/core/results/layout';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { buildEntriesSelect, lakeEntryRows, rollupEntryRows } from '../../../../functions/core/sql/entries-query';
import { buildRollupSelect } from '../../../../functions/core/sql/rollup-query';
import type { StateManifest } from '../../../../functions/core/state/manifest';
import { prepareNightState } from '../../../../functions/core/state/night-state';
import {
  chunkDays,
  LOOKBACK_DAYS,
  MAX_SNAPSHOT_GAP_DAYS,
  type PlanLimits,
  RECHECK_EMPTY_DAYS,
  rollupDaysFor,
} from '../../../../functions/core/state/state-plan';
import { entriesShape, rollupShape } from '../../../../functions/core/state/state-shape';
import { demoConfigYaml } from '../../../../functions/demo/demo-config';
import { lakeConfig, testConfig } from '../../../support/config';
import { MemoryResultStore } from '../../../support/memory-store';

const DT = '2024-06-15';
const NOW = new Date('2024-06-16T06:00:00.000Z');
const dialect = duckdbDialect();
/** A lake of 400 days up to DT. */
const LAKE_START = addDays(DT, -399);
const LIMITS: PlanLimits = { lakeStart: LAKE_START, maxDays: 31 };

/** The demo config: metrics up to 7 days wide and candidates (entry event `signed_up`). */
const demo: NsmConfig = parseConfig(demoConfigYaml({ lakeDir: 'lake', resultsDir: 'results' }), '<demo>');
const ENTRY = 'signed_up';
const DAILY_SHAPE = rollupShape(demo);
const ENTRIES_SHAPE = entriesShape(demo, ENTRY);
/** The build id every seeded manifest names. */
const OLD = 'old0';

/** A config without candidates: rollups only, no snapshot. */
const noCandidates: NsmConfig = testConfig({
  lake: lakeConfig('/lake'),
  results: '/results',
  metrics: [{ id: 'wau', name: 'WAU', type: 'distinct_users', events: undefined, window_days: 7 }],
  north_star: 'wau',
});

interface Materialized {
  readonly query: Query;
  readonly kind: StateKind;
  readonly day: string;
  readonly build: string;
  /** The manifest's text in the store while the state was being written. */
  readonly manifestDuring: string | undefined;
}

/**
 * A recording fake of the engine's state capability: each build writes `data.parquet` into its
 * own folder (ids b1, b2, … in the order builds start); relations are readable strings.
 */
function fakeState(store: MemoryResultStore, rowsWritten: (kind: StateKind, day: string) => number | null = () => 42) {
  const materialized: Materialized[] = [];
  const relations: Array<{ kind: StateKind; builds: string[] }> = [];
  let next = 0;
  const state: StateCapability = {
    sql: {
      target: (kind, day, build) => `${stateBuildFolder(kind, day, build)}data.parquet`,
      relation: (kind, builds) => {
        relations.push({ kind, builds: builds.map((b) => `${b.day}.${b.build}`) });
        return `state_${kind}(${builds.map((b) => b.day).join(',')})`;
      },
      materialize: (select, kind, day, build) => `COPY (${select}) TO '${stateBuildFolder(kind, day, build)}data.parquet'`,
    },
    materialize: async (query, kind, day) => {
      const build = `b${++next}`;
      materialized.push({ query, kind, day, build, manifestDuring: store.text(stateManifestKey(kind, day)) });
      // Let other builds interleave, as real engines do.
      await new Promise((resolve) => setTimeout(resolve, 0));
      store.objects.set(`${stateBuildFolder(kind, day, build)}data.parquet`, { body: 'parquet', contentType: 'application/octet-stream' });
      const stats: QueryStats = { name: query.name, query_id: null, ms: 1, bytes_scanned: null, rows: 0 };
      return { stats, rowsWritten: rowsWritten(kind, day), build };
    },
  };
  const rollupDays = () =>
    materialized
      .filter((m) => m.kind === 'daily')
      .map((m) => m.day)
      .sort();
  const entriesBuilds = () => materialized.filter((m) => m.kind === 'entries');
  return { state, materialized, relations, rollupDays, entriesBuilds };
}

/** The listing entry of a file with `body` (size and MD5, as the stores give). */
const fileInfo = (key: string, body: string) => ({ key, size: body.length, etag: createHash('md5').update(body).digest('hex') });

/** A manifest of `build`, recording the one file the seeds below write into its folder. */
function manifest(day: string, shape: string, rows: number | null = 100, build = OLD, kind: StateKind = 'daily'): string {
  const files = [fileInfo(`${stateBuildFolder(kind, day, build)}data.parquet`, 'old')];
  return `${JSON.stringify({ dt: day, shape, build, built_at: '2024-01-01T00:00:00.000Z', built_by: day, rows, files } satisfies StateManifest)}\n`;
}

/** Seeds current-shape rollup manifests for `days` (rows 100 unless given), and their build folders. */
function seedRollups(store: MemoryResultStore, days: readonly string[], rows: number | null = 100): void {
  for (const day of days) {
    store.objects.set(stateManifestKey('daily', day), { body: manifest(day, DAILY_SHAPE, rows), contentType: 'application/json' });
    store.objects.set(`${stateBuildFolder('daily', day, OLD)}data.parquet`, { body: 'old', contentType: 'application/octet-stream' });
  }
}

function seedSnapshot(store: MemoryResultStore, night: string, shape = ENTRIES_SHAPE): void {
  store.objects.set(stateManifestKey('entries', night), {
    body: manifest(night, shape, 1000, OLD, 'entries'),
    contentType: 'application/json',
  });
  store.objects.set(`${stateBuildFolder('entries', night, OLD)}data.parquet`, { body: 'old', contentType: 'application/octet-stream' });
}

/** A steady store: every needed rollup built in the current shape, last-but-one night's snapshot in place. */
function steadyStore(): MemoryResultStore {
  const store = new MemoryResultStore();
  seedRollups(store, [...new Set([...rollupDaysFor(demo, DT), ...dayRange(addDays(DT, -2), DT)])]);
  seedSnapshot(store, addDays(DT, -2));
  return store;
}

async function run(
  store: MemoryResultStore,
  config: NsmConfig = demo,
  rowsWritten?: (kind: StateKind, day: string) => number | null,
  limits: PlanLimits = LIMITS,
) {
  const fake = fakeState(store, rowsWritten);
  const warnings: string[] = [];
  const night = await prepareNightState(
    config,
    DT,
    { state: fake.state, dialect, store, now: () => NOW, warn: (l) => warnings.push(l) },
    limits,
  );
  return { ...fake, night, warnings };
}

const readManifest = (store: MemoryResultStore, kind: StateKind, day: string) =>
  JSON.parse(store.text(stateManifestKey(kind, day)) ?? 'null') as StateManifest | null;

/** The lake days a query reads, counted (a query without lakeDays reads none). */
const lakeDayCount = (q: Query) => (q.lakeDays ? daysBetween(q.lakeDays.from ?? '0000-01-01', q.lakeDays.to) + 1 : 0);

describe('chunkDays', () => {
  it('cuts a range into chunks of at most `size` days, aligned on its end', () => {
    expect(chunkDays('2024-01-01', '2024-01-10', 4)).toEqual([
      { from: '2024-01-01', to: '2024-01-02' },
      { from: '2024-01-03', to: '2024-01-06' },
      { from: '2024-01-07', to: '2024-01-10' },
    ]);
    expect(chunkDays('2024-01-01', '2024-01-08', 4)).toHaveLength(2);
    expect(chunkDays('2024-01-05', '2024-01-05', 31)).toEqual([{ from: '2024-01-05', to: '2024-01-05' }]);
    expect(chunkDays('2024-01-01', '2024-01-03', 1)).toEqual([
      { from: '2024-01-01', to: '2024-01-01' },
      { from: '2024-01-02', to: '2024-01-02' },
      { from: '2024-01-03', to: '2024-01-03' },
    ]);
  });

  it('covers every day once, whatever the length and size', () => {
    for (const [days, size] of [
      [400, 31],
      [31, 31],
      [32, 31],
      [1, 7],
      [366, 366],
    ] as const) {
      const to = addDays('2024-01-01', days - 1);
      const chunks = chunkDays('2024-01-01', to, size);
      expect(chunks.flatMap((c) => dayRange(c.from, c.to))).toEqual(dayRange('2024-01-01', to));
      for (const c of chunks) expect(daysBetween(c.from, c.to) + 1).toBeLessThanOrEqual(size);
    }
    expect(() => chunkDays('2024-01-01', '2024-01-02', 0)).toThrow(RangeError);
  });
});

describe('prepareNightState', () => {
  it('uses the constants the decisions below assume', () => {
    expect(LOOKBACK_DAYS).toBe(1);
    expect(RECHECK_EMPTY_DAYS).toBe(7);
    expect(MAX_SNAPSHOT_GAP_DAYS).toBe(60);
    // The demo night reads the candidate hit range and the outcome range (with the metrics' 7 days inside it).
    // The hit range runs to the longest window of the actions and of the threshold sweep (the demo sweeps
    // within_days up to 14): the cohort's last entry day 2024-03-16 + 14 = 2024-03-30.
    expect(demo.candidates?.sweep?.within_days).toContain(14);
    const days = rollupDaysFor(demo, DT);
    expect(days).toEqual([...dayRange('2024-02-19', '2024-03-30'), ...dayRange('2024-05-13', DT)]);
  });

  describe('empty store (first night)', () => {
    it('builds the rollup of every day the night reads, each from its own lake partition', async () => {
      const store = new MemoryResultStore();
      const { rollupDays, materialized } = await run(store);
      const needed = rollupDaysFor(demo, DT);
      expect(rollupDays()).toEqual(needed);
      for (const m of materialized.filter((x) => x.kind === 'daily')) {
        expect(m.query).toEqual({
          name: `rollup ${m.day}`,
          sql: buildRollupSelect(dialect, demo, m.day),
          lakeDays: { from: m.day, to: m.day },
        });
      }
    });

    it('builds the entries snapshot from the lake in a chain of chunks of at most max_days_per_query days, oldest first', async () => {
      const store = new MemoryResultStore();
      const { entriesBuilds, night, relations } = await run(store);
      const chunks = chunkDays(LAKE_START, DT, 31);
      expect(chunks).toHaveLength(13); // 400 days
      const builds = entriesBuilds();
      expect(builds.map((b) => b.day)).toEqual(chunks.map((c) => c.to));
      builds.forEach((b, i) => {
        const chunk = chunks[i]!;
        const previous = i === 0 ? null : `state_entries(${chunks[i - 1]!.to})`;
        expect(b.query).toEqual({
          name: `entries ${chunk.to}`,
          sql: buildEntriesSelect(previous, lakeEntryRows(dialect, demo, ENTRY, chunk.from, chunk.to)),
          lakeDays: { from: chunk.from, to: chunk.to },
        });
        expect(lakeDayCount(b.query)).toBeLessThanOrEqual(31);
      });
      // Each chunk read the build the chunk before had just written.
      const entriesRead = relations.filter((r) => r.kind === 'entries').map((r) => r.builds[0]);
      expect(entriesRead.slice(0, -1)).toEqual(builds.slice(0, -1).map((b) => `${b.day}.${b.build}`));
      // Every chunk's snapshot is a snapshot of its night like any other, recorded by its manifest.
      for (const b of builds) expect(readManifest(store, 'entries', b.day)).toMatchObject({ shape: ENTRIES_SHAPE, build: b.build });
      expect(night.entries).toBe(`state_entries(${DT})`);
    });

    it('reads no more than max_days_per_query lake partitions in any query, whatever the bound', async () => {
      for (const maxDays of [1, 7, 31, 366]) {
        const store = new MemoryResultStore();
        const { materialized } = await run(store, demo, undefined, { lakeStart: LAKE_START, maxDays });
        expect(Math.max(...materialized.map((m) => lakeDayCount(m.query)))).toBeLessThanOrEqual(maxDays);
        // The chain still covers every lake day up to D exactly once.
        const read = materialized
          .filter((m) => m.kind === 'entries')
          .flatMap((m) => dayRange(m.query.lakeDays!.from!, m.query.lakeDays!.to));
        expect(read).toEqual(dayRange(LAKE_START, DT));
      }
    });

    it('starts the chain at D when the lake begins after it (one empty chunk)', async () => {
      const { entriesBuilds } = await run(new MemoryResultStore(), demo, undefined, { lakeStart: addDays(DT, 5), maxDays: 31 });
      expect(entriesBuilds().map((b) => b.query.lakeDays)).toEqual([{ from: DT, to: DT }]);
    });

    it('fails with a message naming lake.first_day when nobody knows where the lake starts', async () => {
      await expect(run(new MemoryResultStore(), demo, undefined, { lakeStart: null, maxDays: 31 })).rejects.toThrow(
        `night ${DT}: the first-entry snapshot is built from the lake's first day, which lake.first_day must give (the engine cannot list the lake)`,
      );
    });

    it('writes a manifest of the current shape naming each build, with the rows the engine reported', async () => {
      const store = new MemoryResultStore();
      const { night, materialized } = await run(store, demo, (kind, day) => (kind === 'entries' ? 7 : Number(day.slice(8))));
      for (const m of materialized.filter((x) => x.kind === 'daily')) {
        expect(readManifest(store, 'daily', m.day)).toEqual({
          dt: m.day,
          shape: DAILY_SHAPE,
          build: m.build,
          built_at: NOW.toISOString(),
          built_by: DT,
          rows: Number(m.day.slice(8)),
          // What the build wrote, as the store listed it right after.
          files: [fileInfo(`${stateBuildFolder('daily', m.day, m.build)}data.parquet`, 'parquet')],
        });
      }
      const last = materialized.at(-1)!;
      expect(readManifest(store, 'entries', DT)).toEqual({
        dt: DT,
        shape: ENTRIES_SHAPE,
        build: last.build,
        built_at: NOW.toISOString(),
        built_by: DT,
        rows: 7,
        files: [fileInfo(`${stateBuildFolder('entries', DT, last.build)}data.parquet`, 'parquet')],
      });
      // Stats: one per build, rollups first, then the snapshot chain in order.
      const names = night.stats.map((s) => s.name);
      expect(names.slice(0, rollupDaysFor(demo, DT).length).sort()).toEqual(rollupDaysFor(demo, DT).map((d) => `rollup ${d}`));
      expect(names.slice(rollupDaysFor(demo, DT).length)).toEqual(chunkDays(LAKE_START, DT, 31).map((c) => `entries ${c.to}`));
    });

    it('without candidates builds rollups only: no snapshot, no pruning', async () => {
      const store = new MemoryResultStore();
      const { rollupDays, entriesBuilds, night } = await run(store, noCandidates);
      expect(rollupDays()).toEqual(dayRange(addDays(DT, -6), DT));
      expect(entriesBuilds()).toEqual([]);
      expect(night.entries).toBeNull();
      expect(store.calls.filter((c) => c.includes('entries'))).toEqual([]);
    });
  });

  describe('steady night', () => {
    it('rebuilds only D-1 and D (the lookback) and folds the snapshot from D-2 without reading the lake', async () => {
      const store = steadyStore();
      const { rollupDays, entriesBuilds, night, materialized } = await run(store);
      expect(rollupDays()).toEqual([addDays(DT, -1), DT]);
      const [entries] = entriesBuilds();
      expect(entriesBuilds()).toHaveLength(1);
      expect(entries!.query.lakeDays).toBeUndefined();
      const base = addDays(DT, -2);
      expect(entries!.query).toEqual({
        name: `entries ${DT}`,
        sql: buildEntriesSelect(`state_entries(${base})`, rollupEntryRows(`state_daily(${dayRange(base, DT).join(',')})`, ENTRY)),
      });
      expect(night.stats.map((s) => s.name)).toEqual([`rollup ${addDays(DT, -1)}`, `rollup ${DT}`, `entries ${DT}`]);
      // The returned relation reads the rollups the night built.
      const built = new Map(materialized.map((m) => [`${m.kind}/${m.day}`, m.build]));
      expect(night.rollups([DT])).toBe(`state_daily(${DT})`);
      expect(materializedRelation(store, built)).toBe(true);
    });

    it('rebuilds D-1 even though its manifest is current (late events)', async () => {
      const store = steadyStore();
      expect(readManifest(store, 'daily', addDays(DT, -1))?.shape).toBe(DAILY_SHAPE);
      const { rollupDays } = await run(store);
      expect(rollupDays()).toContain(addDays(DT, -1));
      expect(rollupDays()).not.toContain(addDays(DT, -2));
    });

    it('reads the current builds the manifests name, and the new builds of what it rebuilt', async () => {
      const store = steadyStore();
      const { relations, materialized, night } = await run(store);
      const build = (day: string) => materialized.find((m) => m.kind === 'daily' && m.day === day)!.build;
      const foldRead = relations.find((r) => r.kind === 'daily')!;
      expect(foldRead.builds).toEqual([`${addDays(DT, -2)}.${OLD}`, `${addDays(DT, -1)}.${build(addDays(DT, -1))}`, `${DT}.${build(DT)}`]);
      night.rollups(['2024-05-13']);
      expect(relations.at(-1)).toEqual({ kind: 'daily', builds: [`2024-05-13.${OLD}`] });
    });
  });

  describe('stale rollups', () => {
    it('rebuilds a day whose manifest has another shape (the config changed)', async () => {
      const store = steadyStore();
      const other = rollupShape({ ...demo, lake: { ...demo.lake, partition: 'day' } });
      expect(other).not.toBe(DAILY_SHAPE);
      store.objects.set(stateManifestKey('daily', '2024-03-01'), { body: manifest('2024-03-01', other), contentType: 'application/json' });
      const { rollupDays } = await run(store);
      expect(rollupDays()).toEqual(['2024-03-01', addDays(DT, -1), DT]);
    });

    it('rebuilds a day whose manifest is missing, unreadable, names no build (the layout before build folders) or a bad one', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('daily', '2024-02-19'));
      store.objects.set(stateManifestKey('daily', '2024-02-20'), { body: '{not json', contentType: 'application/json' });
      store.objects.set(stateManifestKey('daily', '2024-02-21'), { body: '{"dt":"2024-02-21"}', contentType: 'application/json' });
      const legacy = JSON.stringify({ dt: '2024-02-22', shape: DAILY_SHAPE, built_at: '', built_by: '2024-02-22', rows: 100 });
      store.objects.set(stateManifestKey('daily', '2024-02-22'), { body: legacy, contentType: 'application/json' });
      store.objects.set(stateManifestKey('daily', '2024-02-23'), {
        body: manifest('2024-02-23', DAILY_SHAPE, 100, '../x'),
        contentType: 'application/json',
      });
      const { rollupDays } = await run(store);
      expect(rollupDays()).toEqual(['2024-02-19', '2024-02-20', '2024-02-21', '2024-02-22', '2024-02-23', addDays(DT, -1), DT]);
    });
  });

  describe('recent empty rollups', () => {
    const edge = addDays(DT, -RECHECK_EMPTY_DAYS); // the oldest day still rechecked
    const older = addDays(DT, -(RECHECK_EMPTY_DAYS + 1));

    it('rebuilds an empty rollup within RECHECK_EMPTY_DAYS (its partition may have landed since), trusts an older one', async () => {
      const store = steadyStore();
      expect(rollupDaysFor(demo, DT)).toEqual(expect.arrayContaining([edge, older, addDays(DT, -3)]));
      seedRollups(store, [edge, older, addDays(DT, -3)], 0);
      const { rollupDays } = await run(store);
      expect(rollupDays()).toEqual([edge, addDays(DT, -3), addDays(DT, -1), DT]);
    });

    it('trusts an empty rollup from before the lake began (old days, rows 0)', async () => {
      const store = steadyStore();
      seedRollups(store, dayRange('2024-02-19', '2024-03-23'), 0);
      const { rollupDays } = await run(store);
      expect(rollupDays()).toEqual([addDays(DT, -1), DT]);
    });

    // A manifest without a row count (Athena's UNLOAD reports none) is never rechecked, however
    // recent. A recent partition that landed after its rollup was built (and after the lookback) is
    // then missed.
    it('does NOT recheck a recent rollup whose row count is unknown (rows null)', async () => {
      const store = steadyStore();
      seedRollups(store, [addDays(DT, -3)], null);
      const { rollupDays } = await run(store);
      expect(rollupDays()).toEqual([addDays(DT, -1), DT]);
    });
  });

  describe('snapshot base selection', () => {
    it('folds from the newest snapshot of the right shape at or before D-2, re-reading rollups from that base to D', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      const base = '2024-04-20'; // D-56: within the 60-day gap
      seedSnapshot(store, base);
      seedSnapshot(store, '2024-04-10'); // older: not chosen
      seedSnapshot(store, '2024-05-01', entriesShape(demo, 'team_created')); // newer, other entry event: not chosen
      seedSnapshot(store, addDays(DT, -1)); // newer than D-2 (a later night's): its rollups may have changed since
      const { rollupDays, entriesBuilds, relations } = await run(store);
      const gap = dayRange(base, DT); // base - LOOKBACK + 1 … D
      expect(relations).toContainEqual({ kind: 'entries', builds: [`${base}.${OLD}`] });
      expect(relations.find((r) => r.kind === 'daily')!.builds.map((b) => b.slice(0, 10))).toEqual(gap);
      const [entries] = entriesBuilds();
      expect(entries!.query).toEqual({
        name: `entries ${DT}`,
        sql: buildEntriesSelect(`state_entries(${base})`, rollupEntryRows(`state_daily(${gap.join(',')})`, ENTRY)),
      });
      // The fold's extra days (not otherwise needed) had no rollups: they are built first, from the lake.
      const extra = dayRange(base, '2024-05-12');
      expect(rollupDays()).toEqual([...extra, addDays(DT, -1), DT]);
      for (const day of extra) expect(readManifest(store, 'daily', day)?.shape).toBe(DAILY_SHAPE);
    });

    it('does not rebuild the fold days that already have current rollups', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      seedSnapshot(store, '2024-04-20');
      seedRollups(store, dayRange('2024-04-20', '2024-05-12'));
      const { rollupDays, entriesBuilds } = await run(store);
      expect(rollupDays()).toEqual([addDays(DT, -1), DT]);
      expect(entriesBuilds()[0]!.query.lakeDays).toBeUndefined();
    });

    it('skips a D-2 snapshot of another shape or still being pruned', async () => {
      const store = steadyStore();
      seedSnapshot(store, addDays(DT, -2), 'pruning');
      seedSnapshot(store, addDays(DT, -3));
      const { entriesBuilds, relations } = await run(store);
      expect(relations).toContainEqual({ kind: 'entries', builds: [`${addDays(DT, -3)}.${OLD}`] });
      expect(entriesBuilds()[0]!.query.lakeDays).toBeUndefined();
    });

    it('folds from a base exactly MAX_SNAPSHOT_GAP_DAYS (60) old', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      const base = addDays(DT, -60);
      seedSnapshot(store, base);
      const { entriesBuilds, relations } = await run(store);
      expect(entriesBuilds()[0]!.query.lakeDays).toBeUndefined();
      expect(relations.find((r) => r.kind === 'daily')!.builds.map((b) => b.slice(0, 10))).toEqual(dayRange(base, DT));
    });

    it('reads the lake from the base (its last day again) in chunks when the newest usable snapshot is older than the gap', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      const base = addDays(DT, -61);
      seedSnapshot(store, base);
      const { entriesBuilds, rollupDays, relations } = await run(store);
      const chunks = chunkDays(base, DT, 31); // base + 1 - LOOKBACK … D: 62 days, two chunks
      expect(entriesBuilds().map((b) => b.query)).toEqual(
        chunks.map((c, i) => ({
          name: `entries ${c.to}`,
          sql: buildEntriesSelect(`state_entries(${i === 0 ? base : chunks[0]!.to})`, lakeEntryRows(dialect, demo, ENTRY, c.from, c.to)),
          lakeDays: { from: c.from, to: c.to },
        })),
      );
      expect(relations.filter((r) => r.kind === 'entries')[0]).toEqual({ kind: 'entries', builds: [`${base}.${OLD}`] });
      expect(rollupDays()).toEqual([addDays(DT, -1), DT]);
    });

    it('reads the lake from its first day when the only snapshot is newer than D-2', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      seedSnapshot(store, addDays(DT, -1));
      const { entriesBuilds } = await run(store);
      expect(entriesBuilds()[0]!.query.lakeDays).toEqual(chunkDays(LAKE_START, DT, 31)[0]);
    });

    it('resumes a chain cut short from the last chunk it recorded', async () => {
      const store = new MemoryResultStore();
      const chunks = chunkDays(LAKE_START, DT, 31);
      // A first night stopped after its fifth chunk (a deadline): those snapshots are recorded.
      for (const c of chunks.slice(0, 5)) seedSnapshot(store, c.to);
      const { entriesBuilds, relations } = await run(store);
      const rest = chunkDays(addDays(chunks[4]!.to, 1 - LOOKBACK_DAYS), DT, 31);
      expect(entriesBuilds().map((b) => b.query.lakeDays)).toEqual(rest);
      expect(relations.filter((r) => r.kind === 'entries')[0]).toEqual({ kind: 'entries', builds: [`${chunks[4]!.to}.${OLD}`] });
    });
  });

  describe('switching to a build', () => {
    it('leaves the old manifest in place while the new build is written, then names the new build', async () => {
      const store = steadyStore();
      const { materialized } = await run(store);
      const dMinus1 = materialized.find((m) => m.kind === 'daily' && m.day === addDays(DT, -1))!;
      expect(JSON.parse(dMinus1.manifestDuring!)).toMatchObject({ shape: DAILY_SHAPE, build: OLD });
      expect(readManifest(store, 'daily', addDays(DT, -1))).toMatchObject({ shape: DAILY_SHAPE, build: dMinus1.build });
      expect(dMinus1.build).not.toBe(OLD);
    });

    it('deletes the build the manifest named before, and any build no manifest names (a killed attempt), after the switch', async () => {
      const store = steadyStore();
      const day = addDays(DT, -1);
      // A query of a killed invocation went on writing into its own folder.
      store.objects.set(`${stateBuildFolder('daily', day, 'zombie1')}part-0.parquet`, {
        body: 'z',
        contentType: 'application/octet-stream',
      });
      const { materialized } = await run(store);
      const build = materialized.find((m) => m.kind === 'daily' && m.day === day)!.build;
      expect(store.keys(`state/daily/${day}.`)).toEqual([`${stateBuildFolder('daily', day, build)}data.parquet`]);
      // The switch came first: the delete of the old build follows the manifest's put.
      const put = store.calls.indexOf(`put ${stateManifestKey('daily', day)}`);
      const del = store.calls.indexOf(`deletePrefix ${stateBuildFolder('daily', day, OLD)}`);
      expect(put).toBeGreaterThan(-1);
      expect(del).toBeGreaterThan(put);
      // Days not rebuilt keep their builds.
      expect(store.keys(`state/daily/${addDays(DT, -2)}.`)).toEqual([`${stateBuildFolder('daily', addDays(DT, -2), OLD)}data.parquet`]);
    });

    it("deletes the layout-before-build-folders folder of a day whose manifest was of that layout, and no other day's", async () => {
      const store = steadyStore();
      const legacyDay = '2024-03-01';
      store.objects.set(stateManifestKey('daily', legacyDay), {
        body: JSON.stringify({ dt: legacyDay, shape: DAILY_SHAPE, built_at: '', built_by: legacyDay, rows: 3 }),
        contentType: 'application/json',
      });
      store.objects.set(`${legacyStateFolderKey('daily', legacyDay)}data.parquet`, {
        body: 'old',
        contentType: 'application/octet-stream',
      });
      store.objects.set(`${legacyStateFolderKey('daily', '2024-03-02')}data.parquet`, {
        body: 'old',
        contentType: 'application/octet-stream',
      });
      await run(store);
      expect(store.keys(legacyStateFolderKey('daily', legacyDay))).toEqual([]);
      expect(store.keys(legacyStateFolderKey('daily', '2024-03-02'))).toHaveLength(1);
    });

    it('keeps the old manifest and build when materialize fails; the snapshot is not attempted', async () => {
      const store = steadyStore();
      const fake = fakeState(store);
      const failing: StateCapability = {
        ...fake.state,
        materialize: async (query, kind, day, options) => {
          if (kind === 'daily' && day === addDays(DT, -1)) throw new Error('disk full');
          return fake.state.materialize(query, kind, day, options);
        },
      };
      const deps = { state: failing, dialect, store, now: () => NOW, warn: () => undefined };
      await expect(prepareNightState(demo, DT, deps, LIMITS)).rejects.toThrow('disk full');
      expect(readManifest(store, 'daily', addDays(DT, -1))).toMatchObject({ shape: DAILY_SHAPE, build: OLD });
      expect(store.keys(stateBuildFolder('daily', addDays(DT, -1), OLD))).toHaveLength(1);
      expect(store.text(stateManifestKey('entries', DT))).toBeUndefined();
    });

    it('warns when an old build cannot be deleted, and the night still gets its state', async () => {
      const store = steadyStore();
      store.failWhen = (op, key) => op === 'deletePrefix' && key === stateBuildFolder('daily', DT, OLD);
      seedRollups(store, [DT]);
      const { warnings, night } = await run(store);
      expect(night.entries).toBe(`state_entries(${DT})`);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^2024-06-15 {2}old daily state of 2024-06-15 not deleted \(the next build of that day tries again\): .*injected deletePrefix failure/,
        ),
      ]);
    });

    it("passes the night's deadline to every materialization", async () => {
      const store = steadyStore();
      const fake = fakeState(store);
      const seen: (AbortSignal | undefined)[] = [];
      const watching: StateCapability = {
        ...fake.state,
        materialize: async (query, kind, day, options) => {
          seen.push(options?.signal);
          return fake.state.materialize(query, kind, day, options);
        },
      };
      const deadline = new AbortController();
      await prepareNightState(
        demo,
        DT,
        { state: watching, dialect, store, now: () => NOW, warn: () => undefined, signal: deadline.signal },
        LIMITS,
      );
      expect(seen).toEqual([deadline.signal, deadline.signal, deadline.signal]);
    });
  });

  describe('verified state', () => {
    const file = (kind: StateKind, day: string) => `${stateBuildFolder(kind, day, OLD)}data.parquet`;
    const day = addDays(DT, -4);

    it("rebuilds a rollup whose file was swapped for another day's, and says so", async () => {
      const store = steadyStore();
      // Another day's file copied over this one: same size here, another checksum.
      store.objects.set(file('daily', day), { body: 'new', contentType: '' });
      const { rollupDays, night } = await run(store);
      expect(rollupDays()).toEqual([day, addDays(DT, -1), DT]);
      expect(night.repairs).toEqual([
        {
          code: 'state_rebuilt',
          message: `state ${stateBuildFolder('daily', day, OLD)}: ${file('daily', day)} is not the file its build wrote (checksum ${fileInfo('', 'new').etag}, manifest ${fileInfo('', 'old').etag}); rebuilt from its lake partition`,
          dt: day,
          key: stateManifestKey('daily', day),
        },
      ]);
      // The rebuilt piece is recorded, and checked (and reused) next time.
      expect(readManifest(store, 'daily', day)?.files).toEqual([expect.objectContaining({ size: 'parquet'.length })]);
      const again = await run(store);
      expect(again.night.repairs).toEqual([]);
    });

    it.each([
      [
        'cut short',
        (store: MemoryResultStore) => store.objects.set(file('daily', day), { body: 'o', contentType: '' }),
        'has 1 bytes, its manifest says 3',
      ],
      ['deleted', (store: MemoryResultStore) => store.objects.delete(file('daily', day)), `${file('daily', day)} is missing`],
      [
        'joined by a stray file',
        (store: MemoryResultStore) =>
          store.objects.set(`${stateBuildFolder('daily', day, OLD)}part-1.parquet`, { body: 'x', contentType: '' }),
        'part-1.parquet was not written by its build',
      ],
    ])('rebuilds a rollup whose file was %s', async (_, damage, problem) => {
      const store = steadyStore();
      damage(store);
      const { rollupDays, night } = await run(store);
      expect(rollupDays()).toContain(day);
      expect(night.repairs.map((r) => r.message)).toEqual([expect.stringContaining(problem)]);
    });

    it('does not fold from a snapshot that fails its check: an older one is the base instead, said so', async () => {
      const store = steadyStore();
      seedSnapshot(store, addDays(DT, -3));
      store.objects.set(file('entries', addDays(DT, -2)), { body: 'bad', contentType: '' });
      const { entriesBuilds, night } = await run(store);
      expect(entriesBuilds().map((b) => b.query.name)).toEqual([`entries ${DT}`]);
      expect(entriesBuilds()[0]!.query.lakeDays).toBeUndefined();
      expect(night.repairs.map((r) => [r.code, r.dt])).toEqual([['state_rebuilt', addDays(DT, -2)]]);
      expect(night.repairs[0]!.message).toContain('not used as the base of the first-entry snapshot');
    });

    it('rebuilds, quietly, a piece whose manifest predates verification (no files): once, after an upgrade', async () => {
      const store = steadyStore();
      store.objects.set(stateManifestKey('daily', day), {
        body: JSON.stringify({ dt: day, shape: DAILY_SHAPE, build: OLD, built_at: '', built_by: day, rows: 100 }),
        contentType: 'application/json',
      });
      const { rollupDays, night } = await run(store);
      expect(rollupDays()).toEqual([day, addDays(DT, -1), DT]);
      expect(night.repairs).toEqual([]);
      expect((await run(store)).rollupDays()).toEqual([addDays(DT, -1), DT]);
    });
  });

  describe('housekeeping', () => {
    it('warns when old snapshots cannot be pruned, and the night still gets its state', async () => {
      const store = steadyStore();
      seedSnapshot(store, '2024-06-01'); // June's first: kept
      seedSnapshot(store, '2024-06-02'); // older than a week and not a month's first: pruned
      store.failWhen = (op, key) => op === 'deletePrefix' && key.includes('2024-06-02');
      const { night, warnings } = await run(store);
      expect(night.entries).toBe(`state_entries(${DT})`);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^2024-06-15 {2}old first-entry snapshots not pruned \(the next night tries again\): .*injected deletePrefix failure/,
      );
    });

    it('says nothing when pruning succeeds, and deletes the pruned build', async () => {
      const store = steadyStore();
      seedSnapshot(store, '2024-06-01');
      seedSnapshot(store, '2024-06-02');
      const { warnings } = await run(store);
      expect(warnings).toEqual([]);
      expect(store.text(stateManifestKey('entries', '2024-06-02'))).toBeUndefined();
      expect(store.keys('state/entries/2024-06-02.')).toEqual([]);
      expect(store.keys('state/entries/2024-06-01.')).toHaveLength(1);
    });
  });
});

/** True when every rollup and snapshot manifest in `store` names a build folder that exists. */
function materializedRelation(store: MemoryResultStore, built: Map<string, string>): boolean {
  for (const [key, build] of built) {
    const [kind, day] = key.split('/') as [StateKind, string];
    if (readManifest(store, kind, day)?.build !== build) return false;
    if (store.keys(stateBuildFolder(kind, day, build)).length === 0) return false;
  }
  return true;
}
