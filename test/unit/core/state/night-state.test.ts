/**
 * `prepareNightState` decides which rollups a night (re)builds, whether the first-entry snapshot
 * is folded from an earlier one or read from the lake, and writes the manifests around each
 * build. These tests drive it with an in-memory store and a recording fake of the engine's state
 * capability, so each decision is asserted directly (the DuckDB integration tests only see the
 * end result).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/core/config/parse';
import type { NsmConfig } from '../../../../functions/core/config/types';
import { addDays, dayRange } from '../../../../functions/core/dates';
import type { Query, QueryStats, StateCapability } from '../../../../functions/core/engine';
import { type StateKind, stateManifestKey } from '../../../../functions/core/results/layout';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { buildEntriesFromLakeSelect, buildEntriesFromStateSelect } from '../../../../functions/core/sql/entries-query';
import { buildRollupSelect } from '../../../../functions/core/sql/rollup-query';
import type { StateManifest } from '../../../../functions/core/state/manifest';
import { LOOKBACK_DAYS, prepareNightState, RECHECK_EMPTY_DAYS, rollupDaysFor } from '../../../../functions/core/state/night-state';
import { entriesShape, rollupShape } from '../../../../functions/core/state/state-shape';
import { demoConfigYaml } from '../../../../functions/demo/demo-config';
import { lakeConfig, testConfig } from '../../../support/config';
import { MemoryResultStore } from '../../../support/memory-store';

const DT = '2024-06-15';
const NOW = new Date('2024-06-16T06:00:00.000Z');
const dialect = duckdbDialect();

/** The demo config: metrics up to 7 days wide and candidates (entry event `signed_up`). */
const demo: NsmConfig = parseConfig(demoConfigYaml({ lakeDir: 'lake', resultsDir: 'results' }), '<demo>');
const ENTRY = 'signed_up';
const DAILY_SHAPE = rollupShape(demo);
const ENTRIES_SHAPE = entriesShape(demo, ENTRY);

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
  /** `store.calls.length` when materialize started: every store call before it happened earlier. */
  readonly callIndex: number;
  /** The manifest's text in the store while the state was being written. */
  readonly manifestDuring: string | undefined;
}

/** A recording fake of the engine's state capability; relations are readable strings. */
function fakeState(store: MemoryResultStore, rowsWritten: (kind: StateKind, day: string) => number | null = () => 42) {
  const materialized: Materialized[] = [];
  const relations: Array<{ kind: StateKind; days: string[] }> = [];
  const state: StateCapability = {
    sql: {
      target: (kind, day) => `state/${kind}/dt=${day}/data.parquet`,
      relation: (kind, days) => {
        relations.push({ kind, days: [...days] });
        return `state_${kind}(${days.join(',')})`;
      },
      materialize: (select, kind, day) => `COPY (${select}) TO 'state/${kind}/dt=${day}/data.parquet'`,
    },
    materialize: async (query, kind, day) => {
      materialized.push({ query, kind, day, callIndex: store.calls.length, manifestDuring: store.text(stateManifestKey(kind, day)) });
      // Let other builds interleave, as real engines do.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const stats: QueryStats = { name: query.name, query_id: null, ms: 1, bytes_scanned: null, rows: 0 };
      return { stats, rowsWritten: rowsWritten(kind, day) };
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

function manifest(day: string, shape: string, rows: number | null = 100): string {
  return `${JSON.stringify({ dt: day, shape, built_at: '2024-01-01T00:00:00.000Z', built_by: day, rows } satisfies StateManifest)}\n`;
}

/** Seeds current-shape rollup manifests for `days` (rows 100 unless given). */
function seedRollups(store: MemoryResultStore, days: readonly string[], rows: number | null = 100): void {
  for (const day of days)
    store.objects.set(stateManifestKey('daily', day), { body: manifest(day, DAILY_SHAPE, rows), contentType: 'application/json' });
}

function seedSnapshot(store: MemoryResultStore, night: string, shape = ENTRIES_SHAPE): void {
  store.objects.set(stateManifestKey('entries', night), { body: manifest(night, shape, 1000), contentType: 'application/json' });
}

/** A steady store: every needed rollup built in the current shape, last-but-one night's snapshot in place. */
function steadyStore(): MemoryResultStore {
  const store = new MemoryResultStore();
  seedRollups(store, [...new Set([...rollupDaysFor(demo, DT), ...dayRange(addDays(DT, -2), DT)])]);
  seedSnapshot(store, addDays(DT, -2));
  return store;
}

async function run(store: MemoryResultStore, config: NsmConfig = demo, rowsWritten?: (kind: StateKind, day: string) => number | null) {
  const fake = fakeState(store, rowsWritten);
  const night = await prepareNightState(config, DT, { state: fake.state, dialect, store, now: () => NOW, warn: () => undefined });
  return { ...fake, night };
}

const readManifest = (store: MemoryResultStore, kind: StateKind, day: string) =>
  JSON.parse(store.text(stateManifestKey(kind, day)) ?? 'null') as StateManifest | null;

describe('prepareNightState', () => {
  it('uses the constants the decisions below assume', () => {
    expect(LOOKBACK_DAYS).toBe(1);
    expect(RECHECK_EMPTY_DAYS).toBe(7);
    // The demo night reads the candidate hit range and the outcome range (with the metrics' 7 days inside it).
    const days = rollupDaysFor(demo, DT);
    expect(days).toEqual([...dayRange('2024-02-19', '2024-03-23'), ...dayRange('2024-05-13', DT)]);
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
      // Nothing outside the needed days (no fold base, so no extra gap days).
      expect(new Set(materialized.filter((x) => x.kind === 'daily').map((x) => x.day)).size).toBe(needed.length);
    });

    it('builds the entries snapshot from the lake, reading every partition up to D', async () => {
      const store = new MemoryResultStore();
      const { entriesBuilds, night, relations } = await run(store);
      expect(entriesBuilds()).toHaveLength(1);
      const [entries] = entriesBuilds();
      expect(entries!.day).toBe(DT);
      expect(entries!.query).toEqual({ name: 'entries', sql: buildEntriesFromLakeSelect(dialect, demo, ENTRY, DT), lakeDays: { to: DT } });
      expect(entries!.query.lakeDays).not.toHaveProperty('from');
      // No earlier snapshot was read as a relation.
      expect(relations.filter((r) => r.kind === 'entries' && r.days[0] !== DT)).toEqual([]);
      expect(night.entries).toBe(`state_entries(${DT})`);
    });

    it('writes a manifest of the current shape for every build, with the rows the engine reported', async () => {
      const store = new MemoryResultStore();
      const { night } = await run(store, demo, (kind, day) => (kind === 'entries' ? 7 : Number(day.slice(8))));
      for (const day of rollupDaysFor(demo, DT)) {
        expect(readManifest(store, 'daily', day)).toEqual({
          dt: day,
          shape: DAILY_SHAPE,
          built_at: NOW.toISOString(),
          built_by: DT,
          rows: Number(day.slice(8)),
        });
      }
      expect(readManifest(store, 'entries', DT)).toEqual({
        dt: DT,
        shape: ENTRIES_SHAPE,
        built_at: NOW.toISOString(),
        built_by: DT,
        rows: 7,
      });
      // Stats: one per build, rollups first (in day order), then the snapshot.
      expect(night.stats.map((s) => s.name)).toEqual([...rollupDaysFor(demo, DT).map((d) => `rollup ${d}`), 'entries']);
    });

    it('without candidates builds rollups only: no snapshot, no pruning', async () => {
      const store = new MemoryResultStore();
      const { rollupDays, entriesBuilds, night } = await run(store, noCandidates);
      expect(rollupDays()).toEqual(dayRange(addDays(DT, -6), DT));
      expect(entriesBuilds()).toEqual([]);
      expect(night.entries).toBeNull();
      expect(store.calls.filter((c) => c.startsWith('list ') || c.includes('entries'))).toEqual([]);
    });
  });

  describe('steady night', () => {
    it('rebuilds only D-1 and D (the lookback) and folds the snapshot from D-2 without reading the lake', async () => {
      const store = steadyStore();
      const { rollupDays, entriesBuilds, night } = await run(store);
      expect(rollupDays()).toEqual([addDays(DT, -1), DT]);
      const [entries] = entriesBuilds();
      expect(entriesBuilds()).toHaveLength(1);
      expect(entries!.query.lakeDays).toBeUndefined();
      const base = addDays(DT, -2);
      expect(entries!.query).toEqual({
        name: 'entries',
        sql: buildEntriesFromStateSelect(`state_entries(${base})`, `state_daily(${dayRange(base, DT).join(',')})`, ENTRY),
      });
      expect(night.stats.map((s) => s.name)).toEqual([`rollup ${addDays(DT, -1)}`, `rollup ${DT}`, 'entries']);
      // The returned relation reads the rollups through the capability.
      expect(night.rollups([DT])).toBe(`state_daily(${DT})`);
    });

    it('rebuilds D-1 even though its manifest is current (late events)', async () => {
      const store = steadyStore();
      expect(readManifest(store, 'daily', addDays(DT, -1))?.shape).toBe(DAILY_SHAPE);
      const { rollupDays } = await run(store);
      expect(rollupDays()).toContain(addDays(DT, -1));
      expect(rollupDays()).not.toContain(addDays(DT, -2));
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

    it('rebuilds a day whose manifest still says "building" (a crash mid-rewrite)', async () => {
      const store = steadyStore();
      store.objects.set(stateManifestKey('daily', '2024-05-20'), {
        body: manifest('2024-05-20', 'building', null),
        contentType: 'application/json',
      });
      const { rollupDays } = await run(store);
      expect(rollupDays()).toEqual(['2024-05-20', addDays(DT, -1), DT]);
    });

    it('rebuilds a day whose manifest is missing or unreadable', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('daily', '2024-02-19'));
      store.objects.set(stateManifestKey('daily', '2024-02-20'), { body: '{not json', contentType: 'application/json' });
      store.objects.set(stateManifestKey('daily', '2024-02-21'), { body: '{"dt":"2024-02-21"}', contentType: 'application/json' });
      const { rollupDays } = await run(store);
      expect(rollupDays()).toEqual(['2024-02-19', '2024-02-20', '2024-02-21', addDays(DT, -1), DT]);
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

    // Current behaviour: a manifest without a row count (Athena's UNLOAD reports none, and
    // manifests written before `rows` existed) is never rechecked, however recent. A recent
    // partition that landed after its rollup was built (and after the lookback) is then missed.
    it('does NOT recheck a recent rollup whose row count is unknown (rows null or absent)', async () => {
      const store = steadyStore();
      seedRollups(store, [addDays(DT, -3)], null);
      const legacy = addDays(DT, -4);
      store.objects.set(stateManifestKey('daily', legacy), {
        body: JSON.stringify({ dt: legacy, shape: DAILY_SHAPE, built_at: '', built_by: legacy }),
        contentType: 'application/json',
      });
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
      expect(relations).toContainEqual({ kind: 'entries', days: [base] });
      expect(relations).toContainEqual({ kind: 'daily', days: gap });
      const [entries] = entriesBuilds();
      expect(entries!.query).toEqual({
        name: 'entries',
        sql: buildEntriesFromStateSelect(`state_entries(${base})`, `state_daily(${gap.join(',')})`, ENTRY),
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
      expect(relations).toContainEqual({ kind: 'entries', days: [addDays(DT, -3)] });
      expect(entriesBuilds()[0]!.query.lakeDays).toBeUndefined();
    });

    it('folds from a base exactly MAX_SNAPSHOT_GAP_DAYS (60) old', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      const base = addDays(DT, -60);
      seedSnapshot(store, base);
      const { entriesBuilds, relations } = await run(store);
      expect(entriesBuilds()[0]!.query.lakeDays).toBeUndefined();
      expect(relations).toContainEqual({ kind: 'daily', days: dayRange(base, DT) });
    });

    it('reads the lake instead when the newest usable snapshot is older than the gap, and builds no fold days', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      seedSnapshot(store, addDays(DT, -61));
      const { entriesBuilds, rollupDays, relations } = await run(store);
      expect(entriesBuilds()[0]!.query).toEqual({
        name: 'entries',
        sql: buildEntriesFromLakeSelect(dialect, demo, ENTRY, DT),
        lakeDays: { to: DT },
      });
      expect(rollupDays()).toEqual([addDays(DT, -1), DT]);
      expect(relations.filter((r) => r.kind === 'entries' && r.days[0] !== DT)).toEqual([]);
    });

    it('reads the lake when the only snapshot is newer than D-2', async () => {
      const store = steadyStore();
      store.objects.delete(stateManifestKey('entries', addDays(DT, -2)));
      seedSnapshot(store, addDays(DT, -1));
      const { entriesBuilds } = await run(store);
      expect(entriesBuilds()[0]!.query.lakeDays).toEqual({ to: DT });
    });
  });

  describe('housekeeping', () => {
    it('warns when old snapshots cannot be pruned, and the night still gets its state', async () => {
      const store = steadyStore();
      seedSnapshot(store, '2024-06-01'); // June's first: kept
      seedSnapshot(store, '2024-06-02'); // older than a week and not a month's first: pruned
      store.failWhen = (op) => op === 'deletePrefix';
      const fake = fakeState(store);
      const warnings: string[] = [];
      const night = await prepareNightState(demo, DT, { state: fake.state, dialect, store, now: () => NOW, warn: (l) => warnings.push(l) });
      expect(night.entries).toBe(`state_entries(${DT})`);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^2024-06-15 {2}old first-entry snapshots not pruned \(the next night tries again\): .*injected deletePrefix failure/,
      );
    });

    it('says nothing when pruning succeeds', async () => {
      const store = steadyStore();
      seedSnapshot(store, '2024-06-01');
      seedSnapshot(store, '2024-06-02');
      const warnings: string[] = [];
      await prepareNightState(demo, DT, { state: fakeState(store).state, dialect, store, now: () => NOW, warn: (l) => warnings.push(l) });
      expect(warnings).toEqual([]);
      expect(store.text(stateManifestKey('entries', '2024-06-02'))).toBeUndefined();
    });
  });

  describe('manifest ordering', () => {
    it('marks each manifest "building" before its state is written and records the real shape after', async () => {
      const store = new MemoryResultStore();
      const { materialized } = await run(store, demo, () => 5);
      expect(materialized).toHaveLength(rollupDaysFor(demo, DT).length + 1);
      for (const m of materialized) {
        const key = stateManifestKey(m.kind, m.day);
        const puts = store.calls.flatMap((c, i) => (c === `put ${key}` ? [i] : []));
        expect(puts, key).toHaveLength(2);
        expect(puts[0]!, key).toBeLessThan(m.callIndex);
        expect(puts[1]!, key).toBeGreaterThanOrEqual(m.callIndex);
        const during = JSON.parse(m.manifestDuring ?? 'null') as StateManifest | null;
        expect(during, key).toEqual({ dt: m.day, shape: 'building', built_at: NOW.toISOString(), built_by: DT, rows: null });
        const after = readManifest(store, m.kind, m.day);
        expect(after, key).toEqual({
          dt: m.day,
          shape: m.kind === 'daily' ? DAILY_SHAPE : ENTRIES_SHAPE,
          built_at: NOW.toISOString(),
          built_by: DT,
          rows: 5,
        });
      }
    });

    it('replaces a current manifest with "building" before rebuilding it (D-1 on a steady night)', async () => {
      const store = steadyStore();
      const { materialized } = await run(store);
      const dMinus1 = materialized.find((m) => m.kind === 'daily' && m.day === addDays(DT, -1))!;
      expect(JSON.parse(dMinus1.manifestDuring!).shape).toBe('building');
      expect(readManifest(store, 'daily', addDays(DT, -1))?.shape).toBe(DAILY_SHAPE);
    });

    it('leaves the "building" manifest in place when materialize fails, so the next night rebuilds the day', async () => {
      const store = steadyStore();
      const fake = fakeState(store);
      const failing: StateCapability = {
        ...fake.state,
        materialize: async (query, kind, day) => {
          if (kind === 'daily' && day === DT) throw new Error('disk full');
          return fake.state.materialize(query, kind, day);
        },
      };
      await expect(prepareNightState(demo, DT, { state: failing, dialect, store, now: () => NOW, warn: () => undefined })).rejects.toThrow(
        'disk full',
      );
      expect(readManifest(store, 'daily', DT)?.shape).toBe('building');
      // The snapshot was not attempted.
      expect(store.text(stateManifestKey('entries', DT))).toBeUndefined();
    });
  });
});
