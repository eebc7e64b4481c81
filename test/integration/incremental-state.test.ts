/**
 * The incremental state's correctness guarantee (docs/design.md §5): a night computed from the incremental state (per-day rollups
 * and the first-entry snapshot) equals the same night computed from scratch over the lake — on
 * a backfill, after late events land in an earlier partition, and after the config changes the
 * rollups' shape. The from-scratch side is the plain lake plan (no state), on a fresh engine.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { LocalResultStore } from '../../functions/adapters/local-result-store';
import type { NsmConfig } from '../../functions/core/config/types';
import { addDays, dayRange } from '../../functions/core/dates';
import type { NightOutcome } from '../../functions/core/pipeline/run-night';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { duckdbDialect } from '../../functions/core/sql/dialects';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { chunkDays } from '../../functions/core/state/state-plan';
import { demoConfigYaml } from '../../functions/demo/demo-config';
import { generateDemoLake } from '../../functions/demo/generate-lake';
import { loadConfig } from '../../functions/wiring/load-config';
import { tempDir } from '../support/lake';
import { MemoryResultStore } from '../support/memory-store';

const END = '2026-06-30';
const quiet = { publish: async () => undefined };
const failOnWarning = (line: string) => {
  throw new Error(`unexpected warning: ${line}`);
};

async function run(
  config: NsmConfig,
  days: string[],
  withState: boolean,
  resultsDir: string,
  warn: (line: string) => void = failOnWarning,
): Promise<NightOutcome[]> {
  const dialect = duckdbDialect(withState ? { resultsDir } : undefined);
  const engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), { dialect });
  try {
    const store = withState ? new LocalResultStore(resultsDir) : new MemoryResultStore();
    return await runNights(config, days, {
      engine,
      store,
      notifier: quiet,
      log: () => undefined,
      warn,
      now: () => new Date(),
    });
  } finally {
    await engine.close();
  }
}

/** What must agree: every metric value and every candidate's counts and statistics. */
function essence(o: NightOutcome) {
  return {
    dt: o.dt,
    day_events: o.report.data.day_events,
    metrics: o.report.metrics.map((m) => [m.metric_id, m.value, m.status]),
    candidates: o.report.candidates?.rows.map((c) => [
      c.candidate_id,
      c.n_hit,
      c.n_miss,
      c.retained_hit,
      c.retained_miss,
      c.p_welch,
      c.rank,
    ]),
    segments: o.report.segments,
  };
}

const materialized = (o: NightOutcome, prefix: string) => o.run.queries.filter((q) => q.name.startsWith(prefix)).map((q) => q.name);

describe('incremental state equals from-scratch', () => {
  let dir: string;
  let config: NsmConfig;
  const nights = dayRange(addDays(END, -9), END);
  let stateful: NightOutcome[];

  beforeAll(async () => {
    dir = tempDir('nsm-state-');
    await generateDemoLake({ dir: join(dir, 'lake'), endDay: END, days: 150, events: 40_000 });
    writeFileSync(join(dir, 'nsm.config.yaml'), demoConfigYaml({ lakeDir: './lake', resultsDir: './results' }));
    config = await loadConfig(join(dir, 'nsm.config.yaml'), {});
    stateful = await run(config, nights, true, config.results.location);
  });

  it('on a 10-night backfill, night by night', async () => {
    const scratch = await run(config, nights, false, '');
    expect(stateful.map(essence)).toEqual(scratch.map(essence));
    // Not vacuous: the candidate test has a cohort and the metrics are non-zero.
    expect(stateful.at(-1)!.report.candidates!.cohort_size).toBeGreaterThan(50);
    expect(stateful.at(-1)!.report.metrics.every((m) => m.value !== null)).toBe(true);
  });

  it('reads the lake history once: later nights rebuild only D-1 and D and fold the snapshot', () => {
    const first = stateful[0]!;
    const later = stateful.at(-1)!;
    expect(materialized(first, 'rollup ').length).toBeGreaterThan(30);
    const built = materialized(later, 'rollup ');
    // D-1 and D (the lookback), plus at most the one old day the candidate hit range slid onto
    // (a real deployment built it on its own night; this backfill started 10 nights ago).
    expect(built.slice(-2)).toEqual([`rollup ${addDays(END, -1)}`, `rollup ${END}`]);
    expect(built.length).toBeLessThanOrEqual(3);
    for (const extra of built.slice(0, -2)) expect(extra.slice('rollup '.length) < nights[0]!).toBe(true);
    expect(materialized(later, 'entries')).toEqual([`entries ${END}`]);
  });

  it("prunes old entry snapshots as it goes: the last week is kept, and each month's first", () => {
    const results = config.results.location;
    const manifests = readdirSync(join(results, 'state/manifests/entries')).sort();
    const folders = readdirSync(join(results, 'state/entries')).sort();
    // The first night (2026-06-21) built its snapshot in a chain of 31-day chunks from the lake's
    // first day; each chunk's snapshot is the first of its month, and kept as a base for re-runs.
    const lakeStart = addDays(END, -149);
    const chain = chunkDays(lakeStart, nights[0]!, 31).map((c) => c.to);
    expect(chain.slice(0, -1)).toEqual(['2026-02-17', '2026-03-20', '2026-04-20', '2026-05-21']);
    // 2026-06-21 is June's first snapshot; 2026-06-24 … 2026-06-30 are the last 7 nights.
    const kept = [...chain, ...dayRange('2026-06-24', END)];
    expect(manifests).toEqual(kept.map((d) => `dt=${d}.json`));
    // One build folder per kept night, the one its manifest names.
    expect(folders.map((f) => f.slice(0, 10))).toEqual(kept);
    for (const night of kept) {
      const { build } = JSON.parse(readFileSync(join(results, `state/manifests/entries/dt=${night}.json`), 'utf8')) as { build: string };
      expect(folders).toContain(`${night}.${build}`);
    }
  });

  it('after late events land in an earlier partition', async () => {
    // 40 extra message_posted events for yesterday, in a new file of its partition.
    const late = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        user_id: `late-${i % 7}`,
        account_id: 'late-team',
        event_name: 'message_posted',
        event_time: `${addDays(END, -1)}T23:59:00Z`,
      }),
    ).join('\n');
    writeFileSync(join(config.lake.location, `dt=${addDays(END, -1)}`, 'part-late.jsonl.gz'), gzipSync(`${late}\n`));
    const [withState] = await run(config, [END], true, config.results.location);
    const [scratch] = await run(config, [END], false, '');
    expect(essence(withState!)).toEqual(essence(scratch!));
    const weekly = withState!.report.metrics.find((m) => m.metric_id === 'posting_teams_weekly')!;
    const before = stateful.at(-1)!.report.metrics.find((m) => m.metric_id === 'posting_teams_weekly')!;
    expect(weekly.value).toBe((before.value as number) + 1); // the late team has 7 posting members
  });

  it('after a config change adds a summed property (rollups of another shape are rebuilt)', async () => {
    const yaml = demoConfigYaml({ lakeDir: './lake', resultsDir: './results' }).replace(
      'north_star:',
      '  - { id: call_ms_weekly, type: sum, events: [call_ended], property: duration_ms, window_days: 7 }\n  - { id: posts_weekly, type: count, events: [message_posted], window_days: 7 }\nnorth_star:',
    );
    writeFileSync(join(dir, 'changed.config.yaml'), yaml);
    const changed = await loadConfig(join(dir, 'changed.config.yaml'), {});
    // The nights before the change lack the two new metrics: said once each, nothing else.
    const added = (line: string) => {
      if (!line.includes('has no value for call_ms_weekly, posts_weekly (added to the config since?)')) failOnWarning(line);
    };
    const [withState] = await run(changed, [END], true, changed.results.location, added);
    const [scratch] = await run(changed, [END], false, '');
    expect(essence(withState!)).toEqual(essence(scratch!));
    expect(withState!.report.metrics.find((m) => m.metric_id === 'posts_weekly')!.value).toBeGreaterThan(0);
  });

  it('a sign-up that lands a day late reaches the snapshot of every later night', async () => {
    // After the backfill above, a new user's signed_up event arrives late in yesterday's partition.
    const day = addDays(END, -1);
    writeFileSync(
      join(config.lake.location, `dt=${day}`, 'part-late-signup.jsonl.gz'),
      gzipSync(
        `${JSON.stringify({ user_id: 'late-signup', account_id: null, event_name: 'signed_up', event_time: `${day}T23:00:00Z` })}\n`,
      ),
    );
    const later = dayRange(END, addDays(END, 3));
    await run(config, later, true, config.results.location);
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    for (const night of later) {
      const manifest = join(config.results.location, `state/manifests/entries/dt=${night}.json`);
      const { build } = JSON.parse(readFileSync(manifest, 'utf8')) as { build: string };
      const file = join(config.results.location, `state/entries/${night}.${build}/data.parquet`);
      const r = await c.runAndReadAll(`SELECT nsm_entry_day FROM read_parquet('${file}') WHERE nsm_user = 'late-signup'`);
      expect(
        r.getRowObjects().map((row) => row.nsm_entry_day),
        night,
      ).toEqual([day]);
    }
    c.closeSync();
    instance.closeSync();
  });

  it('after a change of lake column, rebuilds the rollups built from the old one', async () => {
    const results = join(dir, 'results-column-change');
    const wrong = demoConfigYaml({ lakeDir: './lake', resultsDir: './results-column-change' }).replace(
      'account: account_id',
      // A column the lake has (a missing one is a config error now): the rollups differ all the same.
      'account: user_id',
    );
    writeFileSync(join(dir, 'wrong.config.yaml'), wrong);
    await run(await loadConfig(join(dir, 'wrong.config.yaml'), {}), dayRange(addDays(END, -7), addDays(END, -1)), true, results);
    writeFileSync(join(dir, 'right.config.yaml'), demoConfigYaml({ lakeDir: './lake', resultsDir: './results-column-change' }));
    const right = await loadConfig(join(dir, 'right.config.yaml'), {});
    const [withState] = await run(right, [END], true, results);
    const [scratch] = await run(right, [END], false, '');
    expect(essence(withState!)).toEqual(essence(scratch!));
  });

  it('after a partition lands two days late, counts it once it is there', async () => {
    const results = join(dir, 'results-late-partition');
    writeFileSync(join(dir, 'late.config.yaml'), demoConfigYaml({ lakeDir: './lake', resultsDir: './results-late-partition' }));
    const late = await loadConfig(join(dir, 'late.config.yaml'), {});
    const day = addDays(END, -3);
    const folder = join(late.lake.location, `dt=${day}`);
    renameSync(folder, `${folder}.hidden`);
    try {
      await run(late, [day, addDays(END, -2)], true, results);
    } finally {
      renameSync(`${folder}.hidden`, folder);
    }
    const [withState] = await run(late, [END], true, results);
    const [scratch] = await run(late, [END], false, '');
    expect(essence(withState!)).toEqual(essence(scratch!));
  });
  it('with segments on: every segments.jsonl line equals the from-scratch one, night by night', async () => {
    // Two dimensions of the demo lake; 6 named values leave the tail of each in (other), and the
    // users without a country (and the late events above) make (none).
    const yaml = `${demoConfigYaml({ lakeDir: './lake', resultsDir: './results-segments' })}segments: { dimensions: [country, app_version], max_values: 6 }\n`;
    writeFileSync(join(dir, 'segments.config.yaml'), yaml);
    const segmented = await loadConfig(join(dir, 'segments.config.yaml'), {});
    const days = dayRange(addDays(END, -8), END);
    const withState = await run(segmented, days, true, segmented.results.location);
    const scratch = await run(segmented, days, false, '');
    expect(withState.map(essence)).toEqual(scratch.map(essence));
    // Not vacuous: the last night has named values, (none) and (other) on both dimensions, and
    // segments with a baseline (from the night a week before).
    const last = withState.at(-1)!.report.segments!;
    for (const dimension of ['country', 'app_version']) {
      const labels = new Set(last.filter((r) => r.dimension === dimension).map((r) => r.segment));
      expect(labels.has('(other)'), dimension).toBe(true);
      expect(labels.size, dimension).toBeGreaterThanOrEqual(7);
    }
    expect(last.some((r) => r.dimension === 'country' && r.segment === '(none)')).toBe(true);
    expect(last.some((r) => r.baseline !== null && r.rank !== null)).toBe(true);
  });
});
