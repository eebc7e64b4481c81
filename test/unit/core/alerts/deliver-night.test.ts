import { describe, expect, it } from 'vitest';
import { deliverNightAlerts } from '../../../../functions/core/alerts/deliver-night';
import { NotifyError } from '../../../../functions/core/errors';
import { fromJsonLines } from '../../../../functions/core/results/json-lines';
import { alertsKey } from '../../../../functions/core/results/layout';
import type { AlertRow } from '../../../../functions/core/results/rows';
import { alertRow as alert, RecordingNotifier } from '../../../support/alerts';
import { MemoryResultStore } from '../../../support/memory-store';

const options = { lease: { runId: 'r', lease: 'lease/g0000000000.json' } };

/** A notifier that rejects the alerts `fail` picks with a NotifyError. */
const notifier = (fail: (a: AlertRow) => boolean = () => false) => {
  const n = new RecordingNotifier((a) => (fail(a) ? new NotifyError('k', 'down') : undefined));
  return { n, published: n.published };
};

describe('deliverNightAlerts', () => {
  it('sends, then writes alerts.jsonl with every alert recorded as sent for the night', async () => {
    const store = new MemoryResultStore();
    const { n, published } = notifier();
    const first = await deliverNightAlerts(store, n, '2024-03-31', [alert('b')], options);
    expect(first).toEqual({ sent: [alert('b')], reconciled: [], resent: [], recorded: [alert('b')], error: undefined });
    const second = await deliverNightAlerts(store, n, '2024-03-31', [alert('a'), alert('b')], options);
    expect(second.sent).toEqual([alert('a')]);
    expect(published).toEqual([alert('b'), alert('a')]);
    expect(fromJsonLines(store.text(alertsKey('2024-03-31'))!)).toEqual([alert('a'), alert('b')]);
  });

  it('writes no alerts.jsonl for a night without sent alerts, and sends nothing when given nothing', async () => {
    const store = new MemoryResultStore();
    const { n, published } = notifier();
    expect(await deliverNightAlerts(store, n, '2024-03-31', [], options)).toEqual({
      sent: [],
      reconciled: [],
      resent: [],
      recorded: [],
      error: undefined,
    });
    expect(store.keys()).toEqual([]);
    expect(published).toEqual([]);
  });

  it('on a failed send returns the error and still records the alerts that went out', async () => {
    const store = new MemoryResultStore();
    const { n } = notifier((a) => a.metric_id === 'b');
    const result = await deliverNightAlerts(store, n, '2024-03-31', [alert('a'), alert('b'), alert('c')], options);
    expect(result.error).toBeInstanceOf(NotifyError);
    expect(result.recorded).toEqual([alert('a'), alert('c')]);
    expect(fromJsonLines(store.text(alertsKey('2024-03-31'))!)).toEqual([alert('a'), alert('c')]);
  });

  it('records alerts an earlier release marked under state/alerts-sent/, the newer marker winning where both exist', async () => {
    const older = { ...alert('a'), subject: 'as sent before the upgrade' };
    const store = new MemoryResultStore({
      'state/alerts-sent/dt=2024-03-31/drop--a.json': JSON.stringify(older),
      'state/alerts-sent/dt=2024-03-31/drop--b.json': JSON.stringify({ ...alert('b'), subject: 'stale' }),
      'alerts-sent/dt=2024-03-31/drop--b.json': JSON.stringify(alert('b')),
    });
    const { n, published } = notifier();
    const result = await deliverNightAlerts(store, n, '2024-03-31', [alert('a'), alert('b'), alert('c')], options);
    expect(published).toEqual([alert('c')]);
    expect(result.recorded).toEqual([older, alert('b'), alert('c')]);
    expect(fromJsonLines(store.text(alertsKey('2024-03-31'))!)).toEqual([older, alert('b'), alert('c')]);
  });
});
