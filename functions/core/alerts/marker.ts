/**
 * The keys of one alert's exactly-once machinery (see `send-once.ts`), filled in from the results
 * layout.
 */
import { alertSentKey, legacyAlertSentKey } from '../results/layout';
import type { AlertRow } from '../results/rows';

/**
 * The metric part of the marker key of an alert about the whole night (`data_incomplete`, whose
 * `metric_id` is null). Metric ids start with a letter, so this can never name a metric.
 */
export const NIGHT_SCOPE = '_night';

type AlertId = Pick<AlertRow, 'dt' | 'metric_id' | 'kind'>;

/** The durable "sent" marker of an alert: one per (dt, metric, kind). */
export function alertMarkerKey(alert: AlertId): string {
  return alertSentKey(alert.dt, alert.metric_id ?? NIGHT_SCOPE, alert.kind);
}

/** Where a release before `alerts-sent/` recorded the same alert as sent (read, never written). */
export function legacyAlertMarkerKey(alert: AlertId): string {
  return legacyAlertSentKey(alert.dt, alert.metric_id ?? NIGHT_SCOPE, alert.kind);
}
