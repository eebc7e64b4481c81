/**
 * runNights' own rules, with runNight replaced by a recorder: the order nights run in, which of
 * them may send alerts (the newest only, unless alertAll), and when the hooks fire. The nights
 * themselves are covered end to end elsewhere (drop-alerts, handler).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NsmConfig } from '../../../../functions/core/config/types';
import { ConfigError, DeadlineError, LeaseHeldError, LeaseLostError, QueryError } from '../../../../functions/core/errors';
import { acquireRunLease, type LeaseRecord } from '../../../../functions/core/lease/run-lease';
import type { PipelineDeps } from '../../../../functions/core/pipeline/deps';
import { nightsToRecheck } from '../../../../functions/core/pipeline/late-nights';
import type { NightOptions, NightOutcome } from '../../../../functions/core/pipeline/run-night';
import { progressLine, runNights } from '../../../../functions/core/pipeline/run-nights';
import { leaseKey } from '../../../../functions/core/results/layout';
import { MemoryResultStore } from '../../../support/memory-store';

/** Everything that happened, in order: runNight calls, hook calls and log lines. */
const events: string[] = [];
/** Nights asked to check the lake against the config first. */
const inspected: string[] = [];
/** What the lake check (mocked below) throws next, if anything. */
let lakeError: Error | undefined;

// The first night's lake check runs in runNights itself, before the lease: a recorder too.
vi.mock('../../../../functions/core/pipeline/inspect-lake', () => ({
  inspectLake: async () => {
    if (lakeError) throw lakeError;
    return { warnings: [{ code: 'event_not_seen', message: 'checked before the lease', dt: null, key: null }], stats: [] };
  },
}));

/** Nights whose runNight throws. */
const failing = new Set<string>();
/** Aborted by the mocked runNight of this night (the deadline passing while it runs). */
let abortDuring: { night: string; controller: AbortController } | undefined;

vi.mock('../../../../functions/core/pipeline/run-night', () => ({
  runNight: async (_config: NsmConfig, dt: string, nightDeps: PipelineDeps, options: NightOptions): Promise<NightOutcome> => {
    events.push(
      `run ${dt} sendAlerts=${options.sendAlerts} runId=${options.runId}${options.signal ? ' signal' : ''}${options.late ? ' late' : ''}`,
    );
    leases.push(options.lease.lease);
    rechecks.push(options.recheck);
    // Every write of a night goes through the lease's fence.
    await nightDeps.store.put(`nights/${dt}`, dt, 'text/plain');
    if (options.lake === 'inspect') inspected.push(`${dt} in the night`);
    else if (options.lake) inspected.push(`${dt} ${options.lake.warnings[0]?.message}`);
    if (failing.has(dt)) throw new Error(`night ${dt} broke`);
    if (abortDuring?.night === dt) abortDuring.controller.abort();
    // A night whose alerts are all due: what goes out depends on sendAlerts alone.
    return {
      dt,
      report: { metrics: [], data: { partition_missing: false } },
      run: { queries: [], ms: 5, late: options.late === true },
      alertsSent: options.sendAlerts ? [{ dt, kind: 'drop' }] : [],
    } as unknown as NightOutcome;
  },
}));

/** The lease each runNight call was given. */
const leases: string[] = [];
/** The late-data re-check each runNight call was given (the run's first night only). */
const rechecks: NightOptions['recheck'][] = [];
/** Re-checks nothing unless a test seeds earlier data_incomplete nights into the store. */
const config = {
  lake: { partition: 'dt', columns: { event: 'event_name' } },
  metrics: [],
  alerts: { baseline_weeks: 2, freshness: { min_ratio: 0.5, recheck_nights: 3 } },
} as unknown as NsmConfig;
let store: MemoryResultStore;
let deps: PipelineDeps;
const runs = () => events.filter((e) => e.startsWith('run '));

beforeEach(() => {
  events.length = 0;
  leases.length = 0;
  rechecks.length = 0;
  counts.clear();
  inspected.length = 0;
  lakeError = undefined;
  failing.clear();
  abortDuring = undefined;
  store = new MemoryResultStore();
  deps = {
    store,
    engine: countingEngine,
    now: () => new Date(),
    log: (line: string) => void events.push(`log ${line}`),
    warn: (line: string) => void events.push(`warn ${line}`),
    lease: { waitMs: 0 },
  } as unknown as PipelineDeps;
});

/** Events in each night's partition as the re-check's count query sees it now; an Error makes the query fail. */
const counts = new Map<string, number | Error>();
const countingEngine = {
  name: 'duckdb',
  dialect: { eventsTable: 'events' },
  run: async (q: { name: string; sql: string }) => {
    const night = /'(\d{4}-\d{2}-\d{2})'/.exec(q.sql)?.[1] ?? '';
    events.push(`query ${q.name}`);
    const n = counts.get(night) ?? 0;
    if (n instanceof Error) throw n;
    return { rows: [{ day_events: n }], stats: { name: q.name, query_id: null, ms: 1, bytes_scanned: null, rows: 1 } };
  },
};

/** Seeds night `dt` as an earlier run left it: every metric with `status`, and its day's event count. */
function seedNight(dt: string, status: string, dayEvents: number): void {
  store.objects.set(`metrics/dt=${dt}/metrics.jsonl`, {
    body: `${JSON.stringify({ dt, metric_id: 'nsm', value: 1, status })}\n`,
    contentType: 'application/x-ndjson',
  });
  store.objects.set(`runs/dt=${dt}/run.json`, {
    body: JSON.stringify({ dt, day_events: dayEvents, partition_missing: false, partition_empty: false, metrics_rows: 1 }),
    contentType: 'application/json',
  });
}

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

  it('checks the lake on the first night (before the lease: before anything is written) and on the newest (its report shows the warnings)', async () => {
    await runNights(config, ['2024-05-03', '2024-05-01', '2024-05-02'], deps, { runId: 'r' });
    expect(inspected).toEqual(['2024-05-01 checked before the lease', '2024-05-03 in the night']);
    inspected.length = 0;
    await runNights(config, ['2024-05-07'], deps, { runId: 'r' });
    expect(inspected).toEqual(['2024-05-07 checked before the lease']);
  });

  it('a first-night check that fails otherwise (a query) is left to the night, which checks again and records its failure', async () => {
    lakeError = new QueryError('lake-events', 'HIVE_BAD_DATA', 'q-1');
    await runNights(config, ['2024-05-01', '2024-05-02'], deps, { runId: 'r' });
    expect(inspected).toEqual(['2024-05-01 in the night', '2024-05-02 in the night']);
  });

  it('a lake that does not fit the config stops the range before the lease: nothing written', async () => {
    lakeError = new ConfigError('nsm.config.yaml', 'lake.columns.user', 'missing');
    await expect(runNights(config, ['2024-05-01', '2024-05-02'], deps, { runId: 'r' })).rejects.toThrow('lake.columns.user: missing');
    expect(runs()).toEqual([]);
    expect(store.keys()).toEqual([]);
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

describe('runNights: late data re-judged', () => {
  // 2024-05-06 was data_incomplete (20 of its usual 100 events); its two same-weekday baseline nights had 100.
  beforeEach(() => {
    seedNight('2024-04-22', 'ok', 100);
    seedNight('2024-04-29', 'ok', 100);
    seedNight('2024-05-06', 'data_incomplete', 20);
  });

  it('re-judges an earlier data_incomplete night whose data has landed, before the night, late, sending its alerts', async () => {
    counts.set('2024-05-06', 95);
    await runNights(config, ['2024-05-08'], deps, { runId: 'r' });
    expect(events.filter((e) => e.startsWith('run ') || e.startsWith('query '))).toEqual([
      // 05-05 is outside the three nights before 05-08; 05-07 never ran (no metrics.jsonl): only 05-06 is counted.
      'query recheck 2024-05-06',
      'run 2024-05-06 sendAlerts=true runId=r late',
      'run 2024-05-08 sendAlerts=true runId=r',
    ]);
    expect(rechecks[0]).toBeUndefined();
    expect(rechecks[1]).toMatchObject({ rejudged: ['2024-05-06'], warnings: [] });
    expect(rechecks[1]?.queries.map((q) => q.name)).toEqual(['recheck 2024-05-06']);
  });

  it("deletes the later first-entry snapshots that folded the re-judged night's partial data (engines with state)", async () => {
    counts.set('2024-05-06', 95);
    for (const night of ['2024-05-05', '2024-05-06', '2024-05-07'])
      store.objects.set(`state/manifests/entries/dt=${night}.json`, { body: '{"shape":"s"}', contentType: 'application/json' });
    await runNights(config, ['2024-05-08'], { ...deps, engine: { ...countingEngine, state: {} } } as unknown as PipelineDeps, {
      runId: 'r',
    });
    expect(store.keys('state/manifests/')).toEqual([
      'state/manifests/entries/dt=2024-05-05.json',
      'state/manifests/entries/dt=2024-05-06.json',
    ]);
    expect(events).toContain(
      "log 2024-05-06  first-entry snapshots of 2024-05-07 deleted: they folded 2024-05-06's partial data (the next night folds from 2024-05-06's)",
    );
  });

  it('leaves a night that is still incomplete (or unchanged) for a later run, and says so', async () => {
    counts.set('2024-05-06', 30);
    await runNights(config, ['2024-05-07'], deps, { runId: 'r' });
    expect(runs()).toEqual(['run 2024-05-07 sendAlerts=true runId=r']);
    expect(events).toContain('log 2024-05-06  still incomplete: 30 events now (20 when judged), re-checked again by later nights');
    expect(rechecks[0]).toMatchObject({ rejudged: [] });
    counts.set('2024-05-06', 20);
    events.length = 0;
    await runNights(config, ['2024-05-07'], deps, { runId: 'r2' });
    expect(runs()).toEqual(['run 2024-05-07 sendAlerts=true runId=r2']);
  });

  it('re-checks only the recheck_nights nights before the newest, and none a range has just judged itself', async () => {
    counts.set('2024-05-06', 95);
    // 05-06 is four nights before 05-10: past the re-check.
    await runNights(config, ['2024-05-10'], deps, { runId: 'r' });
    // A range that contains 05-06 judges it on tonight's data itself.
    await runNights(config, ['2024-05-06', '2024-05-07'], deps, { runId: 'r' });
    expect(events.filter((e) => e.startsWith('query '))).toEqual([]);
    expect(runs()).toEqual([
      'run 2024-05-10 sendAlerts=true runId=r',
      'run 2024-05-06 sendAlerts=false runId=r',
      'run 2024-05-07 sendAlerts=true runId=r',
    ]);
    const off = { ...config, alerts: { ...config.alerts, freshness: { min_ratio: 0.5, recheck_nights: 0 } } } as NsmConfig;
    await runNights(off, ['2024-05-07'], deps, { runId: 'r' });
    expect(events.filter((e) => e.startsWith('query '))).toEqual([]);
  });

  it('re-checks nothing in a Step Functions backfill night (noAlerts): it judges its night on the data as it is', async () => {
    counts.set('2024-05-06', 95);
    await runNights(config, ['2024-05-08'], deps, { runId: 'r', noAlerts: true });
    expect(events.filter((e) => e.startsWith('query ') || e.startsWith('run '))).toEqual(['run 2024-05-08 sendAlerts=false runId=r']);
  });

  it('a re-check that fails is a warning on the night, which still runs', async () => {
    counts.set('2024-05-06', new Error('Athena said no'));
    await runNights(config, ['2024-05-07'], deps, { runId: 'r' });
    expect(runs()).toEqual(['run 2024-05-07 sendAlerts=true runId=r']);
    expect(rechecks[0]?.warnings).toEqual([
      {
        code: 'rejudge_failed',
        message: 'the late-data re-check of night 2024-05-06 failed (it stays data_incomplete; the next night tries again): Athena said no',
        dt: '2024-05-06',
        key: null,
      },
    ]);
  });
});

describe('nightsToRecheck', () => {
  it('is the k nights before a single night, what precedes a short range, nothing for a long one', () => {
    expect(nightsToRecheck(['2024-05-08'], 3)).toEqual(['2024-05-05', '2024-05-06', '2024-05-07']);
    expect(nightsToRecheck(['2024-05-07', '2024-05-08'], 3)).toEqual(['2024-05-05', '2024-05-06']);
    expect(nightsToRecheck(['2024-05-01', '2024-05-08'], 3)).toEqual([]);
    expect(nightsToRecheck(['2024-05-08'], 0)).toEqual([]);
    expect(nightsToRecheck([], 3)).toEqual([]);
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

  it('says a digest went out apart from the alerts (it is not one)', () => {
    const quiet = { ...outcome({ partition_missing: false, partition_empty: false }), alertsSent: [], digestSent: true };
    expect(progressLine(quiet)).toBe('2024-05-01  nsm=0  2 queries 12 ms  digest sent');
  });
});
