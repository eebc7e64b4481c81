/**
 * Work that writes to the results location — a range of nights, a backfill's state step — runs
 * under that location's run lease (core/lease/run-lease.ts): taken first (waiting for another
 * run's, as `deps.lease` says), renewed while the work runs, released at the end, failed or not.
 * Every write goes through a store fenced by it. Once the lease is held, temporary files that
 * killed runs left behind are removed.
 */
import { fencedStore } from '../lease/fenced-store';
import { acquireRunLease, type LeaseToken } from '../lease/run-lease';
import type { PipelineDeps } from './deps';

/** A run id for run.json and the lease when the caller has none: the time and 8 random hex digits. */
export const newRunId = (now: Date): string =>
  `run-${now.toISOString().replace(/[-:.]/g, '')}-${globalThis.crypto.randomUUID().slice(0, 8)}`;

/**
 * Runs `work` with `deps` whose store is fenced by the run lease, taken for `runId`.
 * @throws LeaseHeldError when another run keeps the lease beyond the wait (`work` never ran)
 */
export async function underRunLease<T>(
  deps: PipelineDeps,
  runId: string,
  work: (leased: PipelineDeps, lease: LeaseToken) => Promise<T>,
): Promise<T> {
  const lease = await acquireRunLease(deps.store, {
    ...deps.lease,
    runId,
    now: () => deps.now().getTime(),
    onWait: deps.log,
    warn: deps.warn,
  });
  try {
    const leased: PipelineDeps = { ...deps, store: fencedStore(deps.store, lease) };
    await removeTemporaries(leased, lease.acquiredAt);
    return await work(leased, lease.token);
  } finally {
    await lease.release();
  }
}

/**
 * Housekeeping once the lease is held: no other writer exists, so every temporary file older than
 * the lease is a leftover of a killed run (`.tmp`, old `.partial-<pid>` files). A failure is a warning.
 */
async function removeTemporaries(deps: PipelineDeps, olderThan: Date): Promise<void> {
  try {
    const removed = (await deps.store.removeTemporaries?.(olderThan)) ?? [];
    if (removed.length > 0)
      deps.log(
        `removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} of an interrupted run (${removed.slice(0, 3).join(', ')}${removed.length > 3 ? ', …' : ''})`,
      );
  } catch (err) {
    deps.warn(`temporary files of interrupted runs not removed (the next run tries again): ${(err as Error).message}`);
  }
}
