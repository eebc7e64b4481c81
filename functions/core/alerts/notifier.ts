/**
 * The notifier port (docs/design.md §1). Adapters: `LocalNotifier` (console + the night's
 * `alerts.jsonl`) and `SnsNotifier` (an SNS topic; email and SMS subscribers).
 */
import type { AlertRow } from '../results/rows';

export interface Notifier {
  /** Delivers one alert; rejects (with a `NotifyError`) when delivery failed. */
  publish(alert: AlertRow): Promise<void>;
}
