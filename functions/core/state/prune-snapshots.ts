/**
 * Old first-entry snapshots are deleted, so the state does not grow by one snapshot (every user
 * ever seen) per night. Rollups are kept: they are what makes re-running an older night cheap,
 * and they grow with the lake, not faster.
 *
 * Kept: every snapshot of the last {@link KEEP_RECENT_SNAPSHOT_DAYS} nights up to D (re-runs of
 * the last week fold from a close base), every snapshot after D (an older night being re-run must
 * not delete newer ones), and the first snapshot of each calendar month, so that re-running any
 * older night still finds a base within about a month, well inside `MAX_SNAPSHOT_GAP_DAYS`.
 */
import { addDays } from '../dates';
import { manifestDay, stateManifestKey, stateManifestsPrefix } from '../results/layout';
import { CONTENT_TYPE, type ResultStore } from '../results/store';
import { deleteBuilds } from './build-state';
import { manifestText, readManifestEntry } from './manifest';

export const KEEP_RECENT_SNAPSHOT_DAYS = 7;

/** The snapshot nights to delete after night `dt` wrote its own, oldest first. */
export function snapshotsToPrune(nights: readonly string[], dt: string): string[] {
  const sorted = [...new Set(nights)].sort();
  const keepFrom = addDays(dt, -(KEEP_RECENT_SNAPSHOT_DAYS - 1));
  const monthFirsts = new Set<string>();
  const months = new Set<string>();
  for (const night of sorted) {
    const month = night.slice(0, 7);
    if (!months.has(month)) {
      months.add(month);
      monthFirsts.add(night);
    }
  }
  return sorted.filter((night) => night < keepFrom && !monthFirsts.has(night));
}

/**
 * Deletes the snapshots {@link snapshotsToPrune} names. Each manifest is first marked as being
 * pruned (no night reads a snapshot whose manifest does not carry its shape), then every build of
 * that night is deleted, then the manifest: a failure part way leaves a manifest that the next
 * night's pruning finds again.
 * @returns the nights pruned
 */
export async function pruneSnapshots(store: ResultStore, dt: string, now: () => Date): Promise<string[]> {
  const nights = (await store.list(stateManifestsPrefix('entries')))
    .map((key) => manifestDay('entries', key))
    .filter((d): d is string => d !== undefined);
  const doomed = snapshotsToPrune(nights, dt);
  for (const night of doomed) await deleteSnapshot(store, night, dt, now);
  return doomed;
}

/**
 * Deletes the first-entry snapshot of `night` (if any), safely for readers: its manifest is first
 * marked as being pruned (no night reads a snapshot whose manifest does not carry its shape), then
 * its builds, then the manifest. `by` is the night whose run deletes it.
 */
export async function deleteSnapshot(store: ResultStore, night: string, by: string, now: () => Date): Promise<void> {
  const key = stateManifestKey('entries', night);
  const read = await readManifestEntry(store, key);
  const build = read.status === 'ok' ? read.manifest.build : 'none';
  const marker = manifestText({ dt: night, shape: 'pruning', build, built_at: now().toISOString(), built_by: by, rows: null });
  await store.put(key, marker, CONTENT_TYPE.json);
  await deleteBuilds(store, 'entries', night, { keep: null, legacy: true });
  await store.deletePrefix(key);
}

/**
 * After night `dt` was recomputed on data that landed late, the snapshots of the nights after it
 * (up to `until`, exclusive) folded its partial rollup: a user whose first entry is in the late
 * data is missing from them or has a later entry day. They are deleted, so that later nights fold
 * from `dt`'s own snapshot, rebuilt by the recomputation. Returns the nights deleted.
 */
export async function deleteSnapshotsAfter(store: ResultStore, dt: string, until: string, now: () => Date): Promise<string[]> {
  const nights = (await store.list(stateManifestsPrefix('entries')))
    .map((key) => manifestDay('entries', key))
    .filter((d): d is string => d !== undefined && d > dt && d < until)
    .sort();
  for (const night of nights) await deleteSnapshot(store, night, dt, now);
  return nights;
}
