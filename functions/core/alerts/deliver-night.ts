import { toJsonLines } from '../results/json-lines';
import { alertsKey } from '../results/layout';
import type { AlertRow } from '../results/rows';
import { CONTENT_TYPE, type ResultStore } from '../results/store';
import type { Notifier } from './notifier';
import { type SendOnceOptions, sendAlertsOnce } from './send-once';
import { readSentAlerts } from './sent-alerts';

/** What one night's alert delivery did. */
export interface NightDelivery {
  /** Delivered by this run (empty when delivery failed: then `recorded` is the record of what went out). */
  sent: AlertRow[];
  /** Delivered by a killed earlier run and recorded now, not sent again (`SendOnceResult.reconciled`). */
  reconciled: AlertRow[];
  /** Sent again after a killed run's attempt the notifier could not rule out (`SendOnceResult.resent`). */
  resent: AlertRow[];
  /** Every alert recorded as sent for the night (this run's and earlier runs'), as in `alerts.jsonl`. */
  recorded: AlertRow[];
  /** The delivery failure, if any: the caller fails the night with it after recording what was sent. */
  error: Error | undefined;
}

/**
 * The pipeline's alert step for night `dt`: sends `alerts` at most once each (`sendAlertsOnce`),
 * then writes `alerts/dt=D/alerts.jsonl` with every alert recorded as sent for the night — also
 * when a send failed, so the file never misses an alert that went out. Nothing is written when the
 * night has no sent alert (the file "may be absent"). Pass no alerts to only refresh the record
 * (a backfilled night that does not send).
 */
export async function deliverNightAlerts(
  store: ResultStore,
  notifier: Notifier,
  dt: string,
  alerts: readonly AlertRow[],
  options: SendOnceOptions,
): Promise<NightDelivery> {
  let outcome = { sent: [] as AlertRow[], reconciled: [] as AlertRow[], resent: [] as AlertRow[] };
  let error: Error | undefined;
  if (alerts.length > 0) {
    try {
      outcome = await sendAlertsOnce(store, notifier, alerts, options);
    } catch (err) {
      error = err as Error;
    }
  }
  const recorded = await readSentAlerts(store, dt);
  if (recorded.length > 0) await store.put(alertsKey(dt), toJsonLines(recorded), CONTENT_TYPE.jsonl);
  return { sent: outcome.sent, reconciled: outcome.reconciled, resent: outcome.resent, recorded, error };
}
