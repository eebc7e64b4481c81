import { legacySentMarkersPrefix, sentMarkersPrefix } from '../results/layout';
import { readJson } from '../results/read-json';
import type { AlertRow } from '../results/rows';
import type { ResultStore } from '../results/store';

/**
 * Every alert recorded as sent for night `dt` (by this run or an earlier one), read from the
 * markers `sendAlertsOnce` writes; the pipeline writes them to `alerts/dt=D/alerts.jsonl` and the
 * report. Markers an earlier release wrote under `state/alerts-sent/` count too (the newer marker
 * wins where both exist). Ordered by marker name: `data_incomplete` before `drop`, then by metric id.
 *
 * @throws StoreError when a marker is not valid JSON
 */
export async function readSentAlerts(store: ResultStore, dt: string): Promise<AlertRow[]> {
  const byName = new Map<string, string>();
  for (const prefix of [legacySentMarkersPrefix(dt), sentMarkersPrefix(dt)]) {
    for (const key of await store.list(prefix)) if (key.endsWith('.json')) byName.set(key.slice(prefix.length), key);
  }
  const keys = [...byName.keys()].sort().map((name) => byName.get(name)!);
  const rows = await Promise.all(keys.map((k) => readJson<AlertRow>(store, k)));
  // null: listed, then gone. Nothing in this design deletes markers, but S3 lists are not snapshots.
  return rows.filter((r): r is AlertRow => r !== null);
}
