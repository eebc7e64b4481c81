/**
 * `Notifier` for a laptop or CI (docs/design.md §1): prints each alert as a readable block (subject,
 * email body, SMS line) and appends it as one JSON line to an outbox file, so scripts and tests
 * can see exactly what would have gone out. The night's `alerts.jsonl` is the pipeline's job.
 *
 * Each outbox line carries the delivery's `alert_id` and `attempt`, so that after a run was killed
 * between this append and its "sent" marker, the next run can ask `delivered` and record the
 * alert as sent instead of sending it again: the outbox and the markers never disagree for long.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Delivery, Notifier } from '../core/alerts/notifier';
import { NotifyError } from '../core/errors';
import type { AlertRow } from '../core/results/rows';

const RULE = '='.repeat(72);

/** The printed form of an alert. */
export function renderAlertBlock(alert: AlertRow): string {
  const body = alert.message.endsWith('\n') ? alert.message : `${alert.message}\n`;
  return `${RULE}\nALERT  ${alert.subject}\n${RULE}\n${body}\nSMS: ${alert.sms}\n${RULE}\n`;
}

export class LocalNotifier implements Notifier {
  /** The absolute path of the outbox file. */
  readonly outbox: string;

  /**
   * @param outboxPath JSON Lines file each alert is appended to (folders are created as needed)
   * @param write where the readable block goes; default standard output
   */
  constructor(
    outboxPath: string,
    private readonly write: (text: string) => void = (text) => void process.stdout.write(text),
  ) {
    this.outbox = resolve(outboxPath);
  }

  /**
   * Appends to the outbox first, then prints: the outbox is the durable record, so a failure
   * there fails the publish (`NotifyError`) before anything claims the alert went out.
   */
  async publish(alert: AlertRow, delivery: Delivery): Promise<void> {
    try {
      await mkdir(dirname(this.outbox), { recursive: true });
      // One write of one whole line: a kill lands before it or after it.
      await appendFile(this.outbox, `${JSON.stringify({ ...alert, alert_id: delivery.alertId, attempt: delivery.attempt })}\n`, 'utf8');
    } catch (err) {
      throw new NotifyError(delivery.alertId, `cannot append to ${this.outbox}: ${(err as Error).message}`, { cause: err });
    }
    this.write(renderAlertBlock(alert));
  }

  /** Whether the outbox holds a line of `delivery`'s attempt (a torn last line is no delivery). */
  async delivered(delivery: Delivery): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.outbox, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new NotifyError(delivery.alertId, `cannot read ${this.outbox}: ${(err as Error).message}`, { cause: err });
    }
    const needle = `"attempt":${JSON.stringify(delivery.attempt)}`;
    return text.split('\n').some((line) => {
      if (!line.includes(needle)) return false;
      try {
        return (JSON.parse(line) as { attempt?: unknown }).attempt === delivery.attempt;
      } catch {
        return false;
      }
    });
  }
}
