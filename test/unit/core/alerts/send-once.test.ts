import { describe, expect, it } from 'vitest';
import { alertMarkerKey, legacyAlertMarkerKey } from '../../../../functions/core/alerts/marker';
import type { Notifier } from '../../../../functions/core/alerts/notifier';
import { type SendOnceOptions, sendAlertsOnce } from '../../../../functions/core/alerts/send-once';
import { readSentAlerts } from '../../../../functions/core/alerts/sent-alerts';
import { NotifyError, StoreError } from '../../../../functions/core/errors';
import { alertClaimKey } from '../../../../functions/core/results/layout';
import { alertRow as alert, RecordingNotifier } from '../../../support/alerts';
import { MemoryResultStore } from '../../../support/memory-store';

/** A fake clock whose sleep advances time, so waits for a claim's TTL take no real time. */
function fakeClock(start = Date.parse('2024-04-01T06:00:00Z')) {
  const clock = { t: start, slept: 0 };
  const options: SendOnceOptions = {
    now: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
      clock.slept += ms;
    },
    claimTtlMs: 60_000,
    pollMs: 1_000,
    owner: 'test-run',
  };
  return { clock, options };
}

const A = alert('posting_teams');
const B = alert('new_teams');
const INCOMPLETE = alert(null, 'data_incomplete');

describe('sendAlertsOnce', () => {
  it('sends every alert and then writes its marker holding the alert row', async () => {
    const store = new MemoryResultStore();
    const markersSeenDuringSend: (string | undefined)[] = [];
    const notifier = new RecordingNotifier(undefined, (a) => {
      markersSeenDuringSend.push(store.text(alertMarkerKey(a)));
    });
    const result = await sendAlertsOnce(store, notifier, [A, B, INCOMPLETE], fakeClock().options);
    expect(result).toEqual({ sent: [A, B, INCOMPLETE], alreadySent: [] });
    expect(notifier.published).toEqual([A, B, INCOMPLETE]);
    expect(markersSeenDuringSend).toEqual([undefined, undefined, undefined]); // marker only after the send
    expect(JSON.parse(store.text('alerts-sent/dt=2024-03-31/drop--posting_teams.json')!)).toEqual(A);
    expect(JSON.parse(store.text('alerts-sent/dt=2024-03-31/data_incomplete--_night.json')!)).toEqual(INCOMPLETE);
    // One claim per alert, taken before the send.
    expect(store.keys('alerts-sent/').filter((k) => k.includes('.claim-'))).toHaveLength(3);
  });

  it('sends nothing marked as sent where releases before alerts-sent/ kept markers (state/alerts-sent/)', async () => {
    const legacy = 'state/alerts-sent/dt=2024-03-31/drop--posting_teams.json';
    expect(legacyAlertMarkerKey(A)).toBe(legacy);
    const store = new MemoryResultStore({ [legacy]: JSON.stringify(A) });
    const notifier = new RecordingNotifier();
    const result = await sendAlertsOnce(store, notifier, [A, B], fakeClock().options);
    expect(notifier.published).toEqual([B]);
    expect(result).toEqual({ sent: [B], alreadySent: [A] });
    // Nothing is written for A: no claim, no marker at the new place.
    expect(store.keys('alerts-sent/').filter((k) => k.includes('posting_teams'))).toEqual([]);
    expect(await readSentAlerts(store, '2024-03-31')).toEqual([B, A]);
  });

  it('sends nothing whose marker exists, and takes no claim for it', async () => {
    const store = new MemoryResultStore();
    await sendAlertsOnce(store, new RecordingNotifier(), [A], fakeClock().options);
    const earlier = store.text(alertMarkerKey(A));
    const notifier = new RecordingNotifier();
    const changedText = { ...A, subject: 'a re-run computes a different text' };
    const calls = store.calls.length;
    const result = await sendAlertsOnce(store, notifier, [changedText, B], fakeClock().options);
    expect(notifier.published).toEqual([B]);
    // The row as it was sent the first time, not tonight's re-computation.
    expect(result).toEqual({ sent: [B], alreadySent: [A] });
    expect(store.text(alertMarkerKey(A))).toBe(earlier);
    expect(store.calls.slice(calls).filter((c) => c.includes('posting_teams'))).toEqual([`get ${alertMarkerKey(A)}`]);
  });

  it('when the notifier throws: no marker, claim released, the other alerts still go out, a retry sends only the failed one', async () => {
    const store = new MemoryResultStore();
    const { options } = fakeClock();
    const failing = new RecordingNotifier((a) => (a.metric_id === 'posting_teams' ? new NotifyError('x', 'SNS throttled') : undefined));
    const err = await sendAlertsOnce(store, failing, [A, B], options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as Error).message).toBe('alert x: SNS throttled');
    expect(failing.published).toEqual([B]);
    expect(store.text(alertMarkerKey(A))).toBeUndefined();
    expect(JSON.parse(store.text(alertClaimKey(alertMarkerKey(A), 0))!)).toMatchObject({ state: 'released', owner: 'test-run' });

    const { clock, options: retryOptions } = fakeClock();
    const notifier = new RecordingNotifier();
    const result = await sendAlertsOnce(store, notifier, [A, B], retryOptions);
    expect(notifier.published).toEqual([A]);
    expect(result.sent).toEqual([A]);
    expect(result.alreadySent).toEqual([B]);
    expect(clock.slept).toBe(0); // a released claim needs no waiting
    expect(store.text(alertClaimKey(alertMarkerKey(A), 1))).toBeDefined(); // the retry took the next claim
    expect(JSON.parse(store.text(alertMarkerKey(A))!)).toEqual(A);
  });

  it('wraps a plain error from the notifier in a NotifyError naming the marker key', async () => {
    const store = new MemoryResultStore();
    const err = await sendAlertsOnce(store, new RecordingNotifier(() => new Error('socket hang up')), [A], fakeClock().options).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).alertKey).toBe(alertMarkerKey(A));
    expect((err as NotifyError).cause).toBeInstanceOf(Error);
  });

  it('names every failed alert when several fail', async () => {
    const store = new MemoryResultStore();
    const err = await sendAlertsOnce(store, new RecordingNotifier(() => new Error('down')), [A, B, INCOMPLETE], fakeClock().options).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).alertKey).toBe([A, B, INCOMPLETE].map(alertMarkerKey).join(', '));
    expect((err as Error).message).toContain('3 of 3 alerts not delivered; first: alert');
  });

  it('a crash between send and marker resends once after the claim expires, never loses the alert', async () => {
    const store = new MemoryResultStore();
    const first = new RecordingNotifier();
    store.failWhen = (op, key) => op === 'put' && key === alertMarkerKey(A); // the "crash": the marker never lands
    const err = await sendAlertsOnce(store, first, [A], fakeClock().options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(first.published).toEqual([A]);
    expect(JSON.parse(store.text(alertClaimKey(alertMarkerKey(A), 0))!)).toMatchObject({ state: 'claimed' }); // kept, not released

    store.failWhen = undefined;
    const { clock, options } = fakeClock(); // the retry starts at the same instant
    const second = new RecordingNotifier();
    const result = await sendAlertsOnce(store, second, [A], options);
    expect(second.published).toEqual([A]);
    expect(result.sent).toEqual([A]);
    expect(clock.slept).toBe(60_000); // waited for the claim's TTL, polling
    expect(store.text(alertMarkerKey(A))).toBeDefined();

    const third = new RecordingNotifier();
    await sendAlertsOnce(store, third, [A], fakeClock().options);
    expect(third.published).toEqual([]);
  });

  it('a run that crashed after claiming (before sending) delays the alert by at most the TTL', async () => {
    const store = new MemoryResultStore();
    const { clock, options } = fakeClock();
    await store.putIfAbsent(
      alertClaimKey(alertMarkerKey(A), 0),
      JSON.stringify({
        owner: 'dead',
        state: 'claimed',
        claimed_at: new Date(clock.t - 20_000).toISOString(),
        expires_at: new Date(clock.t + 40_000).toISOString(),
      }),
      'application/json',
    );
    const notifier = new RecordingNotifier();
    await sendAlertsOnce(store, notifier, [A], options);
    expect(notifier.published).toEqual([A]);
    expect(clock.slept).toBe(40_000);
  });

  it('treats an unreadable claim (being written, or left empty by a crash) as live for one TTL from first sight', async () => {
    const store = new MemoryResultStore({ [alertClaimKey(alertMarkerKey(A), 0)]: '' });
    const { clock, options } = fakeClock();
    const notifier = new RecordingNotifier();
    await sendAlertsOnce(store, notifier, [A], options);
    expect(notifier.published).toEqual([A]);
    expect(clock.slept).toBe(60_000);
  });

  it('while another run holds a live claim, waits and reports the alert as already sent once its marker appears', async () => {
    const store = new MemoryResultStore();
    const { clock, options } = fakeClock();
    const marker = alertMarkerKey(A);
    await store.putIfAbsent(
      alertClaimKey(marker, 0),
      JSON.stringify({
        owner: 'other',
        state: 'claimed',
        claimed_at: new Date(clock.t).toISOString(),
        expires_at: new Date(clock.t + 60_000).toISOString(),
      }),
      'application/json',
    );
    const other = { ...A, subject: 'as the other run sent it' };
    const notifier = new RecordingNotifier();
    const sleep = options.sleep!;
    const result = await sendAlertsOnce(store, notifier, [A], {
      ...options,
      sleep: async (ms) => {
        await sleep(ms);
        if (clock.slept === 3_000) await store.put(marker, JSON.stringify(other), 'application/json');
      },
    });
    expect(notifier.published).toEqual([]);
    expect(result).toEqual({ sent: [], alreadySent: [other] });
    expect(clock.slept).toBe(3_000);
  });

  it('two concurrent runs of the same night send each alert once', async () => {
    const store = new MemoryResultStore();
    const published: string[] = [];
    const slow = (who: string): Notifier => ({
      publish: async (a) => {
        await new Promise((r) => setTimeout(r, 15));
        published.push(`${who} ${a.metric_id}`);
      },
    });
    const opts: SendOnceOptions = { pollMs: 2, claimTtlMs: 10_000 };
    const [r1, r2] = await Promise.all([
      sendAlertsOnce(store, slow('one'), [A, B, INCOMPLETE], opts),
      sendAlertsOnce(store, slow('two'), [A, B, INCOMPLETE], opts),
    ]);
    expect(published).toHaveLength(3);
    expect(new Set(published.map((p) => p.split(' ')[1]))).toEqual(new Set(['posting_teams', 'new_teams', 'null']));
    expect(r1.sent.length + r2.sent.length).toBe(3);
    expect(r1.alreadySent.length + r2.alreadySent.length).toBe(3);
  });

  it('re-checks the marker after taking a claim (a slow run may have finished meanwhile)', async () => {
    const store = new MemoryResultStore();
    const marker = alertMarkerKey(A);
    // The marker appears between our first look and our claim.
    let looks = 0;
    const get = store.get.bind(store);
    store.get = async (key) => {
      if (key === marker && looks++ === 1) await store.put(marker, JSON.stringify(A), 'application/json');
      return get(key);
    };
    const notifier = new RecordingNotifier();
    const result = await sendAlertsOnce(store, notifier, [A], fakeClock().options);
    expect(notifier.published).toEqual([]);
    expect(result.alreadySent).toEqual([A]);
  });
});

describe('readSentAlerts', () => {
  it('returns the night’s sent alerts in marker order and ignores claims and other nights', async () => {
    const store = new MemoryResultStore();
    await sendAlertsOnce(store, new RecordingNotifier(), [B, A, INCOMPLETE, alert('x', 'drop', '2024-03-30')], fakeClock().options);
    expect(await readSentAlerts(store, '2024-03-31')).toEqual([INCOMPLETE, B, A]);
    expect(await readSentAlerts(store, '2024-03-30')).toEqual([alert('x', 'drop', '2024-03-30')]);
    expect(await readSentAlerts(store, '2024-03-29')).toEqual([]);
  });

  it('does not list an alert whose send failed', async () => {
    const store = new MemoryResultStore();
    await sendAlertsOnce(store, new RecordingNotifier(() => new Error('down')), [A], fakeClock().options).catch(() => undefined);
    expect(await readSentAlerts(store, '2024-03-31')).toEqual([]);
  });

  it('names a damaged marker', async () => {
    const store = new MemoryResultStore({ [alertMarkerKey(A)]: '{"dt":' });
    await expect(readSentAlerts(store, '2024-03-31')).rejects.toThrow(StoreError);
  });
});
