import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalNotifier, renderAlertBlock } from '../../../functions/adapters/local-notifier';
import { NotifyError } from '../../../functions/core/errors';
import { fromJsonLines } from '../../../functions/core/results/json-lines';
import type { AlertRow } from '../../../functions/core/results/rows';

const alert = (metric_id: string | null, kind: AlertRow['kind'] = 'drop'): AlertRow => ({
  dt: '2024-03-31',
  kind,
  metric_id,
  incident_id: null,
  night_of_incident: null,
  value: 700,
  baseline: 1000,
  change_pct: -30,
  robust_z: -8.1,
  drivers: [
    {
      metric_id: 'new_teams',
      name: 'New teams',
      depth: 1,
      value: 1,
      baseline: 2,
      change_pct: -50,
      status: 'drop',
      contribution: null,
      contribution_pct: null,
    },
  ],
  segments: [],
  subject: '[nsm] Drop 2024-03-31: Teams -30.0% (700 vs 1k)',
  message: 'Teams (teams) dropped on 2024-03-31.\n\nReport: /r/report.html\n',
  sms: '[nsm] 2024-03-31 drop: Teams 700 vs 1k (-30.0%, z -8.1).',
  late: false,
});

const delivery = (attempt: string) => ({ alertId: 'drop-0123456789abcdef', attempt });
const D1 = delivery('alerts-sent/dt=2024-03-31/drop-0123456789abcdef.claim-0');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsm-notifier-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalNotifier', () => {
  it('prints a readable block with subject, body and SMS', async () => {
    const printed: string[] = [];
    const notifier = new LocalNotifier(join(dir, 'outbox.jsonl'), (t) => printed.push(t));
    await notifier.publish(alert('teams'), D1);
    const rule = '='.repeat(72);
    expect(printed).toEqual([
      `${rule}\nALERT  [nsm] Drop 2024-03-31: Teams -30.0% (700 vs 1k)\n${rule}\n` +
        'Teams (teams) dropped on 2024-03-31.\n\nReport: /r/report.html\n\n' +
        `SMS: [nsm] 2024-03-31 drop: Teams 700 vs 1k (-30.0%, z -8.1).\n${rule}\n`,
    ]);
    expect(renderAlertBlock({ ...alert('x'), message: 'no newline' })).toContain('no newline\n\nSMS:');
  });

  it('appends each alert as one JSON line to the outbox, creating its folder', async () => {
    const outbox = join(dir, 'deep', 'er', 'outbox.jsonl');
    const notifier = new LocalNotifier(outbox, () => undefined);
    await notifier.publish(alert('teams'), D1);
    await notifier.publish(alert(null, 'data_incomplete'), delivery('c-1'));
    expect(notifier.outbox).toBe(outbox);
    // Each line is the alert with the delivery that sent it (what `delivered` looks for).
    expect(fromJsonLines<AlertRow>(await readFile(outbox, 'utf8'))).toEqual([
      { ...alert('teams'), alert_id: D1.alertId, attempt: D1.attempt },
      { ...alert(null, 'data_incomplete'), alert_id: D1.alertId, attempt: 'c-1' },
    ]);
  });

  it('says which attempts it delivered, from the outbox; a torn last line is no delivery', async () => {
    const outbox = join(dir, 'outbox.jsonl');
    const notifier = new LocalNotifier(outbox, () => undefined);
    expect(await notifier.delivered(D1)).toBe(false); // no outbox yet
    await notifier.publish(alert('teams'), D1);
    const torn = JSON.stringify({ ...alert('teams'), attempt: 'c-2' }).slice(0, -12);
    await writeFile(outbox, `${await readFile(outbox, 'utf8')}${torn}`);
    expect(await notifier.delivered(D1)).toBe(true);
    expect(await notifier.delivered(delivery('c-2'))).toBe(false);
    expect(await notifier.delivered(delivery('alerts-sent/dt=2024-03-31/drop-0123456789abcdef.claim-1'))).toBe(false);
  });

  it('keeps what the outbox already holds', async () => {
    const outbox = join(dir, 'outbox.jsonl');
    await writeFile(outbox, '{"earlier":true}\n');
    await new LocalNotifier(outbox, () => undefined).publish(alert('teams'), D1);
    expect((await readFile(outbox, 'utf8')).split('\n')[0]).toBe('{"earlier":true}');
  });

  it('fails with a NotifyError naming the alert, and prints nothing, when the outbox cannot be written', async () => {
    const printed: string[] = [];
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const notifier = new LocalNotifier(join(blocker, 'outbox.jsonl'), (t) => printed.push(t)); // a folder under a file
    const err = await notifier.publish(alert(null, 'data_incomplete'), D1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).alertKey).toBe(D1.alertId);
    expect(printed).toEqual([]);
  });

  it('prints to standard output by default', async () => {
    const notifier = new LocalNotifier(join(dir, 'outbox.jsonl'));
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await notifier.publish(alert('teams'), D1);
    } finally {
      process.stdout.write = original;
    }
    expect(writes.join('')).toContain('ALERT  [nsm] Drop 2024-03-31: Teams -30.0% (700 vs 1k)');
  });
});
