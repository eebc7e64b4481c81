/**
 * The compiled `duckdb` SQL for every metric type, run by the real DuckDB engine over a small
 * generated lake. Expected values are computed here, in plain TypeScript over the generated
 * events, straight from docs/design.md §2's definitions — not by the code under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import type { EventMetric, MetricConfig, NsmConfig } from '../../functions/core/config/types';
import { addDays, dayRange } from '../../functions/core/dates';
import { metricValues } from '../../functions/core/metrics/metric-values';
import { planNight } from '../../functions/core/pipeline/plan-night';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { buildMetricsQuery, DAY_EVENTS_COLUMN } from '../../functions/core/sql/metrics-query';
import { lakeSource } from '../../functions/core/sql/metrics-sources';
import { lakeConfig, testConfig } from '../support/config';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { metricOver, metricRows } from '../support/metric-oracle';
import { seededRandom } from '../support/random';

const HOSTILE = "x'); DROP TABLE events; --";
const D = '2024-03-09';
// 2024-03-05 has no partition at all (an empty day); 2024-03-10 is after D and must never count.
const DAYS = dayRange('2024-02-25', '2024-03-10').filter((d) => d !== '2024-03-05');

function generateEvents(): LakeEvent[] {
  const rnd = seededRandom(7);
  const names = ['post', 'call', 'signup', 'open'];
  const events: LakeEvent[] = [];
  for (const dt of DAYS) {
    for (let i = 0; i < 60; i++) {
      const r = rnd();
      const event: LakeEvent = {
        dt,
        // ~5% null users, ~10% null accounts; few accounts so that min_users thresholds bite.
        user_id: r < 0.05 ? null : `u${Math.floor(rnd() * 25)}`,
        account_id: rnd() < 0.1 ? null : `a${Math.floor(rnd() * 6)}`,
        event_name: names[Math.floor(rnd() * names.length)],
      };
      if (event.event_name === 'call') {
        const p = rnd();
        // Numbers, nulls, missing, and strings that are not numbers (skipped by the sum).
        event.duration_ms = p < 0.1 ? null : p < 0.2 ? 'n/a' : p < 0.25 ? undefined : Math.round(rnd() * 100_000) / 10;
      }
      events.push(event);
    }
  }
  // Window edges: one 'edge' event on the first and last day of the 7-day window, one just outside each end.
  for (const dt of [addDays(D, -6), D, addDays(D, -7), addDays(D, 1)]) {
    events.push({ dt, user_id: `edge-${dt}`, account_id: 'edge', event_name: 'edge' });
  }
  return events;
}

const METRICS: MetricConfig[] = [
  { id: 'posts', name: 'posts', type: 'count', events: ['post'], window_days: 1 },
  { id: 'posts_7d', name: 'posts 7d', type: 'count', events: ['post'], window_days: 7 },
  { id: 'all_events_3d', name: 'all 3d', type: 'count', events: undefined, window_days: 3 },
  { id: 'edge_7d', name: 'edge', type: 'count', events: ['edge'], window_days: 7 },
  { id: 'call_seconds', name: 'calls', type: 'sum', events: ['call'], property: 'duration_ms', scale: 0.001, window_days: 7 },
  { id: 'wau', name: 'wau', type: 'distinct_users', events: undefined, window_days: 7 },
  { id: 'posters', name: 'posters', type: 'distinct_users', events: ['post'], window_days: 1 },
  { id: 'accounts_7d', name: 'accounts', type: 'distinct_accounts', events: ['post', 'call'], window_days: 7 },
  { id: 'teams_3_posting', name: 'teams', type: 'active_accounts', events: ['post'], min_users: 3, window_days: 7 },
  { id: 'teams_1_any', name: 'teams any', type: 'active_accounts', events: undefined, min_users: 1, window_days: 2 },
  { id: 'hostile', name: 'hostile', type: 'count', events: [HOSTILE], window_days: 7 },
  { id: 'posts_per_poster', name: 'ratio', type: 'ratio', numerator: 'posts', denominator: 'posters' },
  { id: 'per_hostile', name: 'zero den', type: 'ratio', numerator: 'posts', denominator: 'hostile' },
];

/** docs/design.md §2, literally (test/support/metric-oracle.ts). */
function expected(events: readonly LakeEvent[], m: EventMetric, dt: string): number {
  return metricOver(metricRows(events, m, dt), m);
}

describe('metrics query on DuckDB', () => {
  const events = generateEvents();
  let dir: string;
  let engine: DuckDbEngine;
  let config: NsmConfig;

  beforeAll(async () => {
    dir = tempDir();
    writeJsonLake(`${dir}/lake`, events, { gzip: true });
    config = testConfig({ lake: lakeConfig(`${dir}/lake`), results: `${dir}/results`, metrics: METRICS, north_star: 'teams_3_posting' });
    engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config));
  });
  afterAll(async () => engine?.close());

  async function valuesFor(dt: string) {
    const [query] = planNight(config, engine.dialect, dt);
    const result = await engine.run(query!);
    expect(result.rows).toHaveLength(1);
    return { values: metricValues(config.metrics, result.rows[0]!), row: result.rows[0]! };
  }

  it.each(['2024-03-09', '2024-03-06', '2024-03-05', '2024-02-25'])('every event metric equals its definition on %s', async (dt) => {
    const { values } = await valuesFor(dt);
    for (const m of METRICS) {
      if (m.type === 'ratio') continue;
      const want = expected(events, m, dt);
      if (m.type === 'sum') expect(values.get(m.id), m.id).toBeCloseTo(want, 9);
      else expect(values.get(m.id), m.id).toBe(want);
    }
  });

  it.each(['2024-03-09', '2024-03-05'])(
    'the split form (totals and accounts apart, used over rollups) equals the definitions on %s',
    async (dt) => {
      const eventMetricsOnly = config.metrics.filter((m): m is EventMetric => m.type !== 'ratio');
      const source = { ...lakeSource(engine.dialect, config.lake), rescanIsCheap: true };
      const query = buildMetricsQuery(engine.dialect, config.lake, eventMetricsOnly, dt, source);
      expect(query.sql).not.toContain('GROUPING SETS');
      const [row] = (await engine.run(query)).rows;
      const values = metricValues(config.metrics, row!);
      for (const m of eventMetricsOnly) {
        const want = expected(events, m, dt);
        if (m.type === 'sum') expect(values.get(m.id), m.id).toBeCloseTo(want, 9);
        else expect(values.get(m.id), m.id).toBe(want);
      }
      expect(row!.day_events).toBe((await valuesFor(dt)).row.day_events);
    },
  );

  it("keeps metric ids apart from the query's own columns (day_events, nsm_account, nsm_level)", async () => {
    const clashing: EventMetric[] = [
      { id: 'day_events', name: 'posts', type: 'count', events: ['post'], window_days: 1 },
      { id: 'nsm_account', name: 'teams', type: 'active_accounts', events: ['post'], min_users: 2, window_days: 7 },
      { id: 'nsm_level', name: 'users', type: 'distinct_users', events: undefined, window_days: 7 },
    ];
    const { rows } = await engine.run(buildMetricsQuery(engine.dialect, config.lake, clashing, D));
    const values = metricValues(clashing, rows[0]!);
    for (const m of clashing) expect(values.get(m.id), m.id).toBe(expected(events, m, D));
    // The freshness guard still gets the day's own event count, not the metric named like it.
    expect(rows[0]![DAY_EVENTS_COLUMN]).toBe(events.filter((e) => e.dt === D).length);
    expect(expected(events, clashing[0]!, D)).not.toBe(events.filter((e) => e.dt === D).length);
  });

  it('counts window edges: first and last day in, the days just outside out', async () => {
    const { values } = await valuesFor(D);
    expect(values.get('edge_7d')).toBe(2);
  });

  it('the generated data exercises the thresholds (so the active_accounts test can fail)', () => {
    const active = METRICS.find((m) => m.id === 'teams_3_posting') as EventMetric;
    const all = METRICS.find((m) => m.id === 'accounts_7d') as EventMetric;
    expect(expected(events, active, D)).toBeGreaterThan(0);
    expect(expected(events, active, D)).toBeLessThanOrEqual(expected(events, all, D));
  });

  it('treats a hostile event name as data: a count of 0, and the lake is intact', async () => {
    const { values } = await valuesFor(D);
    expect(values.get('hostile')).toBe(0);
    const after = await engine.run({ name: 'check', sql: 'SELECT count(*) AS n FROM events' });
    expect(after.rows[0]!.n).toBe(events.length);
  });

  it('computes ratios in TypeScript and gives null for a zero denominator', async () => {
    const { values } = await valuesFor(D);
    expect(values.get('posts_per_poster')).toBeCloseTo((values.get('posts') as number) / (values.get('posters') as number), 12);
    expect(values.get('per_hostile')).toBeNull();
  });

  it("reports the day's own event count, 0 for a missing partition", async () => {
    expect((await valuesFor(D)).row[DAY_EVENTS_COLUMN]).toBe(events.filter((e) => e.dt === D).length);
    expect((await valuesFor('2024-03-05')).row[DAY_EVENTS_COLUMN]).toBe(0);
  });

  it('reads only the partitions the widest window needs', async () => {
    const [query] = planNight(config, engine.dialect, D);
    const plan = await engine.run({ name: 'explain', sql: `EXPLAIN ANALYZE ${query!.sql}` });
    const text = String(Object.values(plan.rows[0]!).at(-1));
    // DuckDB prints the files it kept after Hive pruning as "Total Files Read: N".
    const match = /Total Files Read:\s*(\d+)/.exec(text);
    expect(match, text.slice(0, 400)).not.toBeNull();
    // The 7-day window 03-03..03-09 minus the missing 03-05: 6 partitions of the 14 in the lake.
    expect(Number(match![1])).toBe(6);
  });
});
