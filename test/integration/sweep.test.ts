/**
 * The threshold sweep end to end over a generated lake with a planted magic number: users who post
 * at least 3 times in their first 7 days retain at ~70%, everyone else at ~12%. Expected counts of
 * every cell are computed here in plain TypeScript from the generated events, straight from
 * docs/candidates.md — not through SQL. The same cells must come out of the lake query on DuckDB,
 * the Athena SQL's validity (it runs on Trino in the engines suites), and a whole night over the
 * incremental state; and the sweep's best cell must be (3, 7).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { LocalResultStore } from '../../functions/adapters/local-result-store';
import type { CandidatesConfig, NsmConfig } from '../../functions/core/config/types';
import { addDays, daysBetween } from '../../functions/core/dates';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { fromJsonLines } from '../../functions/core/results/json-lines';
import { sweepKey } from '../../functions/core/results/layout';
import type { SweepRow } from '../../functions/core/results/rows';
import { athenaDialect, duckdbDialect } from '../../functions/core/sql/dialects';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { buildSweepQuery, SWEEP_QUERY } from '../../functions/core/sql/sweep-query';
import { entriesQueryName } from '../../functions/core/state/build-state';
import { type SweepCell, sweepCells } from '../../functions/core/sweep/cells';
import { parseSweepCounts, type SweepCounts } from '../../functions/core/sweep/parse-counts';
import { athenaSqlProblems } from '../support/athena-sql-validator';
import { lakeConfig, testConfig } from '../support/config';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { seededRandom } from '../support/random';

const D = '2025-06-30';
const R = 28;
const W = 7;
const C = 21;
const COHORT_START = '2025-05-13'; // D-R-C+1, by hand
const COHORT_END = '2025-06-02'; // D-R

const CANDIDATES: CandidatesConfig = {
  cohort: { entry_event: 'signed_up', cohort_days: C },
  retention: { day: R, window_days: W },
  min_lift: 2,
  max_p: 0.01,
  actions: [
    { id: 'posted_d7', event: 'message_posted', within_days: 7 },
    { id: 'help_d7', event: 'viewed_help', within_days: 7 },
  ],
  sweep: { min_count: [1, 2, 3, 5, 10], within_days: [1, 3, 7, 14] },
};

/** Users and their events; the plant: >= 3 posts on days E … E+6 → retained at 70%, else 12%. */
function generateEvents(): LakeEvent[] {
  const rnd = seededRandom(18_03_07);
  const events: LakeEvent[] = [];
  const ev = (dt: string, user: string, name: string) => events.push({ dt, user_id: user, account_id: 'acc', event_name: name });
  const firstEntry = addDays(COHORT_START, -5);
  const span = daysBetween(firstEntry, addDays(COHORT_END, 5));
  for (let u = 0; u < 2400; u++) {
    const user = `u${u}`;
    const e = addDays(firstEntry, Math.floor(rnd() * (span + 1)));
    ev(e, user, 'signed_up');
    // Posts in week one: 0 … 6, evenly; several may fall on one day.
    const week1 = Math.floor(rnd() * 7);
    for (let k = 0; k < week1; k++) ev(addDays(e, Math.floor(rnd() * 7)), user, 'message_posted');
    // Week two: posts that do not count for k = 7 but tempt k = 14.
    const week2 = Math.floor(rnd() * 4);
    for (let k = 0; k < week2; k++) ev(addDays(e, 7 + Math.floor(rnd() * 7)), user, 'message_posted');
    // A null action: half the users look at help a few times, unrelated to retention.
    if (rnd() < 0.5) for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) ev(addDays(e, Math.floor(rnd() * 14)), user, 'viewed_help');
    if (rnd() < (week1 >= 3 ? 0.7 : 0.12)) ev(addDays(e, R - W + 1 + Math.floor(rnd() * W)), user, 'app_opened');
  }
  // Edge: 3 posts on E+6 (the window's last day) and one on E+7 (outside k = 7, inside k = 14).
  ev(COHORT_END, 'edge-last-day', 'signed_up');
  for (let k = 0; k < 3; k++) ev(addDays(COHORT_END, 6), 'edge-last-day', 'message_posted');
  ev(addDays(COHORT_END, 7), 'edge-last-day', 'message_posted');
  return events;
}

/** docs/candidates.md, per user, from the raw events: the independent oracle. */
function expectedCounts(events: readonly LakeEvent[], cells: readonly SweepCell[]): Omit<SweepCounts, 'cell'>[] {
  const byUser = new Map<string, LakeEvent[]>();
  for (const e of events) {
    if (e.dt > D) continue;
    const list = byUser.get(e.user_id as string) ?? [];
    list.push(e);
    byUser.set(e.user_id as string, list);
  }
  const members: { retained: boolean; list: LakeEvent[]; e: string }[] = [];
  for (const list of byUser.values()) {
    const e = list
      .filter((x) => x.event_name === 'signed_up')
      .map((x) => x.dt)
      .sort()[0];
    if (e === undefined || e < COHORT_START || e > COHORT_END) continue;
    const offset = (dt: string) => daysBetween(e, dt);
    members.push({ e, list, retained: list.some((x) => offset(x.dt) >= R - W + 1 && offset(x.dt) <= R) });
  }
  return cells.map((cell) => {
    const hit = (m: (typeof members)[number]) =>
      m.list.filter((x) => x.event_name === cell.event && daysBetween(m.e, x.dt) >= 0 && daysBetween(m.e, x.dt) <= cell.within_days - 1)
        .length >= cell.min_count;
    const hits = members.filter(hit);
    const misses = members.filter((m) => !hit(m));
    return {
      candidate_id: cell.candidate_id,
      cohort_size: members.length,
      n_hit: hits.length,
      n_miss: misses.length,
      retained_hit: hits.filter((m) => m.retained).length,
      retained_miss: misses.filter((m) => m.retained).length,
    };
  });
}

const withoutCell = (counts: readonly SweepCounts[]) => counts.map(({ cell: _, ...rest }) => rest);

describe('threshold sweep over a lake with a planted magic number', () => {
  const events = generateEvents();
  const cells = sweepCells(CANDIDATES);
  const expected = expectedCounts(events, cells);
  let dir: string;
  let config: NsmConfig;
  let engine: DuckDbEngine;

  beforeAll(async () => {
    dir = tempDir('nsm-sweep-');
    const lake = lakeConfig(writeJsonLake(join(dir, 'lake'), events));
    config = testConfig({
      lake,
      results: join(dir, 'results'),
      metrics: [{ id: 'posts', name: 'Posts', type: 'count', events: ['message_posted'], window_days: 1 }],
      north_star: 'posts',
      candidates: CANDIDATES,
    });
    engine = await DuckDbEngine.open(lake, lakeColumnsUsed(config), { threads: 1 });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('the oracle sees the plant and the edge user as intended', () => {
    expect(cells).toHaveLength(2 * 5 * 4);
    expect(expected[0]!.cohort_size).toBeGreaterThan(1500);
    const at = (n: number, k: number) => expected[cells.findIndex((c) => c.action === 0 && c.min_count === n && c.within_days === k)]!;
    // (3, 7) is the plant itself: far better retained than its complement.
    const magic = at(3, 7);
    expect(magic.retained_hit / magic.n_hit).toBeGreaterThan(0.6);
    expect(magic.retained_miss / magic.n_miss).toBeLessThan(0.2);
  });

  it('DuckDB: the lake query returns every cell exactly as counted from the events', async () => {
    const result = await engine.run(buildSweepQuery(engine.dialect, config.lake, CANDIDATES, D));
    expect(result.stats.name).toBe(SWEEP_QUERY);
    expect(result.rows).toHaveLength(cells.length);
    expect(withoutCell(parseSweepCounts(result.rows, CANDIDATES))).toEqual(expected);
  });

  it('Athena: the query is valid Athena SQL over the same cells (it runs on Trino in the engines suites)', () => {
    // Run on Trino against DuckDB's answers by test/integration/engines/equality.test.ts (sweep.jsonl
    // of 36 nights) and handler.test.ts (the demo's 120 cells); DuckDB's answers are checked
    // against the oracle above.
    const athena = buildSweepQuery(athenaDialect('product_events', 'events'), config.lake, CANDIDATES, D);
    expect(athenaSqlProblems(athena.sql)).toEqual([]);
    expect(athena.sql).toContain("date_add('day'");
    expect(athena.name).toBe(SWEEP_QUERY);
  });

  it('a night over the incremental state writes sweep.jsonl with the same cells, best cell (3, 7)', async () => {
    const stateEngine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), {
      threads: 1,
      dialect: duckdbDialect({ resultsDir: config.results.location }),
    });
    const store = new LocalResultStore(config.results.location);
    try {
      const [outcome] = await runNights(config, [D], {
        engine: stateEngine,
        store,
        notifier: { publish: async () => undefined },
        log: () => undefined,
        warn: (line) => {
          throw new Error(`unexpected warning: ${line}`);
        },
        now: () => new Date(),
      });
      // The sweep read the state (rollups and the entry snapshot), not the lake.
      const sweepRun = outcome!.run.queries.find((q) => q.name === SWEEP_QUERY);
      expect(sweepRun).toBeDefined();
      expect(outcome!.run.queries.map((q) => q.name)).toContain(entriesQueryName(D));
    } finally {
      await stateEngine.close();
    }
    const rows = fromJsonLines<SweepRow>((await store.get(sweepKey(D)))!);
    expect(
      rows.map((r) => ({
        candidate_id: r.candidate_id,
        n_hit: r.n_hit,
        n_miss: r.n_miss,
        retained_hit: r.retained_hit,
        retained_miss: r.retained_miss,
      })),
    ).toEqual(expected.map(({ cohort_size: _, ...rest }) => rest));
    expect(rows.map((r) => [r.min_count, r.within_days])).toEqual(cells.map((c) => [c.min_count, c.within_days]));
    const best = rows.filter((r) => r.best);
    expect(best.map((r) => [r.candidate_id, r.min_count, r.within_days])).toEqual([['posted_d7', 3, 7]]);
    const magic = best[0]!;
    expect(magic.lift).toBeGreaterThan(3);
    expect(magic.q_value).toBeLessThan(1e-10);
    // Every other cell of the action has a smaller phi: the plant is the peak of the grid.
    for (const r of rows.filter((x) => x.candidate_id === 'posted_d7' && !x.best)) expect(r.phi ?? -1).toBeLessThan(magic.phi!);
    // The null action has no best cell.
    expect(rows.filter((r) => r.candidate_id === 'help_d7').some((r) => r.best)).toBe(false);
  });
});
