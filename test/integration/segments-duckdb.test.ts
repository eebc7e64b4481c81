/**
 * The metrics query with segments on the real DuckDB engine, over the lake and over
 * the rollups of the incremental state: every metric type, for the whole night and for every
 * segment of two dimensions, against values computed here in plain TypeScript straight from the
 * definitions — the segment of an event is its value when that value is among the `max_values`
 * with the most volume on night D (or was named on an earlier night), `(none)` when null, else
 * `(other)`; a segment's metric is the metric over its events only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import type { EventMetric, NsmConfig } from '../../functions/core/config/types';
import { addDays, dayRange } from '../../functions/core/dates';
import type { Row } from '../../functions/core/engine';
import { metricValues } from '../../functions/core/metrics/metric-values';
import { segmentValuesFromRows, splitMetricsRows } from '../../functions/core/segments/segment-values';
import { athenaDialect, duckdbDialect } from '../../functions/core/sql/dialects';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { buildMetricsQuery, DAY_EVENTS_COLUMN } from '../../functions/core/sql/metrics-query';
import { rollupSource } from '../../functions/core/sql/metrics-sources';
import { quoteString } from '../../functions/core/sql/quote';
import { buildRollupSelect } from '../../functions/core/sql/rollup-query';
import type { SegmentPlan } from '../../functions/core/sql/segmented-metrics-query';
import { copyToParquet } from '../../functions/core/sql/state-sql';
import { athenaSqlProblems } from '../support/athena-sql-validator';
import { lakeConfig, testConfig } from '../support/config';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { metricOver, metricRows } from '../support/metric-oracle';
import { seededRandom } from '../support/random';

const D = '2024-03-09';
const DAYS = dayRange('2024-03-01', '2024-03-10');
const PLATFORMS = ['ios', 'android', 'web', 'tv', 'car', 'watch'];

/** Events with a platform (one in 12 null, skewed so that volumes differ) and a numeric country code (JSON numbers). */
function generateEvents(): LakeEvent[] {
  const rnd = seededRandom(17);
  const names = ['post', 'call', 'open'];
  const events: LakeEvent[] = [];
  for (const dt of DAYS) {
    for (let i = 0; i < 120; i++) {
      const user = Math.floor(rnd() * 30);
      const r = rnd();
      const event: LakeEvent = {
        dt,
        user_id: rnd() < 0.04 ? null : `u${user}`,
        account_id: rnd() < 0.1 ? null : `a${user % 7}`,
        event_name: names[Math.floor(rnd() * names.length)],
        // Mostly the user's own platform; sometimes another (people have two devices).
        platform: r < 1 / 12 ? null : PLATFORMS[rnd() < 0.8 ? user % 6 : Math.floor(rnd() * 6)]!,
        country: rnd() < 0.05 ? null : Math.floor(rnd() * rnd() * 9) + 1,
      };
      if (event.event_name === 'call') event.duration_ms = rnd() < 0.1 ? 'n/a' : Math.round(rnd() * 1000);
      events.push(event);
    }
  }
  // 'car' has no event on D at all (volume 0 tonight) but is named on an earlier night: it must stay named.
  return events.filter((e) => !(e.dt === D && e.platform === 'car'));
}

const METRICS: EventMetric[] = [
  { id: 'posts', name: 'posts', type: 'count', events: ['post'], window_days: 1 },
  { id: 'events_3d', name: 'events 3d', type: 'count', events: undefined, window_days: 3 },
  { id: 'call_seconds', name: 'calls', type: 'sum', events: ['call'], property: 'duration_ms', scale: 0.001, window_days: 7 },
  { id: 'wau', name: 'wau', type: 'distinct_users', events: undefined, window_days: 7 },
  { id: 'posters', name: 'posters', type: 'distinct_users', events: ['post'], window_days: 1 },
  { id: 'accounts_7d', name: 'accounts', type: 'distinct_accounts', events: ['post', 'call'], window_days: 7 },
  { id: 'teams_3', name: 'teams', type: 'active_accounts', events: ['post'], min_users: 3, window_days: 7 },
];

const PLAN: SegmentPlan = {
  dimensions: [
    { column: 'platform', named: ['car'] },
    { column: 'country', named: [] },
  ],
  maxValues: 3,
  volumeEvents: null,
};

/** Expected metric id -> dimension -> segment -> value, computed from the events. */
function expectedSegments(events: readonly LakeEvent[]): Map<string, Map<string, Map<string, number>>> {
  const out = new Map(METRICS.map((m) => [m.id, new Map<string, Map<string, number>>()]));
  for (const dim of PLAN.dimensions) {
    // Volume on D of every value (all events: volumeEvents is null), then the largest named; ties by value.
    const volume = new Map<string, number>();
    const windowFrom = addDays(D, -6);
    for (const e of events) {
      const v = e[dim.column];
      if (v === null || v === undefined || e.dt < windowFrom || e.dt > D) continue;
      volume.set(String(v), (volume.get(String(v)) ?? 0) + (e.dt === D ? 1 : 0));
    }
    const ranked = [...volume.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v);
    const named = new Set([...ranked.slice(0, PLAN.maxValues), ...dim.named]);
    const label = (e: LakeEvent) => {
      const v = e[dim.column];
      if (v === null || v === undefined) return '(none)';
      return named.has(String(v)) ? String(v) : '(other)';
    };
    for (const m of METRICS) {
      const rows = metricRows(events, m, D);
      const bySegment = new Map<string, LakeEvent[]>();
      // Every label that has any event in the scan's widest window gets a row, for every metric.
      for (const e of events) if (e.dt >= windowFrom && e.dt <= D) bySegment.set(label(e), bySegment.get(label(e)) ?? []);
      for (const e of rows) bySegment.get(label(e))!.push(e);
      out.get(m.id)!.set(dim.column, new Map([...bySegment].map(([s, es]) => [s, metricOver(es, m)])));
    }
  }
  return out;
}

describe('segments in the metrics query (DuckDB)', () => {
  const events = generateEvents();
  const expected = expectedSegments(events);
  let dir: string;
  let config: NsmConfig;
  let engine: DuckDbEngine;

  beforeAll(async () => {
    dir = tempDir('nsm-segments-');
    writeJsonLake(join(dir, 'lake'), events);
    config = testConfig({
      lake: lakeConfig(join(dir, 'lake')),
      results: join(dir, 'results'),
      metrics: METRICS,
      north_star: 'wau',
      segments: { dimensions: ['platform', 'country'], max_values: 3 },
    });
    engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), {});
  });
  afterAll(async () => engine?.close());

  const check = (rows: readonly Row[]) => {
    const { whole, segmentRows } = splitMetricsRows(rows);
    // The whole night is what the plain query computes.
    const values = metricValues(METRICS, whole);
    for (const m of METRICS) {
      expect(values.get(m.id), m.id).toBeCloseTo(metricOver(metricRows(events, m, D), m), 9);
    }
    expect(whole[DAY_EVENTS_COLUMN]).toBe(events.filter((e) => e.dt === D).length);
    const got = segmentValuesFromRows(segmentRows, METRICS, ['platform', 'country']);
    for (const m of METRICS) {
      for (const dim of ['platform', 'country']) {
        const want = [...expected.get(m.id)!.get(dim)!].sort();
        const have = [...got.get(m.id)!.get(dim)!].sort();
        expect(
          have.map(([s]) => s),
          `${m.id} ${dim}`,
        ).toEqual(want.map(([s]) => s));
        for (const [i, [s, v]] of have.entries()) expect(v, `${m.id} ${dim}=${s}`).toBeCloseTo(want[i]![1], 9);
      }
    }
    return got;
  };

  it('over the lake: every metric for the whole night and for every segment', async () => {
    const query = buildMetricsQuery(engine.dialect, config.lake, METRICS, D, undefined, PLAN);
    const got = check((await engine.run(query)).rows);
    // Not vacuous: three named platforms plus 'car' (named on an earlier night, no event on D), (none) and (other).
    expect([...got.get('wau')!.get('platform')!.keys()].sort()).toEqual(['(none)', '(other)', 'android', 'car', 'ios', 'watch']);
    expect(got.get('posts')!.get('platform')!.get('car')).toBe(0);
    expect(got.get('wau')!.get('platform')!.get('car')).toBeGreaterThan(0);
    // Distinct users of segments overlap (two devices): their sum exceeds the whole.
    const wau = [...got.get('wau')!.get('platform')!.values()].reduce((a, b) => a + b, 0);
    expect(wau).toBeGreaterThan(metricValues(METRICS, splitMetricsRows((await engine.run(query)).rows).whole).get('wau')!);
  });

  it('over the rollups: the same numbers', async () => {
    mkdirSync(join(dir, 'rollups'), { recursive: true });
    for (const day of DAYS) {
      const file = join(dir, 'rollups', `${day}.parquet`);
      const sql = copyToParquet(buildRollupSelect(duckdbDialect(), config, day), file);
      await engine.run({ name: `rollup ${day}`, sql, lakeDays: { from: day, to: day } });
    }
    const relation = (days: readonly string[]) =>
      `read_parquet([${days.map((d) => quoteString(join(dir, 'rollups', `${d}.parquet`))).join(', ')}])`;
    const query = buildMetricsQuery(engine.dialect, config.lake, METRICS, D, rollupSource(relation), PLAN);
    check((await engine.run(query)).rows);
  });

  it('compiles to valid Athena SQL (Trino), over the lake and over the state', () => {
    const dialect = athenaDialect('db', 'events', { resultsLocation: 's3://results/nsm' });
    const lakeQuery = buildMetricsQuery(dialect, config.lake, METRICS, D, undefined, PLAN);
    const stateQuery = buildMetricsQuery(
      dialect,
      config.lake,
      METRICS,
      D,
      rollupSource((days) =>
        dialect.state!.relation(
          'daily',
          days.map((day) => ({ day, build: 'b1' })),
        ),
      ),
      PLAN,
    );
    expect(athenaSqlProblems(lakeQuery.sql)).toEqual([]);
    expect(athenaSqlProblems(stateQuery.sql)).toEqual([]);
  });
});
