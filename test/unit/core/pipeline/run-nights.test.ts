/**
 * runNights' own rules, with runNight replaced by a recorder: the order nights run in, which of
 * them may send alerts (the newest only, unless alertAll), and when the hooks fire. The nights
 * themselves are covered end to end elsewhere (drop-alerts, handler).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NsmConfig } from '../../../../functions/core/config/types';
import { DeadlineError, LeaseHeldError, LeaseLostError } from '../../../../functions/core/errors';
import { acquireRunLease, type LeaseRecord } from '../../../../functions/core/lease/run-lease';
import type { PipelineDeps } from '../../../../functions/core/pipeline/deps';
import type { NightOptions, NightOutcome } from '../../../../functions/core/pipeline/run-night';
import { progressLine, runNights } from '../../../../functions/core/pipeline/run-nights';
import { leaseKey } from '../../../../functions/core/results/layout';
import { MemoryResultStore } from '../../../support/memory-store';

/** Everything that happened, in order: runNight calls, hook calls and log lines. */
const events: string[] = [];
/** Nights whose runNight throws. */
const failing = new Set<string>();
/** Aborted by the mocked runNight of this night (the deadline passing while it runs). */
let abortDuring: { night: string; controller: AbortController } | undefined;

vi.mock('../../../../functions/core/pipeline/run-night', () => ({
  runNight: async (_config: NsmConfig, dt: string, nightDeps: PipelineDeps, options: NightOptions): Promise<NightOutcome> => {
    events.push(`run ${dt} sendAlerts=${options.sendAlerts} runId=${options.runId}${options.signal ? ' signal' : ''}`);
    leases.push(options.lease.lease);
    // Every write of a night goes through the lease's fence.
    await nightDeps.store.put(`nights/${dt}`, dt, 'text/plain');
    if (failing.has(dt)) throw new Error(`night ${dt} broke`);
    if (abortDuring?.night === dt) abortDuring.controller.abort();
    // A night whose alerts are all due: what goes out depends on sendAlerts alone.
    return {
      dt,
      report: { metrics: [], data: { partition_missing: false } },
      run: { queries: [], ms: 5 },
      alertsSent: options.sendAlerts ? [{ dt, kind: 'drop' }] : [],
    } as unknown as NightOutcome;
  },
}));

/** The lease each runNight call was given. */
const leases: string[] = [];
const config = {} as NsmConfig;
let store: MemoryResultStore;
let deps: PipelineDeps;
const runs = () => events.filter((e) => e.startsWith('run '));

beforeEach(() => {
  events.length = 0;
  leases.length = 0;
  failing.clear();
  abortDuring = undefined;
  store = new MemoryResultStore();
  deps = {
    store,
    now: () => new Date(),
    log: (line: string) => void events.push(`log ${line}`),
    warn: (line: string) => void events.push(`warn ${line}`),
    lease: { waitMs: 0 },
  } as unknown as PipelineDeps;
});

const leaseRecord = (generation: number) => JSON.parse(store.text(leaseKey(generation)) ?? 'null') as LeaseRecord;

describe('runNights', () => {
  it('passes the deadline to each night, and starts no night after it has passed', async () => {
    const controller = new AbortController();
    abortDuring = { night: '2024-05-02', controller };
    const err = await runNights(config, ['2024-05-01', '2024-05-02', '2024-05-03'], deps, { runId: 'r', signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(runs()).toEqual(['run 2024-05-01 sendAlerts=false runId=r signal', 'run 2024-05-02 sendAlerts=false runId=r signal']);
    expect(err).toBeInstanceOf(DeadlineError);
    expect((err as DeadlineError).message).toBe(
      "night 2024-05-03: not started, the night's deadline passed (a retry resumes from the state built so far)",
    );
  });

  it('runs the nights oldest first, each once, and sends alerts for the newest only', async () => {
    const outcomes = await runNights(config, ['2024-05-03', '2024-05-01', '2024-05-02', '2024-05-01'], deps, { runId: 'r1' });
    expect(runs()).toEqual([
      'run 2024-05-01 sendAlerts=false runId=r1',
      'run 2024-05-02 sendAlerts=false runId=r1',
      'run 2024-05-03 sendAlerts=true runId=r1',
    ]);
    expect(outcomes.map((o) => [o.dt, o.alertsSent.length])).toEqual([
      ['2024-05-01', 0],
      ['2024-05-02', 0],
      ['2024-05-03', 1],
    ]);
  });

  it('sends alerts for every night with alertAll, and for a single night', async () => {
    await runNights(config, ['2024-05-01', '2024-05-02'], deps, { runId: 'r', alertAll: true });
    await runNights(config, ['2024-05-07'], deps, { runId: 'r' });
    expect(runs()).toEqual([
      'run 2024-05-01 sendAlerts=true runId=r',
      'run 2024-05-02 sendAlerts=true runId=r',
      'run 2024-05-07 sendAlerts=true runId=r',
    ]);
  });

  it("sends none with noAlerts (a backfill night that is not the backfill's newest), not even for a single night", async () => {
    await runNights(config, ['2024-05-07'], deps, { runId: 'r', noAlerts: true });
    await runNights(config, ['2024-05-01', '2024-05-02'], deps, { runId: 'r', noAlerts: true, alertAll: true });
    expect(runs()).toEqual([
      'run 2024-05-07 sendAlerts=false runId=r',
      'run 2024-05-01 sendAlerts=false runId=r',
      'run 2024-05-02 sendAlerts=false runId=r',
    ]);
  });

  it('logs one progress line per night by default', async () => {
    const outcomes = await runNights(config, ['2024-05-01', '2024-05-02'], deps, { runId: 'r' });
    expect(events).toEqual([
      'run 2024-05-01 sendAlerts=false runId=r',
      `log ${progressLine(outcomes[0]!)}`,
      'run 2024-05-02 sendAlerts=true runId=r',
      `log ${progressLine(outcomes[1]!)}`,
    ]);
  });

  it('calls beforeNight before and afterNight after each night, afterNight in place of the progress line', async () => {
    await runNights(config, ['2024-05-02', '2024-05-01'], deps, {
      runId: 'r',
      beforeNight: (dt) => void events.push(`before ${dt}`),
      afterNight: (o) => void events.push(`after ${o.dt} alerts=${o.alertsSent.length}`),
    });
    expect(events).toEqual([
      'before 2024-05-01',
      'run 2024-05-01 sendAlerts=false runId=r',
      'after 2024-05-01 alerts=0',
      'before 2024-05-02',
      'run 2024-05-02 sendAlerts=true runId=r',
      'after 2024-05-02 alerts=1',
    ]);
  });

  it('stops at the first failed night: beforeNight saw it, afterNight did not, later nights never run', async () => {
    failing.add('2024-05-02');
    const run = runNights(config, ['2024-05-01', '2024-05-02', '2024-05-03'], deps, {
      runId: 'r',
      beforeNight: (dt) => void events.push(`before ${dt}`),
      afterNight: (o) => void events.push(`after ${o.dt}`),
    });
    await expect(run).rejects.toThrow('night 2024-05-02 broke');
    expect(events).toEqual([
      'before 2024-05-01',
      'run 2024-05-01 sendAlerts=false runId=r',
      'after 2024-05-01',
      'before 2024-05-02',
      'run 2024-05-02 sendAlerts=false runId=r',
    ]);
  });

  it('runs the whole range under one run lease, released at the end', async () => {
    await runNights(config, ['2024-05-01', '2024-05-02'], deps, { runId: 'r' });
    expect(leases).toEqual([leaseKey(0), leaseKey(0)]);
    expect(leaseRecord(0)).toMatchObject({ run_id: 'r', state: 'released' });
    expect(store.keys('nights/')).toEqual(['nights/2024-05-01', 'nights/2024-05-02']);
  });

  it('releases the lease when a night fails, so the retry need not wait', async () => {
    failing.add('2024-05-01');
    await expect(runNights(config, ['2024-05-01'], deps, { runId: 'r' })).rejects.toThrow('broke');
    expect(leaseRecord(0).state).toBe('released');
    await runNights(config, ['2024-05-01'], deps, { runId: 'retry' }).catch(() => undefined);
    expect(leaseRecord(1).run_id).toBe('retry');
  });

  it('runs no night while another run holds the lease, and says who holds it', async () => {
    await acquireRunLease(store, { runId: 'backfill', holder: { what: 'nsm run --from 2024-01-01 --to 2024-04-30' } });
    const err = await runNights(config, ['2024-05-01'], deps, { runId: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect((err as Error).message).toMatch(
      /another run holds the lease: run backfill \(nsm run --from 2024-01-01 --to 2024-04-30\) holds it since/,
    );
    expect(runs()).toEqual([]);
    expect(store.keys('nights/')).toEqual([]);
  });

  it('stops writing once the lease is lost: a night that outlives it cannot write', async () => {
    let t = Date.parse('2024-05-02T06:00:00Z');
    const slow: PipelineDeps = { ...deps, now: () => new Date(t) };
    failing.add('never');
    // The first night takes 2 minutes of the clock without renewing (renewals run on real timers).
    const outcome = runNights(config, ['2024-05-01', '2024-05-02'], slow, {
      runId: 'r',
      afterNight: () => {
        t += 120_000;
      },
    });
    await expect(outcome).rejects.toThrow(LeaseLostError);
    expect(store.keys('nights/')).toEqual(['nights/2024-05-01']);
  });

  it('removes temporary files older than its lease before the first night', async () => {
    const removedBefore: Date[] = [];
    const withTemporaries = Object.assign(store, {
      removeTemporaries: async (olderThan: Date) => {
        removedBefore.push(olderThan);
        events.push('removeTemporaries');
        return ['state/daily/dt=2024-04-30/data.parquet.123.abc.tmp'];
      },
    });
    await runNights(config, ['2024-05-01'], { ...deps, store: withTemporaries }, { runId: 'r' });
    expect(events.slice(0, 3)).toEqual([
      'removeTemporaries',
      'log removed 1 temporary file of an interrupted run (state/daily/dt=2024-04-30/data.parquet.123.abc.tmp)',
      'run 2024-05-01 sendAlerts=true runId=r',
    ]);
    expect(removedBefore[0]?.toISOString()).toBe(leaseRecord(0).acquired_at);
  });
});

describe('progressLine', () => {
  const outcome = (data: { partition_missing: boolean; partition_empty: boolean }) =>
    ({
      dt: '2024-05-01',
      report: { metrics: [{ metric_id: 'nsm', is_north_star: true, value: 0 }], data },
      run: { queries: [{}, {}], ms: 12 },
      alertsSent: [{ kind: 'data_incomplete' }],
    }) as unknown as NightOutcome;

  it('says a missing partition is missing and an empty one is empty', () => {
    expect(progressLine(outcome({ partition_missing: true, partition_empty: false }))).toBe(
      '2024-05-01  nsm=0  2 queries 12 ms  partition missing, 1 alert sent',
    );
    expect(progressLine(outcome({ partition_missing: false, partition_empty: true }))).toBe(
      '2024-05-01  nsm=0  2 queries 12 ms  partition empty, 1 alert sent',
    );
  });
});
