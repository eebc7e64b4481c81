/**
 * The backfill's bounded steps: what `planBackfill` plans from the results location, what
 * `runStateStep` builds, and — the point of the steps — that the first night, run after them,
 * has only its own small share left: the lookback rollups and its last snapshot chunk. Driven
 * with the in-memory store and a fake state capability that writes a file into each build folder.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/core/config/parse';
import type { NsmConfig } from '../../../../functions/core/config/types';
import { addDays, dayRange, daysBetween } from '../../../../functions/core/dates';
import type { Query, QueryEngine, StateCapability } from '../../../../functions/core/engine';
import { InputError, LeaseHeldError } from '../../../../functions/core/errors';
import { acquireRunLease } from '../../../../functions/core/lease/run-lease';
import {
  type BackfillPlan,
  MAX_NIGHTS_PER_EXECUTION,
  parseBackfillInput,
  planBackfill,
  ROLLUPS_PER_STEP,
  type StateStep,
} from '../../../../functions/core/pipeline/backfill-plan';
import { runStateStep } from '../../../../functions/core/pipeline/backfill-step';
import { type PipelineDeps, stateDepsOf } from '../../../../functions/core/pipeline/deps';
import { leaseKey, runKey, type StateKind, stateBuildFolder, stateManifestKey } from '../../../../functions/core/results/layout';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { prepareNightState } from '../../../../functions/core/state/night-state';
import { chunkDays, LOOKBACK_DAYS, type PlanLimits, rollupDaysFor } from '../../../../functions/core/state/state-plan';
import { demoConfigYaml } from '../../../../functions/demo/demo-config';
import { MemoryResultStore } from '../../../support/memory-store';

const FROM = '2024-06-15';
const TO = '2024-06-17';
/** A lake of 400 days up to FROM. */
const LAKE_START = addDays(FROM, -399);
const LIMITS: PlanLimits = { lakeStart: LAKE_START, maxDays: 31 };
const dialect = duckdbDialect();
/** The demo config: metrics up to 7 days wide and candidates (entry event `signed_up`), whose ranges reach ~4 months back. */
const demo: NsmConfig = parseConfig(demoConfigYaml({ lakeDir: 'lake', resultsDir: 'results' }), '<demo>');

/** Records every build (kind, day, the query) and writes a file into its folder, as the engines do. */
function fakeEngine(store: MemoryResultStore) {
  const built: { kind: StateKind; day: string; query: Query }[] = [];
  let next = 0;
  const state: StateCapability = {
    sql: {
      target: (kind, day, build) => `${stateBuildFolder(kind, day, build)}data.parquet`,
      relation: (kind, builds) => `state_${kind}(${builds.map((b) => `${b.day}.${b.build}`).join(',')})`,
      materialize: (select) => select,
    },
    materialize: async (query, kind, day) => {
      const build = `b${++next}`;
      built.push({ kind, day, query });
      store.objects.set(`${stateBuildFolder(kind, day, build)}data.parquet`, { body: 'x', contentType: 'application/octet-stream' });
      return { stats: { name: query.name, query_id: null, ms: 1, bytes_scanned: null, rows: 0 }, rowsWritten: 1, build };
    },
  };
  const engine = { name: 'fake', dialect, state, run: async () => ({ rows: [] }), close: async () => undefined } as unknown as QueryEngine;
  const deps: PipelineDeps = {
    engine,
    store,
    notifier: { publish: async () => undefined },
    log: () => undefined,
    warn: () => undefined,
    now: () => new Date('2024-06-18T06:00:00Z'),
  };
  return { deps, built };
}

const lakeDayCount = (q: Query) => (q.lakeDays ? daysBetween(q.lakeDays.from ?? '0000-01-01', q.lakeDays.to) + 1 : 0);
const input = (from = FROM, to = TO, rerun = false) => ({ from, to, rerun });

async function runSteps(config: NsmConfig, steps: readonly StateStep[], deps: PipelineDeps) {
  for (const step of steps) await runStateStep(config, step, deps);
}

describe('planBackfill on an empty results location (a first night over 400 days of lake)', () => {
  it('plans every night, rollup batches of the days the first night reads, then all but the last snapshot chunk', async () => {
    const store = new MemoryResultStore();
    const plan = await planBackfill(demo, input(), store, LIMITS);
    expect(plan.nights).toEqual(dayRange(FROM, TO));
    expect(plan.alerts_for).toBe(TO);
    expect(plan.skipped).toBe(0);

    const rollupSteps = plan.state.filter((s) => s.step === 'rollups');
    const entrySteps = plan.state.filter((s) => s.step === 'entries');
    // Rollups first, then the chain, as the state machine runs them.
    expect(plan.state.map((s) => s.step)).toEqual([...rollupSteps.map(() => 'rollups'), ...entrySteps.map(() => 'entries')]);
    for (const s of rollupSteps) expect(s.days.length).toBeLessThanOrEqual(ROLLUPS_PER_STEP);
    const rollupDays = rollupSteps.flatMap((s) => s.days);
    // Every day the night reads except the lookback days, which every night rebuilds; and the
    // days of the last chunk, which the night folds from rollups.
    const chunks = chunkDays(LAKE_START, FROM, 31);
    const foldDays = dayRange(chunks.at(-2)!.to, FROM);
    const expected = [...new Set([...rollupDaysFor(demo, FROM), ...foldDays])].filter((d) => d < addDays(FROM, -LOOKBACK_DAYS)).sort();
    expect(rollupDays).toEqual(expected);
    // The chain: 13 chunks of at most 31 days for 400 days; the steps build the first 12.
    expect(entrySteps.map((s) => s.build)).toEqual(
      chunks.slice(0, -1).map((c, i) => ({ night: c.to, base: i === 0 ? null : chunks[i - 1]!.to, from: c.from, source: 'lake' })),
    );
  });

  it('leaves the first night only its lookback rollups and one bounded snapshot build once the steps ran; every query reads at most 31 partitions', async () => {
    const store = new MemoryResultStore();
    const { deps, built } = fakeEngine(store);
    const plan = await planBackfill(demo, input(), store, LIMITS);
    await runSteps(demo, plan.state, deps);
    const bySteps = built.length;
    for (const b of built) expect(lakeDayCount(b.query)).toBeLessThanOrEqual(31);

    await prepareNightState(demo, FROM, stateDepsOf(deps, undefined)!, LIMITS);
    const byNight = built.slice(bySteps);
    expect(
      byNight
        .filter((b) => b.kind === 'daily')
        .map((b) => b.day)
        .sort(),
    ).toEqual(dayRange(addDays(FROM, -LOOKBACK_DAYS), FROM));
    const snapshots = byNight.filter((b) => b.kind === 'entries');
    expect(snapshots.map((b) => b.day)).toEqual([FROM]);
    // Folded from the last chunk's snapshot and the rollups since: no lake partition at all.
    expect(lakeDayCount(snapshots[0]!.query)).toBe(0);
    expect(snapshots[0]!.query.sql).toContain(`state_entries(${chunkDays(LAKE_START, FROM, 31).at(-2)!.to}.`);
  });

  it('plans no state steps without candidates beyond the rollups, and none at all for a lake shorter than the lookback', async () => {
    const noCandidates = { ...demo, candidates: undefined } as NsmConfig;
    const plan = await planBackfill(noCandidates, input(), new MemoryResultStore(), LIMITS);
    expect(plan.state.every((s) => s.step === 'rollups')).toBe(true);
    expect(plan.state.flatMap((s) => (s.step === 'rollups' ? s.days : []))).toEqual(
      rollupDaysFor(noCandidates, FROM).filter((d) => d < addDays(FROM, -LOOKBACK_DAYS)),
    );
  });
});

describe('planBackfill resumes from what the results location holds', () => {
  it('after a failure part way through the chain, plans only the rest of it, from the last chunk built', async () => {
    const store = new MemoryResultStore();
    const { deps, built } = fakeEngine(store);
    const first = await planBackfill(demo, input(), store, LIMITS);
    const entrySteps = first.state.filter((s) => s.step === 'entries');
    const rollupSteps = first.state.filter((s) => s.step === 'rollups');
    // Every rollup batch and five chunks ran; then the execution failed.
    await runSteps(demo, [...rollupSteps, ...entrySteps.slice(0, 5)], deps);
    const builtBefore = built.length;

    const again = await planBackfill(demo, input(), store, LIMITS);
    expect(again.state.filter((s) => s.step === 'rollups')).toEqual([]);
    const resumed = again.state.filter((s) => s.step === 'entries').map((s) => s.build);
    const lastBuilt = entrySteps[4]!.build.night;
    expect(resumed[0]!.base).toBe(lastBuilt);
    // From the last chunk built (its last day read again for late events) to D, in chunks of 31.
    expect(resumed.map((b) => b.from)).toEqual(
      chunkDays(lastBuilt, FROM, 31)
        .slice(0, -1)
        .map((c) => c.from),
    );
    expect(resumed.length).toBeLessThan(entrySteps.length);

    await runSteps(demo, again.state, deps);
    await prepareNightState(demo, FROM, stateDepsOf(deps, undefined)!, LIMITS);
    const night = built.slice(builtBefore).slice(again.state.length);
    expect(night.filter((b) => b.kind === 'entries').map((b) => lakeDayCount(b.query))).toEqual([0]);
  });

  it('skips nights whose run.json says succeeded, unless rerun; alerts only for the range newest night, when it runs', async () => {
    const store = new MemoryResultStore();
    const succeeded = (dt: string) =>
      store.objects.set(runKey(dt), { body: JSON.stringify({ dt, status: 'succeeded' }), contentType: 'application/json' });
    succeeded(FROM);
    store.objects.set(runKey(addDays(FROM, 1)), { body: JSON.stringify({ status: 'failed' }), contentType: 'application/json' });
    const plan = await planBackfill(demo, input(), store, LIMITS);
    expect(plan.nights).toEqual([addDays(FROM, 1), TO]);
    expect(plan.skipped).toBe(1);
    expect(plan.alerts_for).toBe(TO);
    // The state steps are those of the first night left.
    expect(plan.state.find((s) => s.step === 'entries')?.night).toBe(addDays(FROM, 1));

    succeeded(addDays(FROM, 1));
    succeeded(TO);
    const done: BackfillPlan = await planBackfill(demo, input(), store, LIMITS);
    expect(done).toMatchObject({ nights: [], state: [], alerts_for: null, skipped: 3 });
    const rerun = await planBackfill(demo, input(FROM, TO, true), store, LIMITS);
    expect(rerun.nights).toEqual(dayRange(FROM, TO));
  });
});

describe('runStateStep', () => {
  it('refuses a chunk whose base snapshot is gone, saying to start again', async () => {
    const store = new MemoryResultStore();
    const { deps } = fakeEngine(store);
    const step: StateStep = {
      step: 'entries',
      night: FROM,
      build: { night: addDays(FROM, -31), base: addDays(FROM, -62), from: addDays(FROM, -61), source: 'lake' },
    };
    await expect(runStateStep(demo, step, deps)).rejects.toThrow(
      `backfill step entries ${addDays(FROM, -31)}: the snapshot of ${addDays(FROM, -62)} it folds into is missing or of another config; start the execution again (it plans from what is built)`,
    );
  });

  it('switches each manifest to the build it wrote', async () => {
    const store = new MemoryResultStore();
    const { deps } = fakeEngine(store);
    await runStateStep(demo, { step: 'rollups', night: FROM, days: [addDays(FROM, -5)] }, deps);
    expect(JSON.parse(store.text(stateManifestKey('daily', addDays(FROM, -5)))!)).toMatchObject({ build: 'b1', built_by: FROM });
  });

  it("builds under the results location's run lease, and releases it", async () => {
    const store = new MemoryResultStore();
    const { deps } = fakeEngine(store);
    await runStateStep(
      demo,
      { step: 'rollups', night: FROM, days: [addDays(FROM, -5)] },
      { ...deps, lease: { waitMs: 0 } },
      { runId: 'step-1' },
    );
    expect(JSON.parse(store.text(leaseKey(0))!)).toMatchObject({ run_id: 'step-1', state: 'released' });
  });

  it('builds nothing while another run (a nightly run, a CLI backfill) holds the lease, and says who', async () => {
    const store = new MemoryResultStore();
    const { deps, built } = fakeEngine(store);
    await acquireRunLease(store, { runId: 'nightly', holder: { what: 'lambda nightly' } });
    const step: StateStep = { step: 'rollups', night: FROM, days: [addDays(FROM, -5)] };
    const err = await runStateStep(demo, step, { ...deps, lease: { waitMs: 0 } }, { runId: 'step-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect((err as Error).message).toMatch(/another run holds the lease: run nightly \(lambda nightly\) holds it since/);
    expect(built).toEqual([]);
    expect(store.keys('state/')).toEqual([]);
  });
});

describe('parseBackfillInput', () => {
  it('reads {from, to} and an optional rerun', () => {
    expect(parseBackfillInput({ from: FROM, to: TO })).toEqual({ from: FROM, to: TO, rerun: false });
    expect(parseBackfillInput({ from: FROM, to: FROM, rerun: true })).toEqual({ from: FROM, to: FROM, rerun: true });
  });

  it.each([
    ['not an object', 'x', /^backfill input: expected \{"from":"YYYY-MM-DD","to":"YYYY-MM-DD"\}, got "x"$/],
    ['a missing end', { from: FROM }, /^backfill input: "from" and "to" are both required$/],
    ['a bad day', { from: '2024-13-01', to: TO }, /backfill input\.from/],
    ['a reversed range', { from: TO, to: FROM }, new RegExp(`^backfill input: from ${TO} is after to ${FROM}$`)],
    ['an unknown field', { from: FROM, to: TO, date: FROM }, /^backfill input: unknown field date/],
    ['a rerun that is no boolean', { from: FROM, to: TO, rerun: 'yes' }, /^backfill input\.rerun: expected true or false$/],
    [
      'too many nights',
      { from: '2015-01-01', to: '2024-01-01' },
      new RegExp(`^backfill input: 2015-01-01\\.\\.2024-01-01 is 3288 nights; one execution runs at most ${MAX_NIGHTS_PER_EXECUTION}`),
    ],
  ])('rejects %s with a one-line InputError', (_case, given, message) => {
    expect(() => parseBackfillInput(given)).toThrow(InputError);
    expect(() => parseBackfillInput(given)).toThrow(message);
  });
});
