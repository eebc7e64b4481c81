/**
 * The notifier port (docs/design.md §1). Adapters: `LocalNotifier` (console + an outbox file) and
 * `SnsNotifier` (an SNS topic; email and SMS subscribers).
 */
import type { AlertRow } from '../results/rows';

/** Which attempt to deliver which alert (core/alerts/send-once.ts). */
export interface Delivery {
  /** The alert's id, `<kind>-<16 hex>` (core/alerts/marker.ts): the same on every attempt. */
  readonly alertId: string;
  /** This attempt's claim key: unique per attempt. */
  readonly attempt: string;
}

export interface Notifier {
  /** Delivers one alert; rejects (with a `NotifyError`) when delivery failed. */
  publish(alert: AlertRow, delivery: Delivery): Promise<void>;
  /**
   * Whether `delivery` went out, for an attempt whose run was killed before it could record the
   * answer: true or false where the notifier keeps a record it can consult (the local outbox);
   * absent where it cannot tell (SNS keeps none): the alert is then sent again — the one way an
   * alert can go out twice (docs/operations.md).
   */
  delivered?(delivery: Delivery): Promise<boolean>;
}
