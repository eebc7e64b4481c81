/**
 * Keys of the exactly-once machinery (see `send-once.ts`). The marker key itself comes from
 * `alertSentKey` in the results layout; these helpers only fill it in for an alert and derive
 * the claim keys that sit beside it.
 */
import { alertSentKey } from '../results/layout';
import type { AlertRow } from '../results/rows';

/**
 * The metric part of the marker key of an alert about the whole night (`data_incomplete`, whose
 * `metric_id` is null). Metric ids start with a letter, so this can never name a metric.
 */
export const NIGHT_SCOPE = '_night';

/** The durable "sent" marker of an alert: one per (dt, metric, kind). */
export function alertMarkerKey(alert: Pick<AlertRow, 'dt' | 'metric_id' | 'kind'>): string {
  return alertSentKey(alert.dt, alert.metric_id ?? NIGHT_SCOPE, alert.kind);
}

/**
 * The claim of the `generation`-th attempt to send the alert whose marker is `markerKey`. It ends in
 * `.claim-N`, not `.json`, so listing the night's markers never mistakes a claim for a sent alert.
 */
export function alertClaimKey(markerKey: string, generation: number): string {
  return `${markerKey}.claim-${generation}`;
}

/** The folder (key prefix) holding every marker of night `dt`. */
export function sentMarkersPrefix(dt: string): string {
  const key = alertSentKey(dt, NIGHT_SCOPE, 'drop');
  return key.slice(0, key.lastIndexOf('/') + 1);
}
