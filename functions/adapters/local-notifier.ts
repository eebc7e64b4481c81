/**
 * `Notifier` for a laptop or CI (docs/design.md §1): prints each alert as a readable block (subject,
 * email body, SMS line) and appends it as one JSON line to an outbox file, so scripts and tests
 * can see exactly what would have gone out. The night's `alerts.jsonl` is the pipeline's job.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { alertMarkerKey } from '../core/alerts/marker';
import type { Notifier } from '../core/alerts/notifier';
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
  async publish(alert: AlertRow): Promise<void> {
    try {
      await mkdir(dirname(this.outbox), { recursive: true });
      await appendFile(this.outbox, `${JSON.stringify(alert)}\n`, 'utf8');
    } catch (err) {
      throw new NotifyError(alertMarkerKey(alert), `cannot append to ${this.outbox}: ${(err as Error).message}`, { cause: err });
    }
    this.write(renderAlertBlock(alert));
  }
}
