/**
 * The DuckDB-vs-Trino traps of docs/design.md (§1, "Known traps"), checked on every statement a
 * night of the demo's config (with segments, candidates and the sweep) sends, in both dialects and
 * every plan: from the lake alone, a steady night over state and a first night that builds it.
 * Each test fails if a builder starts writing SQL that the two engines answer differently.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../../functions/core/config/parse';
import { planNight } from '../../../../functions/core/pipeline/plan-night';
import { dialectFor } from '../../../../functions/core/sql/dialects';
import type { EngineName } from '../../../../functions/core/state/keeps-state';
import { printedStatePlan } from '../../../../functions/core/state/printed-plans';
import { demoConfigYaml } from '../../../../functions/demo/demo-config';

const DT = '2024-06-01';

/** The demo's config with segments on, readable by Athena, results where `engine` keeps state. */
function demoConfig(engine: EngineName) {
  const results = engine === 'athena' ? 's3://results-bucket/results' : '/srv/results';
  const raw = parse(demoConfigYaml({ lakeDir: 's3://lake-bucket/events', resultsDir: results, firstDay: '2024-01-01' }));
  raw.lake.athena = { database: 'db', table: 'events', workgroup: 'wg', bytes_scanned_cutoff_gb: 100 };
  raw.segments = { dimensions: ['country', 'plan'], max_values: 2 };
  return parseConfig(stringify(raw), 'nsm.config.yaml');
}

/** Every statement of night DT for `engine`: the lake-only plan, a steady night and a first night. */
async function statements(engine: EngineName): Promise<string[]> {
  const config = demoConfig(engine);
  const dialect = dialectFor(config, engine);
  expect(dialect.state).toBeDefined();
  const limits = { lakeStart: '2024-01-01', maxDays: 30 };
  const steady = await printedStatePlan(config, dialect, DT, 'steady', limits);
  const first = await printedStatePlan(config, dialect, DT, 'first-night', limits);
  return [...planNight(config, dialect, DT), ...steady, ...first].map((q) => q.sql);
}

/** `sql` without its string literals (values, days, paths) and quoted identifiers. */
const code = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');

const ENGINES: EngineName[] = ['athena', 'duckdb'];

describe.each(ENGINES)('the statements of a demo night in the %s dialect', (engine) => {
  it('cover every query shape: rollups, entry snapshots, metrics, segments, candidates, sweep', async () => {
    const all = await statements(engine);
    expect(all.length).toBeGreaterThan(20);
    const text = all.join('\n');
    for (const marker of ['p__duration_ms', 'nsm_entry_day', 'nsm_retained', 'nsm_act_0', 'country']) expect(text).toContain(marker);
  });

  it('count distinct values exactly: no approx_distinct (Trino only) or approx_count_distinct (DuckDB only)', async () => {
    const all = await statements(engine);
    for (const sql of all) expect(sql).not.toMatch(/approx_/i);
    // The distinct-count metrics (weekly_active_users, new_teams, ...) are there, exact.
    expect(all.some((sql) => /count\(DISTINCT /i.test(sql))).toBe(true);
  });

  it('never divide: `/` on integers truncates on Trino and not in DuckDB, so ratios and averages are computed from the counts outside SQL', async () => {
    for (const sql of await statements(engine)) {
      expect(code(sql)).not.toContain('/');
      expect(sql).not.toMatch(/\b(avg|mean)\s*\(/i);
    }
  });

  it('sum a property as DOUBLE on both engines (an integer sum is BIGINT on Trino, HUGEINT in DuckDB)', async () => {
    const sums = (await statements(engine)).flatMap((sql) => [...sql.matchAll(/sum\(([^\n]*)\) AS "p__/g)].map((m) => m[1]));
    expect(sums.length).toBeGreaterThan(0);
    for (const arg of sums) expect(arg).toMatch(/^TRY_CAST\(.* AS DOUBLE\)$|^"?[a-z_]+"?\."?p__|^"?p__/);
  });

  it('do day arithmetic on DATE values only: no date_diff, INTERVAL or timestamp, and every shift is the dialect addDays form', async () => {
    const shift = engine === 'athena' ? /date_add\('day', -?\d+, [a-z_.]+\)/g : /\([a-z_.]+ \+ CAST\(-?\d+ AS INTEGER\)\)/g;
    let shifts = 0;
    for (const sql of await statements(engine)) {
      // DuckDB's date_diff on timestamps counts day boundaries, Trino's whole days; DATE - INTERVAL is a TIMESTAMP in DuckDB.
      expect(code(sql)).not.toMatch(/date_diff|datediff|date_sub|INTERVAL|TIMESTAMP|event_time|now\(|current_date/i);
      shifts += [...sql.matchAll(shift)].length;
      const rest = sql.replace(shift, '');
      // Any other DATE arithmetic would escape the checked form.
      expect(code(rest)).not.toMatch(/date_add|\+ CAST\(/i);
    }
    expect(shifts).toBeGreaterThan(0);
  });
});
