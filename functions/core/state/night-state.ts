/**
 * Brings the incremental state (docs/design.md §5) up to date for night D before its queries run, so that a
 * night reads its own partition plus compact state instead of re-reading history:
 *
 * - per-day rollups for every day the night's metrics and candidate test look at; a rollup that is
 *   missing, of another shape (the config's properties changed), or within LOOKBACK_DAYS of D is
 *   (re)built from its one lake partition — D-1 is rebuilt so that events arriving a day late
 *   are counted in later windows;
 * - the first-entry snapshot of D, folded from the latest snapshot at least LOOKBACK_DAYS + 1
 *   nights old and the rollups since (the first night reads the lake's entry history once).
 *
 * Manifests are written through the results store after each file, so a file without a
 * manifest (a crash mid-way) is rebuilt next time.
 */
import { candidateRollupDays } from '../candidates/scan-ranges';
import { mapLimit, QUERY_CONCURRENCY } from '../concurrency';
import type { NsmConfig } from '../config/types';
import { addDays, dayRange } from '../dates';
import type { Query, QueryStats, StateCapability } from '../engine';
import { eventMetrics } from '../metrics/event-metrics';
import { manifestDay, type StateKind, stateManifestKey, stateManifestsPrefix } from '../results/layout';
import type { ResultStore } from '../results/store';
import { CONTENT_TYPE } from '../results/store';
import type { Dialect } from '../sql/dialect';
import { buildEntriesFromLakeSelect, buildEntriesFromStateSelect } from '../sql/entries-query';
import { earliestWindowDay } from '../sql/metrics-query';
import { buildRollupSelect } from '../sql/rollup-query';
import { manifestText, readManifest } from './manifest';
import { pruneSnapshots } from './prune-snapshots';
import { entriesShape, rollupShape } from './state-shape';

/** Days before D whose rollups every night rebuilds, to fold in late-arriving events. */
export const LOOKBACK_DAYS = 1;
/**
 * An empty rollup this recent is rebuilt each night: its partition may simply not have landed yet
 * when it was built (empty older days, such as days before the lake began, are trusted).
 */
export const RECHECK_EMPTY_DAYS = 7;
/** Beyond this many days of missing rollups, a new snapshot reads the lake's entry history instead. */
const MAX_SNAPSHOT_GAP_DAYS = 60;
const READ_CONCURRENCY = 16;

/** What the night's queries read, once the state is ready. */
export interface NightState {
  /** A relation over the rollups of `days` (all ready). */
  rollups(days: readonly string[]): string;
  /** A relation over the first-entry snapshot of D, or null without candidates. */
  readonly entries: string | null;
  /** The materializations this night ran, for run.json. */
  readonly stats: QueryStats[];
}

export interface StateDeps {
  readonly state: StateCapability;
  readonly dialect: Dialect;
  readonly store: ResultStore;
  readonly now: () => Date;
  /** Told about housekeeping that failed without failing the night (see `PipelineDeps.warn`). */
  readonly warn: (line: string) => void;
}

/** Days whose rollups night `dt` reads: the metrics' widest window and the candidate ranges. */
export function rollupDaysFor(config: NsmConfig, dt: string): string[] {
  const days = dayRange(earliestWindowDay(eventMetrics(config.metrics), dt), dt);
  return [...new Set([...days, ...(config.candidates ? candidateRollupDays(config.candidates, dt) : [])])].sort();
}

export async function prepareNightState(config: NsmConfig, dt: string, deps: StateDeps): Promise<NightState> {
  const stats: QueryStats[] = [];
  const shape = rollupShape(config);
  // A manifest is replaced by a "building" one before its state is rewritten, so a crash (or an
  // UNLOAD that failed after the folder was cleared) leaves a day that the next night rebuilds.
  const build = async (query: Query, kind: StateKind, day: string, stateShape: string): Promise<QueryStats> => {
    const key = stateManifestKey(kind, day);
    const record = (s: string, rows: number | null) =>
      manifestText({ dt: day, shape: s, built_at: deps.now().toISOString(), built_by: dt, rows });
    await deps.store.put(key, record('building', null), CONTENT_TYPE.json);
    const result = await deps.state.materialize(query, kind, day);
    await deps.store.put(key, record(stateShape, result.rowsWritten), CONTENT_TYPE.json);
    return result.stats;
  };

  // The snapshot to fold from, if a recent enough one exists.
  const entryEvent = config.candidates?.cohort.entry_event;
  const snapshotShape = entriesShape(config, entryEvent ?? '');
  const base = entryEvent ? await latestSnapshot(deps.store, addDays(dt, -(LOOKBACK_DAYS + 1)), snapshotShape) : null;
  // The fold re-reads the base's own last LOOKBACK_DAYS days: their rollups were rebuilt (late
  // events) after that snapshot was taken. min() makes reading a day twice harmless.
  const gapDays = base !== null && base >= addDays(dt, -MAX_SNAPSHOT_GAP_DAYS) ? dayRange(addDays(base, 1 - LOOKBACK_DAYS), dt) : [];

  const needed = [...new Set([...rollupDaysFor(config, dt), ...gapDays])].sort();
  const fresh = addDays(dt, -LOOKBACK_DAYS);
  const recheckEmpty = addDays(dt, -RECHECK_EMPTY_DAYS);
  const current = await mapLimit(needed, READ_CONCURRENCY, async (day) => {
    if (day >= fresh) return false;
    const m = await readManifest(deps.store, stateManifestKey('daily', day));
    return m !== null && m.shape === shape && !(m.rows === 0 && day >= recheckEmpty);
  });
  // Each rollup reads one partition and writes its own folder: build them side by side. A first
  // night (or one after a config change) builds ~70 of them, and one file is one scan thread.
  const missing = needed.filter((_, i) => !current[i]);
  stats.push(
    ...(await mapLimit(missing, QUERY_CONCURRENCY, (day) =>
      build(
        { name: `rollup ${day}`, sql: buildRollupSelect(deps.dialect, config, day), lakeDays: { from: day, to: day } },
        'daily',
        day,
        shape,
      ),
    )),
  );
  const rollups = (days: readonly string[]) => deps.state.sql.relation('daily', days);

  let entries: string | null = null;
  if (entryEvent) {
    const query: Query =
      gapDays.length > 0 && base !== null
        ? { name: 'entries', sql: buildEntriesFromStateSelect(deps.state.sql.relation('entries', [base]), rollups(gapDays), entryEvent) }
        : { name: 'entries', sql: buildEntriesFromLakeSelect(deps.dialect, config, entryEvent, dt), lakeDays: { to: dt } };
    stats.push(await build(query, 'entries', dt, snapshotShape));
    entries = deps.state.sql.relation('entries', [dt]);
    // Housekeeping, not the night's result: a failure here leaves old snapshots for the next
    // night's pruning to find again, and must not fail a night whose state is complete.
    await pruneSnapshots(deps.store, dt, deps.now).catch((err: unknown) =>
      deps.warn(`${dt}  old first-entry snapshots not pruned (the next night tries again): ${(err as Error).message ?? String(err)}`),
    );
  }
  return { rollups, entries, stats };
}

async function manifestShape(store: ResultStore, key: string): Promise<string | null> {
  return (await readManifest(store, key))?.shape ?? null;
}

/** The newest snapshot night <= `until` of the given shape, or null. */
async function latestSnapshot(store: ResultStore, until: string, shape: string): Promise<string | null> {
  // The usual case — last night's run left the snapshot two nights back — costs one read.
  if ((await manifestShape(store, stateManifestKey('entries', until))) === shape) return until;
  const nights = (await store.list(stateManifestsPrefix('entries')))
    .map((key) => manifestDay('entries', key))
    .filter((d): d is string => d !== undefined && d <= until)
    .sort()
    .reverse();
  for (const night of nights) if ((await manifestShape(store, stateManifestKey('entries', night))) === shape) return night;
  return null;
}
