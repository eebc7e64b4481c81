import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalResultStore } from '../../../../functions/adapters/local-result-store';
import { alertId, alertIdentity } from '../../../../functions/core/alerts/marker';
import { type SendOnceOptions, sendAlertsOnce } from '../../../../functions/core/alerts/send-once';
import { readSentAlerts } from '../../../../functions/core/alerts/sent-alerts';
import { NotifyError, StoreError } from '../../../../functions/core/errors';
import { alertClaimKey, alertMarkerKey } from '../../../../functions/core/results/layout';
import type { AlertRow } from '../../../../functions/core/results/rows';
import { alertRow as alert, RecordingNotifier, RecordKeepingNotifier } from '../../../support/alerts';
import { MemoryResultStore } from '../../../support/memory-store';

/** The options of a run holding lease generation `generation`. */
const run = (runId: string, generation = 0): SendOnceOptions => ({
  lease: { runId, lease: `lease/g${String(generation).padStart(10, '0')}.json` },
  now: () => Date.parse('2024-04-01T06:00:00Z'),
});

const A = alert('posting_teams');
const B = alert('new_teams');
const INCOMPLETE = alert(null, 'data_incomplete');
const DT = '2024-03-31';
// python3 -c "import hashlib,json; print(hashlib.sha256(json.dumps(['2024-03-31','drop','posting_teams'],separators=(',',':')).encode()).hexdigest()[:16])"
const A_ID = 'drop-dc65570379b5dabb';
const B_ID = 'drop-fba386662ab0e7a0';
const INCOMPLETE_ID = 'data_incomplete-01b13cfb0a50ba4d';
const markerOf = (id: string) => alertMarkerKey(DT, id);
const claimOf = (id: string, generation: number) => alertClaimKey(DT, id, generation);
const json = (store: MemoryResultStore, key: string) => JSON.parse(store.text(key) ?? 'null');

describe('alertId', () => {
  it('is the kind and the first 64 bits of SHA-256 over night, kind and key', async () => {
    expect(await alertId(alertIdentity(A))).toBe(A_ID);
    expect(await alertId(alertIdentity(B))).toBe(B_ID);
    expect(await alertId(alertIdentity(INCOMPLETE))).toBe(INCOMPLETE_ID);
  });

  it('keys a drop by its metric (its onset night is the night: the incident), a recovery by incident, a reminder by incident and night', () => {
    // A drop's key is unchanged from before incidents, so markers written then still count.
    expect(alertIdentity(A)).toEqual({ dt: DT, kind: 'drop', key: 'posting_teams' });
    const incident = 'posting_teams:2024-03-29';
    const recovered = { ...alert('posting_teams', 'recovered'), incident_id: incident, night_of_incident: 3 };
    expect(alertIdentity(recovered)).toEqual({ dt: DT, kind: 'recovered', key: incident });
    const reminder = { ...alert('posting_teams', 'still_down'), incident_id: incident, night_of_incident: 3 };
    expect(alertIdentity(reminder)).toEqual({ dt: DT, kind: 'still_down', key: `${incident}#3` });
    expect(alertIdentity(INCOMPLETE)).toEqual({ dt: DT, kind: 'data_incomplete', key: '_night' });
  });

  it('sends a recovery and a reminder once each under re-runs', async () => {
    const store = new MemoryResultStore();
    const notifier = new RecordingNotifier();
    const incident = 'posting_teams:2024-03-29';
    const alerts = [
      { ...alert('posting_teams', 'recovered'), incident_id: incident, night_of_incident: 3 },
      { ...alert('new_teams', 'still_down'), incident_id: 'new_teams:2024-03-29', night_of_incident: 3 },
    ];
    expect((await sendAlertsOnce(store, notifier, alerts, run('r1'))).sent).toHaveLength(2);
    expect((await sendAlertsOnce(store, notifier, alerts, run('r2', 1))).sent).toHaveLength(0);
    expect(notifier.published.map((a) => a.kind)).toEqual(['recovered', 'still_down']);
  });

  it('keeps names short however long or odd the key is', async () => {
    const id = await alertId({ dt: DT, kind: 'drop', key: `${'m'.repeat(300)}/../\n` });
    expect(id).toMatch(/^drop-[0-9a-f]{16}$/);
  });

  it('refuses a kind that is not a short token (it is part of a file name)', async () => {
    await expect(alertId({ dt: DT, kind: '../x', key: 'k' })).rejects.toThrow(RangeError);
  });
});

describe('sendAlertsOnce', () => {
  it('claims, sends, then writes the marker holding the alert, under hashed names', async () => {
    const store = new MemoryResultStore();
    const markersSeenDuringSend: unknown[] = [];
    const notifier = new RecordingNotifier(undefined, (a) => {
      markersSeenDuringSend.push(store.keys('alerts-sent/').filter((k) => k.endsWith('.json') && k.includes(a.kind)));
    });
    const result = await sendAlertsOnce(store, notifier, [A, B, INCOMPLETE], run('r1'));
    expect(result).toEqual({ sent: [A, B, INCOMPLETE], alreadySent: [], reconciled: [], resent: [] });
    expect(notifier.deliveries).toEqual([
      { alertId: A_ID, attempt: claimOf(A_ID, 0) },
      { alertId: B_ID, attempt: claimOf(B_ID, 0) },
      { alertId: INCOMPLETE_ID, attempt: claimOf(INCOMPLETE_ID, 0) },
    ]);
    expect(markersSeenDuringSend).toEqual([[], [markerOf(A_ID)], []]); // each marker only after its send
    expect(json(store, markerOf(A_ID))).toEqual(A);
    expect(json(store, markerOf(INCOMPLETE_ID))).toEqual(INCOMPLETE);
    // The claim, written before the send, names the run and its lease and holds what is sent.
    expect(json(store, claimOf(A_ID, 0))).toEqual({
      alert_id: A_ID,
      run_id: 'r1',
      lease: 'lease/g0000000000.json',
      state: 'claimed',
      claimed_at: '2024-04-01T06:00:00.000Z',
      alert: A,
    });
    expect(store.calls.indexOf(`putIfAbsent ${claimOf(A_ID, 0)}`)).toBeLessThan(store.calls.indexOf(`put ${markerOf(A_ID)}`));
  });

  it('sends (and records) an alert about a metric with a 300-character id in a real folder (the name once broke the file system)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nsm-send-once-'));
    try {
      const store = new LocalResultStore(dir);
      const long = alert('m'.repeat(300));
      const notifier = new RecordingNotifier();
      expect((await sendAlertsOnce(store, notifier, [long], run('r1'))).sent).toEqual([long]);
      expect(await readSentAlerts(store, DT)).toEqual([long]);
      expect((await sendAlertsOnce(store, notifier, [long], run('r2', 1))).alreadySent).toEqual([long]);
      expect(notifier.published).toHaveLength(1);
      for (const key of await store.list('alerts-sent/')) expect(key.split('/').pop()!.length).toBeLessThan(64);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['releases before alerts-sent/ (state/alerts-sent/)', 'state/alerts-sent/dt=2024-03-31/drop--posting_teams.json'],
    ['the layout before hashed names (alerts-sent/<kind>--<metric>.json)', 'alerts-sent/dt=2024-03-31/drop--posting_teams.json'],
  ])('sends nothing marked as sent where %s kept markers', async (_, legacy) => {
    const sentThen = { ...A, subject: 'as sent before the upgrade' };
    const store = new MemoryResultStore({ [legacy]: JSON.stringify(sentThen) });
    const notifier = new RecordingNotifier();
    const result = await sendAlertsOnce(store, notifier, [A, B], run('r1'));
    expect(notifier.published).toEqual([B]);
    expect(result.alreadySent).toEqual([sentThen]);
    expect(store.keys('alerts-sent/').filter((k) => k.includes(A_ID))).toEqual([]); // no claim, no new marker for A
    expect(await readSentAlerts(store, DT)).toEqual([B, sentThen]);
  });

  it('sends nothing whose marker exists, takes no claim for it, and reports the row as sent then', async () => {
    const store = new MemoryResultStore();
    await sendAlertsOnce(store, new RecordingNotifier(), [A], run('r1'));
    const notifier = new RecordingNotifier();
    const result = await sendAlertsOnce(store, notifier, [{ ...A, subject: 'a re-run computes another text' }, B], run('r2', 1));
    expect(notifier.published).toEqual([B]);
    expect(result.alreadySent).toEqual([A]);
    expect(store.keys('alerts-sent/').filter((k) => k.includes(`${A_ID}.claim-`))).toEqual([claimOf(A_ID, 0)]);
  });

  it('when the notifier throws: no marker, claim released, the others still go out, a retry sends only that one at once', async () => {
    const store = new MemoryResultStore();
    const failing = new RecordingNotifier((a) => (a.metric_id === 'posting_teams' ? new NotifyError('x', 'SNS throttled') : undefined));
    const err = await sendAlertsOnce(store, failing, [A, B], run('r1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as Error).message).toBe('alert x: SNS throttled');
    expect(failing.published).toEqual([B]);
    expect(store.text(markerOf(A_ID))).toBeUndefined();
    expect(json(store, claimOf(A_ID, 0))).toMatchObject({ state: 'released', run_id: 'r1' });

    const notifier = new RecordingNotifier();
    const result = await sendAlertsOnce(store, notifier, [A, B], run('r2', 1));
    expect(result).toEqual({ sent: [A], alreadySent: [B], reconciled: [], resent: [] });
    expect(notifier.deliveries).toEqual([{ alertId: A_ID, attempt: claimOf(A_ID, 1) }]);
    expect(json(store, markerOf(A_ID))).toEqual(A);
  });

  it('wraps a plain error from the notifier in a NotifyError naming the alert id', async () => {
    const err = await sendAlertsOnce(
      new MemoryResultStore(),
      new RecordingNotifier(() => new Error('socket hang up')),
      [A],
      run('r'),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as NotifyError).alertKey).toBe(A_ID);
    expect((err as NotifyError).cause).toBeInstanceOf(Error);
  });

  it('names every failed alert when several fail', async () => {
    const err = await sendAlertsOnce(
      new MemoryResultStore(),
      new RecordingNotifier(() => new Error('down')),
      [A, B, INCOMPLETE],
      run('r'),
    ).catch((e: unknown) => e);
    expect((err as NotifyError).alertKey).toBe([A_ID, B_ID, INCOMPLETE_ID].join(', '));
    expect((err as Error).message).toContain('3 of 3 alerts not delivered; first: alert');
  });

  describe('after a run was killed mid-delivery (its claim has no marker)', () => {
    /** Run r1 sends A but its marker never lands: a kill, or a full disk, right after the send. */
    async function killedAfterSend(store: MemoryResultStore, notifier: RecordingNotifier) {
      store.failWhen = (op, key) => op === 'put' && key === markerOf(A_ID);
      const err = await sendAlertsOnce(store, notifier, [A], run('r1')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      store.failWhen = undefined;
      expect(notifier.published).toEqual([A]);
      expect(json(store, claimOf(A_ID, 0))).toMatchObject({ state: 'claimed' });
    }

    it('a notifier that keeps a record (the local outbox) says it went out: the marker is written, nothing is sent twice', async () => {
      const store = new MemoryResultStore();
      const outbox: RecordKeepingNotifier['log'] = [];
      await killedAfterSend(store, new RecordKeepingNotifier(outbox));
      const next = new RecordKeepingNotifier(outbox);
      const result = await sendAlertsOnce(store, next, [{ ...A, subject: 'recomputed' }], run('r2', 1));
      expect(next.published).toEqual([]);
      expect(result).toEqual({ sent: [], alreadySent: [], reconciled: [A], resent: [] });
      expect(json(store, markerOf(A_ID))).toEqual(A); // as it was sent, from the claim
      expect((await sendAlertsOnce(store, next, [A], run('r3', 2))).alreadySent).toEqual([A]);
    });

    it('a notifier without a record (SNS) cannot tell: the next run sends it again at once, once, and says so', async () => {
      const store = new MemoryResultStore();
      await killedAfterSend(store, new RecordingNotifier());
      const next = new RecordingNotifier();
      const result = await sendAlertsOnce(store, next, [A], run('r2', 1));
      expect(next.published).toEqual([A]);
      expect(result).toEqual({ sent: [A], alreadySent: [], reconciled: [], resent: [A] });
      expect(next.deliveries).toEqual([{ alertId: A_ID, attempt: claimOf(A_ID, 1) }]);
      const third = new RecordingNotifier();
      await sendAlertsOnce(store, third, [A], run('r3', 2));
      expect(third.published).toEqual([]);
    });

    it('a run killed after claiming but before sending: the outbox has nothing, so the alert goes out now, without waiting', async () => {
      const store = new MemoryResultStore();
      await store.putIfAbsent(
        claimOf(A_ID, 0),
        JSON.stringify({ alert_id: A_ID, run_id: 'dead', lease: 'lease/g0000000007.json', state: 'claimed', claimed_at: '', alert: A }),
        'application/json',
      );
      const notifier = new RecordKeepingNotifier();
      const result = await sendAlertsOnce(store, notifier, [A], run('r2', 8));
      expect(result).toEqual({ sent: [A], alreadySent: [], reconciled: [], resent: [] });
      expect(json(store, markerOf(A_ID))).toEqual(A);
    });

    it.each([
      ['empty', ''],
      ['damaged', '{"alert_id":'],
      [
        'of the format before the lease (owner, expires_at)',
        JSON.stringify({ owner: 'x', state: 'claimed', expires_at: '2099-01-01T00:00:00Z' }),
      ],
    ])('an %s claim is an unfinished attempt too: reconciled at once, not waited out', async (_, body) => {
      const store = new MemoryResultStore({ [claimOf(A_ID, 0)]: body });
      const notifier = new RecordKeepingNotifier();
      const result = await sendAlertsOnce(store, notifier, [A], run('r2', 1));
      expect(result.sent).toEqual([A]);
      expect(notifier.deliveries).toEqual([{ alertId: A_ID, attempt: claimOf(A_ID, 1) }]);
    });
  });

  it('does not send when its claim was taken by a run that does not know it lost the lease', async () => {
    const store = new MemoryResultStore();
    const putIfAbsent = store.putIfAbsent.bind(store);
    store.putIfAbsent = async (key, body, type) => {
      if (key === claimOf(A_ID, 0)) await putIfAbsent(key, '{"run_id":"zombie"}', type);
      return putIfAbsent(key, body, type);
    };
    const notifier = new RecordingNotifier();
    const err = await sendAlertsOnce(store, notifier, [A, B], run('r1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toContain('claimed by another run although this run holds the lease');
    expect(notifier.published).toEqual([B]);
  });
});

describe('readSentAlerts', () => {
  it('returns the night’s sent alerts, data_incomplete first, then by metric, and ignores claims and other nights', async () => {
    const store = new MemoryResultStore();
    const other = alert('x', 'drop', '2024-03-30');
    await sendAlertsOnce(store, new RecordingNotifier(), [B, A, INCOMPLETE, other], run('r'));
    expect(await readSentAlerts(store, DT)).toEqual([INCOMPLETE, B, A]);
    expect(await readSentAlerts(store, '2024-03-30')).toEqual([other]);
    expect(await readSentAlerts(store, '2024-03-29')).toEqual([]);
  });

  it('lists an alert recorded in two layouts once, as the newest layout recorded it', async () => {
    const newest: AlertRow = { ...A, subject: 'newest' };
    const store = new MemoryResultStore({
      'state/alerts-sent/dt=2024-03-31/drop--posting_teams.json': JSON.stringify({ ...A, subject: 'oldest' }),
      'alerts-sent/dt=2024-03-31/drop--posting_teams.json': JSON.stringify({ ...A, subject: 'older' }),
      [markerOf(A_ID)]: JSON.stringify(newest),
    });
    expect(await readSentAlerts(store, DT)).toEqual([newest]);
  });

  it('does not list an alert whose send failed', async () => {
    const store = new MemoryResultStore();
    await sendAlertsOnce(store, new RecordingNotifier(() => new Error('down')), [A], run('r')).catch(() => undefined);
    expect(await readSentAlerts(store, DT)).toEqual([]);
  });

  it('names a damaged marker', async () => {
    const store = new MemoryResultStore({ [markerOf(A_ID)]: '{"dt":' });
    await expect(readSentAlerts(store, DT)).rejects.toThrow(StoreError);
  });
});
