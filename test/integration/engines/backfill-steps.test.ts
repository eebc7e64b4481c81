/**
 * The backfill's step handlers — the events the Step Functions state machine sends the nightly
 * Lambda (infra/backfill-machine.ts) — through `createNightlyHandler` with the real SDK clients
 * over loopback (test/support/loopback-aws.ts): Athena = the fake Athena server running every
 * statement on Trino over the stack's Glue tables, S3 and SNS = moto. Each step is its own invocation, in the order the state machine runs them
 * (the plan's state steps, then its nights).
 *
 * - A first night over a lake longer than `lake.max_days_per_query` runs as a plan, rollup
 *   batches, snapshot chunks and nights, and every night's metrics and candidate counts equal the
 *   local pipeline's over the same lake (DuckDB, from scratch, one invocation).
 * - After a step fails part way (an Athena query of the snapshot chain fails), an execution
 *   started again with the same input plans only what is left, and ends with the same numbers.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayRange } from '../../../functions/core/dates';
import type { BackfillPlan } from '../../../functions/core/pipeline/backfill-plan';
import { fromJsonLines } from '../../../functions/core/results/json-lines';
import type { CandidateRow, MetricRow } from '../../../functions/core/results/rows';
import { loadConfig } from '../../../functions/wiring/load-config';
import { type LakeEvent, tempDir, writeJsonLake } from '../../support/lake';
import { localReference } from '../../support/local-nights';
import {
  deployHandler,
  type LoopbackAws,
  type LoopbackDeployment,
  type LoopbackHandler,
  startLoopbackAws,
} from '../../support/loopback-aws';

const FROM = '2024-03-14';
const TO = '2024-03-16';
/**
 * 100 days of lake before FROM: with 6 days per query, the snapshot chain of FROM is 17 chunks,
 * and one cut short after its third chunk still starts more than 60 days before FROM (beyond
 * that, a snapshot is read from the lake, not folded from rollups).
 */
const LAKE_START = addDays(FROM, -100);

const CONFIG = `version: 1
lake:
  location: ./lake
  columns: { user: user_id, account: account_id, event: event_name }
  first_day: ${LAKE_START}
  max_days_per_query: 6
results:
  location: ./local-results
metrics:
  - { id: events, type: count }
  - { id: weekly_posts, type: count, events: [post], window_days: 7 }
  - { id: weekly_users, type: distinct_users, window_days: 7 }
north_star: weekly_users
candidates:
  cohort: { entry_event: signup, cohort_days: 7 }
  retention: { day: 7, window_days: 3 }
  actions:
    - { id: posted_early, event: post, within_days: 2 }
alerts:
  min_drop_pct: 99
`;

/** Every day its own mix; users sign up on their first day (some sign up twice: only the first counts). */
function lakeEvents(): LakeEvent[] {
  return dayRange(LAKE_START, TO).flatMap((dt, day) =>
    Array.from({ length: 12 + (day % 5) }, (_, i) => {
      const user = `u${(day * 3 + i) % (20 + day)}`;
      const event = i < 3 ? 'signup' : i % 3 === 0 ? 'open' : 'post';
      return { dt, user_id: event === 'signup' ? `u${day * 3 + i}` : user, account_id: `a${i % 3}`, event_name: event };
    }),
  );
}

let dir: string;
let aws: LoopbackAws;
/** Per night, computed by the local pipeline in one run from an empty results store. */
const expected = new Map<string, { metrics: MetricRow[]; candidates: CandidateRow[] }>();

const context = (id: string) => ({ awsRequestId: id, getRemainingTimeInMillis: () => 15 * 60_000 }) as Context;

/** What the state machine does with a plan: every state step, then every night, one invocation each, in order. */
async function runPlan(handler: LoopbackHandler, plan: BackfillPlan): Promise<void> {
  let n = 0;
  for (const step of plan.state) await handler(step, context(`state-${n++}`));
  for (const date of plan.nights) await handler({ step: 'night', date, alerts_for: plan.alerts_for }, context(`night-${date}`));
}

const values = (rows: readonly MetricRow[]) => Object.fromEntries(rows.map((r) => [r.metric_id, r.value]));
const counts = (rows: readonly CandidateRow[]) =>
  rows.map((r) => ({ id: r.candidate_id, hit: r.n_hit, miss: r.n_miss, retainedHit: r.retained_hit, retainedMiss: r.retained_miss }));

async function expectNightsAsLocal(dep: LoopbackDeployment): Promise<void> {
  for (const dt of dayRange(FROM, TO)) {
    const metrics = fromJsonLines<MetricRow>((await dep.text(`metrics/dt=${dt}/metrics.jsonl`))!);
    const candidates = fromJsonLines<CandidateRow>((await dep.text(`candidates/dt=${dt}/candidates.jsonl`))!);
    expect(values(metrics), dt).toEqual(values(expected.get(dt)!.metrics));
    expect(counts(candidates), dt).toEqual(counts(expected.get(dt)!.candidates));
  }
}

beforeAll(async () => {
  dir = tempDir('nsm-backfill-');
  writeJsonLake(join(dir, 'lake'), lakeEvents());
  const configPath = join(dir, 'nsm.config.yaml');
  await writeFile(configPath, CONFIG);
  const config = await loadConfig(configPath, {});
  const nights = await localReference(config, dayRange(FROM, TO));
  for (const n of nights) expected.set(n.dt, { metrics: n.report.metrics, candidates: n.report.candidates?.rows ?? [] });
  // Not vacuous: the cohort and the hits are there to count.
  const first = expected.get(TO)!.candidates[0]!;
  expect(first.n_hit + first.n_miss).toBeGreaterThan(0);

  aws = await startLoopbackAws({ label: 'backfill', configPath, config, firstDay: LAKE_START });
});

afterAll(async () => {
  await aws?.close();
  await rm(dir, { recursive: true, force: true });
});

/** An UNLOAD of a first-entry snapshot. */
const entriesUnload = (sql: string) => sql.startsWith('UNLOAD') && sql.includes('/state/entries/');

describe('a backfill run as the state machine runs it, step by step through the handler', () => {
  it('plans rollup batches and snapshot chunks, then nights; every night equals the local pipeline run in one go', async () => {
    const { dep, handler } = await deployHandler(aws, 'stepwise');
    const plan = (await handler({ step: 'plan', input: { from: FROM, to: TO } }, context('plan'))) as BackfillPlan;
    expect(plan.nights).toEqual(dayRange(FROM, TO));
    expect(plan.alerts_for).toBe(TO);
    // 101 days up to FROM in chunks of 6: 17 chunks, the last built by the night.
    expect(plan.state.filter((s) => s.step === 'entries')).toHaveLength(16);
    expect(plan.state.some((s) => s.step === 'rollups')).toBe(true);

    const before = dep.athena.executions.length;
    await runPlan(handler, plan);
    await expectNightsAsLocal(dep);
    // No query re-read the lake's history at once: every snapshot UNLOAD that reads the lake
    // (the chunks; the nights fold theirs from rollups) reads at most 6 days.
    const chunkSql = dep.athena.executions.slice(before).filter((e) => entriesUnload(e.sql) && e.sql.includes('"product_events"."events"'));
    expect(chunkSql).toHaveLength(16);
    for (const e of chunkSql) {
      // lakeEntryRows: WHERE "dt" BETWEEN 'from' AND 'to'.
      const [, from, to] = /"dt" BETWEEN '(\d{4}-\d{2}-\d{2})' AND '(\d{4}-\d{2}-\d{2})'/.exec(e.sql) ?? [];
      expect(dayRange(from!, to!).length).toBeLessThanOrEqual(6);
    }
    // A second plan finds every night done.
    const again = (await handler({ step: 'plan', input: { from: FROM, to: TO } }, context('plan-2'))) as BackfillPlan;
    expect(again).toMatchObject({ nights: [], state: [], skipped: 3, alerts_for: null });
  });

  it('resumes after a failed step: started again with the same input, it plans only what is left and gives the same numbers', async () => {
    const { dep, handler } = await deployHandler(aws, 'resumed');
    const plan = (await handler({ step: 'plan', input: { from: FROM, to: TO } }, context('plan'))) as BackfillPlan;
    const chunks = plan.state.filter((s) => s.step === 'entries');
    const failing = chunks[3]!;
    if (failing.step !== 'entries') throw new Error('unreachable');
    // The fourth chunk's query fails on Athena (every time, as a retry would see it too).
    let broken = true;
    dep.athena.on((sql) => broken && entriesUnload(sql) && sql.includes(`/state/entries/${failing.build.night}.`), {
      fail: { reason: 'Query exhausted resources at this scale factor' },
    });
    await expect(runPlan(handler, plan)).rejects.toThrow(/exhausted resources/);
    broken = false;

    const resumed = (await handler({ step: 'plan', input: { from: FROM, to: TO } }, context('plan-2'))) as BackfillPlan;
    // Nothing built is planned again: the rollups are done, and the chain goes on from the third
    // chunk, the last one built (its last day read again, for events that arrived late).
    expect(resumed.state.filter((s) => s.step === 'rollups')).toEqual([]);
    const rest = resumed.state.flatMap((s) => (s.step === 'entries' ? [s.build] : []));
    const third = chunks[2]!.step === 'entries' ? chunks[2]!.build.night : '';
    expect(rest[0]).toEqual({ night: third, base: third, from: third, source: 'lake' });
    expect(rest.length).toBe(chunks.length - 2);
    await runPlan(handler, resumed);
    await expectNightsAsLocal(dep);
  });
});
