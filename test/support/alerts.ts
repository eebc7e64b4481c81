/**
 * Alert rows and a recording notifier for the alert-sending unit tests (deliver-night,
 * send-once): one builder and one fake, so both suites send the same kind of alert.
 */
import type { Delivery, Notifier } from '../../functions/core/alerts/notifier';
import type { AlertRow } from '../../functions/core/results/rows';

/** A drop alert for `metric_id` on `dt`; subject, message and sms name the metric. */
export const alertRow = (metric_id: string | null, kind: AlertRow['kind'] = 'drop', dt = '2024-03-31'): AlertRow => ({
  dt,
  kind,
  metric_id,
  incident_id: metric_id === null ? null : `${metric_id}:${dt}`,
  night_of_incident: metric_id === null ? null : 1,
  value: 1,
  baseline: 2,
  change_pct: -50,
  robust_z: -9,
  drivers: [],
  segments: [],
  subject: `subject ${metric_id}`,
  message: `message ${metric_id}`,
  sms: `sms ${metric_id}`,
  late: false,
});

/**
 * Records what it delivers; `fail` decides which alerts it rejects; `onPublish` runs inside publish.
 * Like SNS it cannot say afterwards what it delivered (no `delivered`): see {@link RecordKeepingNotifier}.
 */
export class RecordingNotifier implements Notifier {
  readonly published: AlertRow[] = [];
  readonly deliveries: Delivery[] = [];
  constructor(
    private readonly fail: (a: AlertRow) => Error | undefined = () => undefined,
    private readonly onPublish: (a: AlertRow) => Promise<void> | void = () => undefined,
  ) {}
  async publish(a: AlertRow, delivery: Delivery): Promise<void> {
    await this.onPublish(a);
    const err = this.fail(a);
    if (err) throw err;
    this.published.push(a);
    this.deliveries.push(delivery);
  }
}

/** A notifier that, like the local outbox, can say whether an attempt was delivered (from `log`, shared across runs). */
export class RecordKeepingNotifier extends RecordingNotifier {
  constructor(
    readonly log: Delivery[] = [],
    fail?: (a: AlertRow) => Error | undefined,
  ) {
    super(fail);
  }
  override async publish(a: AlertRow, delivery: Delivery): Promise<void> {
    await super.publish(a, delivery);
    this.log.push(delivery);
  }
  async delivered(delivery: Delivery): Promise<boolean> {
    return this.log.some((d) => d.attempt === delivery.attempt);
  }
}
