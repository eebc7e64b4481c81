/**
 * What a night builds of the incremental state (docs/design.md §5), decided from the manifests
 * before anything runs, so that the same decision drives a night (`prepareNightState`), the plans
 * `nsm sql` prints, and the bounded steps of a Step Functions backfill:
 *
 * - per-day rollups for every day the night's metrics and candidate test look at; a rollup that is
 *   missing, of another shape (the config's properties changed), or within LOOKBACK_DAYS of D is
 *   (re)built from its one lake partition — D-1 is rebuilt so that events arriving a day late are
 *   counted in later windows — and so is an empty one within RECHECK_EMPTY_DAYS (its partition
 *   may simply not have landed when it was built);
 * - the first-entry snapshot of D: folded from the newest snapshot at least LOOKBACK_DAYS + 1
 *   nights old (the base) and the rollups since, when the base is at most MAX_SNAPSHOT_GAP_DAYS
 *   old; otherwise read from the lake in a chain of chunks of at most `lake.max_days_per_query`
 *   days, from the lake's first day (or the base), each chunk folded into the snapshot of the
 *   chunk before. Every chunk's snapshot is a snapshot of its last day like any other, recorded
 *   by its manifest: a chain cut short (a deadline, a failure) is resumed from where it stopped.
 *
 * No query of the plan reads more than `lake.max_days_per_query` lake partitions: a rollup reads
 * one, a chunk at most that many, and a fold over rollups reads state only.
 *
 * A piece the plan would reuse is first checked against the files its manifest recorded
 * (`stateProblem`): one that does not match — a file missing, cut short, replaced, or joined by a
 * stray one — is rebuilt like a missing piece (a snapshot: the next older one, or the lake, is the
 * base instead), and the plan says so in `repairs` (run.json `warnings`, code `state_rebuilt`).
 */
import { candidateRollupDays } from '../candidates/scan-ranges';
import { mapLimit } from '../concurrency';
import type { NsmConfig } from '../config/types';
import { addDays, dayRange, daysBetween } from '../dates';
import { InputError } from '../errors';
import { eventMetrics } from '../metrics/event-metrics';
import { manifestDay, type StateKind, stateBuildFolder, stateManifestKey, stateManifestsPrefix } from '../results/layout';
import type { RunWarning } from '../results/rows';
import type { ResultStore } from '../results/store';
import { earliestWindowDay } from '../sql/metrics-query';
import { readManifest, type StateManifest, stateProblem } from './manifest';
import { entriesShape, rollupShape } from './state-shape';

/** Days before D whose rollups every night rebuilds, to fold in late-arriving events. */
export const LOOKBACK_DAYS = 1;
/**
 * An empty rollup this recent is rebuilt each night: its partition may simply not have landed yet
 * when it was built (empty older days, such as days before the lake began, are trusted).
 */
export const RECHECK_EMPTY_DAYS = 7;
/** Beyond this many days since the base snapshot, the snapshot is read from the lake (in chunks) instead of the rollups. */
export const MAX_SNAPSHOT_GAP_DAYS = 60;
const READ_CONCURRENCY = 16;

/** A day range, both ends included. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/**
 * One build of the first-entry snapshot of `night`: the entry events of days `from` … `night`,
 * read from the lake (at most `lake.max_days_per_query` partitions) or from those days' rollups,
 * folded into the snapshot of night `base` (none: the chain's first chunk).
 */
export interface EntriesBuild {
  readonly night: string;
  readonly base: string | null;
  readonly from: string;
  readonly source: 'lake' | 'rollups';
}

/** What night D builds, in order: the rollups (independent of each other), then the snapshot chain. */
export interface NightStatePlan {
  readonly dt: string;
  /** Rollup days to (re)build, sorted. */
  readonly rollups: readonly string[];
  /** Snapshot builds in order, each folding the one before; empty without candidates. */
  readonly entries: readonly EntriesBuild[];
  /** Every day whose rollup the night or its snapshot fold reads (built or current), sorted. */
  readonly rollupDays: readonly string[];
  /** The builds of the current state the plan keeps, by `buildKey`: what their manifests name. */
  readonly current: ReadonlyMap<string, string>;
  /** Pieces that did not match their manifests' files and are rebuilt (or not used as a base). */
  readonly repairs: readonly RunWarning[];
}

/** The key of a piece of state in `NightStatePlan.current`. */
export const buildKey = (kind: StateKind, day: string) => `${kind}/${day}`;

/** Where the snapshot chain may start and how far one query may reach. */
export interface PlanLimits {
  /**
   * The lake's first day: a snapshot built without a base reads from there. Null when nobody
   * knows (Athena without `lake.first_day`): such a night fails with a message saying so.
   */
  readonly lakeStart: string | null;
  /** `lake.max_days_per_query`. */
  readonly maxDays: number;
}

/** Days whose rollups night `dt` reads: the metrics' widest window and the candidate ranges. */
export function rollupDaysFor(config: NsmConfig, dt: string): string[] {
  const days = dayRange(earliestWindowDay(eventMetrics(config.metrics), dt), dt);
  return [...new Set([...days, ...(config.candidates ? candidateRollupDays(config.candidates, dt) : [])])].sort();
}

/**
 * `from` … `to` cut into ranges of at most `size` days, aligned on `to` (the first range may be
 * shorter). Aligned on the end, the chain's last snapshot before D is at least `size` nights old,
 * so the night itself folds it with the rollups it builds anyway.
 */
export function chunkDays(from: string, to: string, size: number): DayRange[] {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`chunk size must be an integer >= 1, got ${size}`);
  const chunks: DayRange[] = [];
  for (let end = to; end >= from; ) {
    const start = addDays(end, -(size - 1)) < from ? from : addDays(end, -(size - 1));
    chunks.unshift({ from: start, to: end });
    end = addDays(start, -1);
  }
  return chunks;
}

/**
 * The snapshot chain for night `dt`: a fold over rollups from a recent base, else chunks read from
 * the lake. @throws InputError when the chain must start at the lake's first day and none is known
 */
export function planEntries(dt: string, base: string | null, limits: PlanLimits): EntriesBuild[] {
  if (base !== null && daysBetween(base, dt) <= MAX_SNAPSHOT_GAP_DAYS) {
    // The fold re-reads the base's own last LOOKBACK_DAYS days: their rollups were rebuilt (late
    // events) after that snapshot was taken. min() makes reading a day twice harmless.
    return [{ night: dt, base, from: addDays(base, 1 - LOOKBACK_DAYS), source: 'rollups' }];
  }
  let start: string;
  if (base !== null) start = addDays(base, 1 - LOOKBACK_DAYS);
  else if (limits.lakeStart !== null) start = limits.lakeStart < dt ? limits.lakeStart : dt;
  else {
    throw new InputError(
      `night ${dt}: the first-entry snapshot is built from the lake's first day, which lake.first_day must give (the engine cannot list the lake)`,
    );
  }
  const chunks = chunkDays(start, dt, limits.maxDays);
  return chunks.map((chunk, i) => ({
    night: chunk.to,
    base: i === 0 ? base : chunks[i - 1]!.to,
    from: chunk.from,
    source: 'lake' as const,
  }));
}

/**
 * Decides what night `dt` builds (see the module comment), from the manifests in `store`.
 * @throws InputError when a snapshot must be read from the lake's start and `limits.lakeStart` is null
 */
export async function planNightState(config: NsmConfig, dt: string, store: ResultStore, limits: PlanLimits): Promise<NightStatePlan> {
  const current = new Map<string, string>();
  const repairs: RunWarning[] = [];
  /** True when a piece to reuse matches its manifest's files; otherwise records why it is not reused. */
  const verified = async (kind: StateKind, day: string, manifest: StateManifest, instead: string): Promise<boolean> => {
    const problem = await stateProblem(store, kind, day, manifest);
    if (problem === undefined) return true;
    // A piece from before verified state is rebuilt quietly (once, after an upgrade); anything else is news.
    if (manifest.files !== undefined) {
      repairs.push({
        code: 'state_rebuilt',
        message: `state ${stateBuildFolder(kind, day, manifest.build)}: ${problem}; ${instead}`,
        dt: day,
        key: stateManifestKey(kind, day),
      });
    }
    return false;
  };
  const entryEvent = config.candidates?.cohort.entry_event;
  const base = entryEvent
    ? await latestSnapshot(store, addDays(dt, -(LOOKBACK_DAYS + 1)), entriesShape(config, entryEvent), (night, m) =>
        verified('entries', night, m, 'not used as the base of the first-entry snapshot (an older one, or the lake, is)'),
      )
    : null;
  if (base !== null) current.set(buildKey('entries', base.night), base.build);
  const entries = entryEvent ? planEntries(dt, base?.night ?? null, limits) : [];
  const foldDays = entries.flatMap((e) => (e.source === 'rollups' ? dayRange(e.from, e.night) : []));

  const needed = [...new Set([...rollupDaysFor(config, dt), ...foldDays])].sort();
  const shape = rollupShape(config);
  const fresh = addDays(dt, -LOOKBACK_DAYS);
  const recheckEmpty = addDays(dt, -RECHECK_EMPTY_DAYS);
  const builds = await mapLimit(needed, READ_CONCURRENCY, async (day) => {
    if (day >= fresh) return null;
    const m = await readManifest(store, stateManifestKey('daily', day));
    if (m === null || m.shape !== shape || (m.rows === 0 && day >= recheckEmpty)) return null;
    return (await verified('daily', day, m, 'rebuilt from its lake partition')) ? m.build : null;
  });
  needed.forEach((day, i) => {
    const build = builds[i];
    if (build) current.set(buildKey('daily', day), build);
  });
  repairs.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  return { dt, rollups: needed.filter((_, i) => !builds[i]), entries, rollupDays: needed, current, repairs };
}

/** The newest snapshot night <= `until` of the given shape that `usable` accepts (default: any), with its build, or null. */
export async function latestSnapshot(
  store: ResultStore,
  until: string,
  shape: string,
  usable: (night: string, manifest: StateManifest) => Promise<boolean> = async () => true,
): Promise<{ night: string; build: string } | null> {
  const fits = async (night: string) => {
    const m = await readManifest(store, stateManifestKey('entries', night));
    return m !== null && m.shape === shape && (await usable(night, m)) ? { night, build: m.build } : null;
  };
  // The usual case — last night's run left the snapshot two nights back — costs one read and one listing.
  const usual = await fits(until);
  if (usual) return usual;
  const nights = (await store.list(stateManifestsPrefix('entries')))
    .map((key) => manifestDay('entries', key))
    .filter((d): d is string => d !== undefined && d < until)
    .sort()
    .reverse();
  for (const night of nights) {
    const found = await fits(night);
    if (found) return found;
  }
  return null;
}
