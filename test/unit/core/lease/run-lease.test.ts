import { describe, expect, it } from 'vitest';
import { LeaseHeldError, LeaseLostError } from '../../../../functions/core/errors';
import { fencedStore } from '../../../../functions/core/lease/fenced-store';
import { acquireRunLease, type LeaseRecord, type RunLeaseOptions } from '../../../../functions/core/lease/run-lease';
import { leaseKey } from '../../../../functions/core/results/layout';
import { MemoryResultStore } from '../../../support/memory-store';

const T0 = Date.parse('2024-04-01T06:00:00Z');

/** A clock that sleeping advances, and a renewal timer the test fires by hand. */
function harness(start = T0) {
  const clock = { t: start, slept: 0 };
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const base = (runId: string): RunLeaseOptions => ({
    runId,
    ttlMs: 60_000,
    waitMs: 0,
    pollMs: 1_000,
    now: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
      clock.slept += ms;
    },
    every: (fn, ms) => {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  });
  /** Fires every live renewal timer once and lets the renewals finish. */
  const renewAll = async () => {
    for (const t of timers) if (!t.cancelled) t.fn();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { clock, timers, base, renewAll };
}

const record = (store: MemoryResultStore, generation: number) => JSON.parse(store.text(leaseKey(generation)) ?? 'null') as LeaseRecord;

describe('acquireRunLease', () => {
  it('creates generation 0 on an empty store with who holds it and until when', async () => {
    const { base } = harness();
    const store = new MemoryResultStore();
    const lease = await acquireRunLease(store, { ...base('r1'), holder: { host: 'h1', pid: 7, what: 'nsm run --date 2024-03-31' } });
    expect(lease.token).toEqual({ runId: 'r1', lease: 'lease/g0000000000.json' });
    expect(record(store, 0)).toEqual({
      generation: 0,
      run_id: 'r1',
      state: 'held',
      acquired_at: '2024-04-01T06:00:00.000Z',
      renewed_at: '2024-04-01T06:00:00.000Z',
      expires_at: '2024-04-01T06:01:00.000Z',
      holder: { host: 'h1', pid: 7, what: 'nsm run --date 2024-03-31' },
    });
    // The conditional write is what makes the lease exclusive.
    expect(store.calls).toContain('putIfAbsent lease/g0000000000.json');
  });

  it('fails at once with the holder named when waiting is off, and never takes a live lease', async () => {
    const { base } = harness();
    const store = new MemoryResultStore();
    await acquireRunLease(store, { ...base('r1'), holder: { host: 'h1', pid: 7, what: 'nsm run --from 2024-01-01 --to 2024-03-31' } });
    const err = await acquireRunLease(store, base('r2')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect((err as Error).message).toBe(
      'results memory://results: another run holds the lease: run r1 (nsm run --from 2024-01-01 --to 2024-03-31, host h1, pid 7) holds it since 2024-04-01T06:00:00.000Z (renewed 2024-04-01T06:00:00.000Z, expires 2024-04-01T06:01:00.000Z unless renewed); try again when it has finished',
    );
    expect(store.keys('lease/')).toEqual(['lease/g0000000000.json']);
  });

  it('waits for a lease that is released, then takes the next generation', async () => {
    const { base, clock } = harness();
    const store = new MemoryResultStore();
    const first = await acquireRunLease(store, base('r1'));
    const lines: string[] = [];
    const waiting = acquireRunLease(store, {
      ...base('r2'),
      waitMs: 600_000,
      sleep: async (ms) => {
        clock.t += ms;
        if (clock.t >= T0 + 5_000) await first.release();
      },
      onWait: (l) => lines.push(l),
    });
    const second = await waiting;
    expect(second.token.lease).toBe('lease/g0000000001.json');
    expect(second.waitedMs).toBe(5_000);
    expect(record(store, 0).state).toBe('released');
    expect(lines).toEqual([expect.stringMatching(/^waiting up to 600 s for the results lease: run r1 holds it since /)]);
  });

  it('takes over a lease whose holder stopped renewing once it expires (a killed run), not before', async () => {
    const { base, clock } = harness();
    const store = new MemoryResultStore();
    await acquireRunLease(store, base('dead')); // never renewed, never released
    clock.t += 59_999;
    await expect(acquireRunLease(store, base('r2'))).rejects.toThrow(LeaseHeldError);
    clock.t += 1;
    const lease = await acquireRunLease(store, base('r2'));
    expect(lease.token.lease).toBe(leaseKey(1));
  });

  it('takes over at once from a holder the liveness check says is dead (a killed process of this machine)', async () => {
    const { base } = harness();
    const store = new MemoryResultStore();
    await acquireRunLease(store, { ...base('dead'), holder: { host: 'h1', pid: 4242 } });
    const isDead = (r: LeaseRecord) => r.holder.host === 'h1' && r.holder.pid === 4242;
    const lease = await acquireRunLease(store, { ...base('r2'), isDead });
    expect(lease.token.lease).toBe(leaseKey(1));
  });

  it('lets exactly one of two runs racing for an ended lease have it', async () => {
    const { base } = harness();
    const store = new MemoryResultStore();
    const old = await acquireRunLease(store, base('r0'));
    await old.release();
    const results = await Promise.allSettled([acquireRunLease(store, base('a')), acquireRunLease(store, base('b'))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.any(LeaseHeldError),
    ]);
    expect(store.keys('lease/')).toEqual([leaseKey(0), leaseKey(1)]);
  });

  it('renews while the run lives, so a long run keeps its lease past the first TTL', async () => {
    const { base, clock, renewAll, timers } = harness();
    const store = new MemoryResultStore();
    const lease = await acquireRunLease(store, base('r1'));
    expect(timers.map((t) => t.ms)).toEqual([15_000]);
    for (let i = 0; i < 8; i++) {
      clock.t += 15_000;
      await renewAll();
    }
    expect(() => lease.assertHeld()).not.toThrow();
    expect(record(store, 0).expires_at).toBe(new Date(T0 + 8 * 15_000 + 60_000).toISOString());
    await expect(acquireRunLease(store, base('r2'))).rejects.toThrow(LeaseHeldError);
  });

  it('stops a holder that could not renew before it gets within the margin of expiring', async () => {
    const { base, clock, renewAll } = harness();
    const store = new MemoryResultStore();
    const lease = await acquireRunLease(store, base('r1'));
    store.failWhen = (op) => op === 'put';
    clock.t += 49_999;
    await renewAll();
    expect(() => lease.assertHeld()).not.toThrow();
    clock.t += 1; // within ttl/6 = 10 s of expiring
    expect(() => lease.assertHeld()).toThrow(LeaseLostError);
    expect(() => lease.assertHeld()).toThrow(/not renewed since 2024-04-01T06:00:00.000Z, it expires 2024-04-01T06:01:00.000Z/);
  });

  it('knows it lost the lease when, renewing late, it finds a later generation', async () => {
    const { base, clock, renewAll } = harness();
    const store = new MemoryResultStore();
    const paused = await acquireRunLease(store, { ...base('r1'), marginMs: 0 });
    clock.t += 61_000; // paused past its expiry; another run takes over
    await acquireRunLease(store, base('r2'));
    clock.t -= 2_000; // the paused run's own clock says it is still valid…
    await renewAll();
    expect(() => paused.assertHeld()).toThrow(/another run took the lease over/);
    expect(record(store, 1).run_id).toBe('r2');
  });

  it('keeps the newest generations only', async () => {
    const { base } = harness();
    const store = new MemoryResultStore();
    for (let i = 0; i < 8; i++) await (await acquireRunLease(store, { ...base(`r${i}`), keepGenerations: 3 })).release();
    expect(store.keys('lease/')).toEqual([leaseKey(5), leaseKey(6), leaseKey(7)]);
  });

  it('counts an unreadable newest generation as held for one TTL from when it was first seen', async () => {
    const { base, clock } = harness();
    const store = new MemoryResultStore({ [leaseKey(3)]: '' });
    const lines: string[] = [];
    const lease = await acquireRunLease(store, { ...base('r1'), waitMs: 120_000, onWait: (l) => lines.push(l) });
    expect(clock.t - T0).toBe(60_000);
    expect(lease.token.lease).toBe(leaseKey(4));
    expect(lines[0]).toContain('an unreadable lease/g0000000003.json holds it');
  });
});

describe('fencedStore', () => {
  it('lets a holder write, and stops every write once the lease is released; reads go on', async () => {
    const { base } = harness();
    const store = new MemoryResultStore({ 'a/b.json': '{}' });
    const lease = await acquireRunLease(store, base('r1'));
    const fenced = fencedStore(store, lease);
    await fenced.put('x.json', '1', 'application/json');
    await lease.release();
    await expect(fenced.put('x.json', '2', 'application/json')).rejects.toThrow(LeaseLostError);
    await expect(fenced.putIfAbsent('y.json', '2', 'application/json')).rejects.toThrow(LeaseLostError);
    await expect(fenced.deletePrefix('a/')).rejects.toThrow(LeaseLostError);
    expect(await fenced.get('x.json')).toBe('1');
    expect(await fenced.list('a/')).toEqual(['a/b.json']);
  });
});
