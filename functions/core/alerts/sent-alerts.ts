import { sentMarkersPrefix } from '../results/layout';
import { readJson } from '../results/read-json';
import type { AlertRow } from '../results/rows';
import type { ResultStore } from '../results/store';

/**
 * Every alert recorded as sent for night `dt` (by this run or an earlier one), read from the
 * markers `sendAlertsOnce` writes; the pipeline writes them to `alerts/dt=D/alerts.jsonl` and the
 * report. Ordered by marker key: `data_incomplete` before `drop`, then by metric id.
 *
 * @throws StoreError when a marker is not valid JSON
 */
export async function readSentAlerts(store: ResultStore, dt: string): Promise<AlertRow[]> {
  const keys = (await store.list(sentMarkersPrefix(dt))).filter((k) => k.endsWith('.json'));
  const rows = await Promise.all(keys.map((k) => readJson<AlertRow>(store, k)));
  // null: listed, then gone. Nothing in this design deletes markers, but S3 lists are not snapshots.
  return rows.filter((r): r is AlertRow => r !== null);
}
