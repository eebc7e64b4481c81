/**
 * Carries out the builds a `NightStatePlan` names, race-free: each build is written by the engine
 * into a build folder of its own (`state/<kind>/<day>.<build>/`), then the day's manifest is
 * switched to it (one PUT), then every other build of the day is deleted — the one the manifest
 * named before, and any folder an earlier attempt left behind (a query of a killed invocation
 * that went on writing, or a build whose switch never happened). A retry therefore never writes
 * beside another attempt's files, and a reader only ever reads builds a manifest names.
 */
import { mapLimit, QUERY_CONCURRENCY } from '../concurrency';
import type { NsmConfig } from '../config/types';
import { dayRange } from '../dates';
import type { Materialized, Query, QueryStats, StateCapability } from '../engine';
import { NsmError } from '../errors';
import {
  legacyStateFolderKey,
  type StateKind,
  stateBuildFolder,
  stateBuildOf,
  stateBuildsPrefix,
  stateManifestKey,
} from '../results/layout';
import { CONTENT_TYPE, type ResultStore } from '../results/store';
import type { Dialect } from '../sql/dialect';
import { buildEntriesSelect, lakeEntryRows, rollupEntryRows } from '../sql/entries-query';
import { buildRollupSelect } from '../sql/rollup-query';
import { manifestText, readManifestEntry } from './manifest';
import { buildKey, type EntriesBuild } from './state-plan';
import { entriesShape, rollupShape } from './state-shape';

export interface StateDeps {
  readonly state: StateCapability;
  readonly dialect: Dialect;
  readonly store: ResultStore;
  readonly now: () => Date;
  /** Told about housekeeping that failed without failing the night (see `PipelineDeps.warn`). */
  readonly warn: (line: string) => void;
  /** The night's deadline (see `RunOptions.signal`). */
  readonly signal?: AbortSignal;
}

/** The query name of the rollup of `day` (in `nsm sql`, logs and run.json). */
export const rollupQueryName = (day: string) => `rollup ${day}`;
/** The query name of the first-entry snapshot of `night`. */
export const entriesQueryName = (night: string) => `entries ${night}`;

/**
 * Builds state for the night `builtBy` and knows, for every piece it built or was given as
 * current, which build to read.
 */
export class StateBuilder {
  private readonly builds: Map<string, string>;

  /**
   * @param builtBy the night whose run builds (recorded in each manifest)
   * @param current builds known to be current (`NightStatePlan.current`), by `buildKey`
   * @param stats receives each materialization's stats as it finishes (a night stopped part way
   *   still records what it built)
   */
  constructor(
    private readonly config: NsmConfig,
    private readonly builtBy: string,
    private readonly deps: StateDeps,
    current: ReadonlyMap<string, string> = new Map(),
    readonly stats: QueryStats[] = [],
  ) {
    this.builds = new Map(current);
  }

  /** A relation over the builds of `kind` for `days`; each must have been built or given as current. */
  relation(kind: StateKind, days: readonly string[]): string {
    const builds = days.map((day) => {
      const build = this.builds.get(buildKey(kind, day));
      if (build === undefined) throw new NsmError(`night ${this.builtBy}: no ${kind} state for ${day} (not built and not current)`);
      return { day, build };
    });
    return this.deps.state.sql.relation(kind, builds);
  }

  /**
   * Builds the rollups of `days`, a few at a time: each reads one partition and writes its own
   * folder. Their stats are recorded in day order, also when one fails (every build that
   * completed, including those still running when the first failure came).
   */
  async rollups(days: readonly string[]): Promise<void> {
    const shape = rollupShape(this.config);
    const done: (QueryStats | undefined)[] = new Array(days.length);
    const running = new Set<Promise<void>>();
    try {
      await mapLimit(days, QUERY_CONCURRENCY, (day, i) => {
        const query = {
          name: rollupQueryName(day),
          sql: buildRollupSelect(this.deps.dialect, this.config, day),
          lakeDays: { from: day, to: day },
        };
        const building = this.build(query, 'daily', day, shape).then((stats) => {
          done[i] = stats;
        });
        running.add(building);
        return building;
      });
    } catch (err) {
      // The first failure ends the batch, but builds already running go on (a deadline stops
      // their queries at once): wait for them, so that run.json records every build whose
      // manifest was switched, not only those that finished before the failure.
      await Promise.allSettled(running);
      throw err;
    } finally {
      this.stats.push(...done.filter((s): s is QueryStats => s !== undefined));
    }
  }

  /** Builds one snapshot of the chain (its base, and for a fold its rollups, must be readable). */
  async entries(build: EntriesBuild): Promise<void> {
    const entryEvent = this.config.candidates?.cohort.entry_event;
    if (!entryEvent) throw new NsmError('first-entry snapshot: the config has no candidates');
    const lake = build.source === 'lake';
    const rows = lake
      ? lakeEntryRows(this.deps.dialect, this.config, entryEvent, build.from, build.night)
      : rollupEntryRows(this.relation('daily', dayRange(build.from, build.night)), entryEvent);
    const previous = build.base === null ? null : this.relation('entries', [build.base]);
    const query: Query = {
      name: entriesQueryName(build.night),
      sql: buildEntriesSelect(previous, rows),
      ...(lake ? { lakeDays: { from: build.from, to: build.night } } : {}),
    };
    this.stats.push(await this.build(query, 'entries', build.night, entriesShape(this.config, entryEvent)));
  }

  /** Materializes `query` as a new build, switches the day's manifest to it, then deletes the others. */
  private async build(query: Query, kind: StateKind, day: string, shape: string): Promise<QueryStats> {
    const { store, now, signal } = this.deps;
    const made: Materialized = await this.deps.state.materialize(query, kind, day, signal ? { signal } : {});
    const key = stateManifestKey(kind, day);
    const previous = await readManifestEntry(store, key);
    // What the build wrote, as the store lists it now: what later nights check the piece against.
    const files = await store.listObjects(stateBuildFolder(kind, day, made.build));
    const manifest = {
      dt: day,
      shape,
      build: made.build,
      built_at: now().toISOString(),
      built_by: this.builtBy,
      rows: made.rowsWritten,
      files,
    };
    await store.put(key, manifestText(manifest), CONTENT_TYPE.json);
    this.builds.set(buildKey(kind, day), made.build);
    // Housekeeping, not the night's result: what is left is deleted when the day is next built.
    const legacy = previous.status === 'unusable' && previous.legacy;
    await deleteBuilds(store, kind, day, { keep: made.build, legacy }).catch((err: unknown) =>
      this.deps.warn(`${this.builtBy}  old ${kind} state of ${day} not deleted (the next build of that day tries again): ${message(err)}`),
    );
    return made.stats;
  }
}

/**
 * Deletes every build folder of `kind` for `day` except `keep`, and with `legacy` the day's folder
 * of the layout before build folders.
 * @returns the builds deleted
 */
export async function deleteBuilds(
  store: ResultStore,
  kind: StateKind,
  day: string,
  options: { keep: string | null; legacy: boolean },
): Promise<string[]> {
  const found = new Set<string>();
  for (const key of await store.list(stateBuildsPrefix(kind, day))) {
    const build = stateBuildOf(kind, day, key);
    if (build !== undefined && build !== options.keep) found.add(build);
  }
  for (const build of found) await store.deletePrefix(stateBuildFolder(kind, day, build));
  if (options.legacy) await store.deletePrefix(legacyStateFolderKey(kind, day));
  return [...found];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
