import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/core/config/parse';
import type { NsmConfig } from '../../../../functions/core/config/types';
import { addDays } from '../../../../functions/core/dates';
import type { QueryEngine, StateCapability } from '../../../../functions/core/engine';
import { InputError } from '../../../../functions/core/errors';
import { type BackfillPlan, planBackfill } from '../../../../functions/core/pipeline/backfill-plan';
import type { StateStepOutcome } from '../../../../functions/core/pipeline/backfill-step';
import type { PipelineDeps } from '../../../../functions/core/pipeline/deps';
import { runBackfillStep } from '../../../../functions/core/pipeline/run-backfill-step';
import { stateBuildFolder } from '../../../../functions/core/results/layout';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { planLimits } from '../../../../functions/core/state/night-state';
import { demoConfigYaml } from '../../../../functions/demo/demo-config';
import { MemoryResultStore } from '../../../support/memory-store';

const FROM = '2024-06-15';
const TO = '2024-06-17';
const LAKE_START = addDays(FROM, -99);
const demo: NsmConfig = parseConfig(demoConfigYaml({ lakeDir: 'lake', resultsDir: 'results' }), '<demo>');

/** An engine that keeps state (each build writes one file, as the engines do) and knows the lake's first day. */
function fakeDeps(store: MemoryResultStore): { deps: PipelineDeps; builds: string[] } {
  const builds: string[] = [];
  const state: StateCapability = {
    sql: {
      target: (kind, day, build) => `${stateBuildFolder(kind, day, build)}data.parquet`,
      relation: (kind, bs) => `state_${kind}(${bs.map((b) => `${b.day}.${b.build}`).join(',')})`,
      materialize: (select) => select,
    },
    materialize: async (query, kind, day) => {
      const build = `b${builds.length + 1}`;
      builds.push(`${kind}/${day}`);
      store.objects.set(`${stateBuildFolder(kind, day, build)}data.parquet`, { body: 'x', contentType: 'application/octet-stream' });
      return { stats: { name: query.name, query_id: null, ms: 1, bytes_scanned: null, rows: 0 }, rowsWritten: 1, build };
    },
  };
  const engine = {
    name: 'fake',
    dialect: duckdbDialect(),
    state,
    firstLakeDay: () => LAKE_START,
    run: async () => ({ rows: [] }),
    close: async () => undefined,
  } as unknown as QueryEngine;
  const deps: PipelineDeps = {
    engine,
    store,
    notifier: { publish: async () => undefined },
    log: () => undefined,
    warn: () => undefined,
    now: () => new Date('2024-06-18T06:00:00Z'),
  };
  return { deps, builds };
}

describe('runBackfillStep', () => {
  it('plans with the limits of the lake the engine knows, as planBackfill does', async () => {
    const store = new MemoryResultStore();
    const { deps } = fakeDeps(store);
    const plan = (await runBackfillStep(demo, { step: 'plan', input: { from: FROM, to: TO } }, deps, 'run-1', undefined)) as BackfillPlan;
    expect(plan).toEqual(await planBackfill(demo, { from: FROM, to: TO, rerun: false }, store, planLimits(demo, LAKE_START)));
    expect(plan.state.length).toBeGreaterThan(0);
  });

  it('rejects a plan input that is not a range, naming it', async () => {
    const { deps } = fakeDeps(new MemoryResultStore());
    await expect(runBackfillStep(demo, { step: 'plan', input: { from: 'monday' } }, deps, 'run-1', undefined)).rejects.toThrow(InputError);
  });

  it('builds a state step of the plan and says what it built', async () => {
    const store = new MemoryResultStore();
    const { deps, builds } = fakeDeps(store);
    const plan = (await runBackfillStep(demo, { step: 'plan', input: { from: FROM, to: TO } }, deps, 'run-1', undefined)) as BackfillPlan;
    const step = plan.state[0]!;
    const out = (await runBackfillStep(demo, step, deps, 'run-1', undefined)) as StateStepOutcome;
    expect(out.step).toBe(step.step);
    expect(out.night).toBe(step.night);
    expect(builds.length).toBeGreaterThan(0);
  });
});
