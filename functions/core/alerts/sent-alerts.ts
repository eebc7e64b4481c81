import { legacySentMarkersPrefix, sentMarkersPrefix } from '../results/layout';
import { readJson } from '../results/read-json';
import type { AlertRow } from '../results/rows';
import type { ResultStore } from '../results/store';

/** `data_incomplete` before `drop`, then by metric id: the order of `alerts.jsonl` and the report. */
const byKindThenMetric = (a: AlertRow, b: AlertRow) =>
  a.kind === b.kind ? (a.metric_id ?? '').localeCompare(b.metric_id ?? '') : a.kind.localeCompare(b.kind);

/**
 * Every alert recorded as sent for night `dt` (by this run or an earlier one), read from the
 * markers `sendAlertsOnce` writes (`alerts-sent/dt=D/*.json`); the pipeline writes them to
 * `alerts/dt=D/alerts.jsonl` and the report. Markers of older layouts — `<kind>--<metric>.json`,
 * here or under `state/alerts-sent/` — count too; where two markers record the same alert (kind and
 * metric), the one in `alerts-sent/` wins, and a hashed one over an older name.
 *
 * @throws StoreError when a marker is not valid JSON
 */
export async function readSentAlerts(store: ResultStore, dt: string): Promise<AlertRow[]> {
  const [legacy, current] = await Promise.all([store.list(legacySentMarkersPrefix(dt)), store.list(sentMarkersPrefix(dt))]);
  // Read in order of precedence, lowest first, so that a later marker of the same alert replaces it.
  const isOldName = (key: string) => key.includes('--');
  const keys = [
    ...legacy.filter((k) => k.endsWith('.json')),
    ...current.filter((k) => k.endsWith('.json') && isOldName(k)),
    ...current.filter((k) => k.endsWith('.json') && !isOldName(k)),
  ];
  const rows = await Promise.all(keys.map((k) => readJson<AlertRow>(store, k)));
  const byAlert = new Map<string, AlertRow>();
  // null: listed, then gone. Nothing in this design deletes markers, but S3 lists are not snapshots.
  // Markers written before `late` existed were all sent on time.
  for (const row of rows) if (row !== null) byAlert.set(JSON.stringify([row.kind, row.metric_id]), { ...row, late: row.late === true });
  return [...byAlert.values()].sort(byKindThenMetric);
}
