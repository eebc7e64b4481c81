/**
 * The results store as a run under the lease sees it: every write (`put`, `putIfAbsent`,
 * `deletePrefix`) first checks that the run still holds its lease (`RunLease.assertHeld`), so a
 * run that lost it — it hung past its expiry and another run took over — stops before its next
 * write instead of pruning or overwriting what the new holder relies on. Reads pass through.
 */
import type { ObjectInfo, ResultStore } from '../results/store';

export function fencedStore(store: ResultStore, lease: { assertHeld(): void }): ResultStore {
  return {
    location: store.location,
    put: async (key, body, contentType) => {
      lease.assertHeld();
      return store.put(key, body, contentType);
    },
    putIfAbsent: async (key, body, contentType) => {
      lease.assertHeld();
      return store.putIfAbsent(key, body, contentType);
    },
    deletePrefix: async (prefix) => {
      lease.assertHeld();
      return store.deletePrefix(prefix);
    },
    get: (key) => store.get(key),
    list: (prefix) => store.list(prefix),
    listObjects: (prefix): Promise<ObjectInfo[]> => store.listObjects(prefix),
    uriFor: (key) => store.uriFor(key),
    ...(store.consoleUrlFor ? { consoleUrlFor: (key: string) => store.consoleUrlFor?.(key) } : {}),
    ...(store.removeTemporaries
      ? {
          removeTemporaries: async (olderThan: Date) => {
            lease.assertHeld();
            return store.removeTemporaries?.(olderThan) ?? [];
          },
        }
      : {}),
  };
}
