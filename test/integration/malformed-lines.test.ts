/**
 * A lake line that is not valid JSON, or not an event (no event name), on DuckDB: the night does
 * not fail, no metric and no candidate count it, and run.json counts it in `malformed_rows`.
 * Expected values come from the same lake without those lines, run the same way; the count from
 * the lines written here. The Athena side is Athena's OpenX SerDe with `ignore.malformed.json`
 * (set on the lake table: test/unit/infra/nsm-pipeline.test.ts), which reads such a line as a row
 * of NULLs, as DuckDB's `ignore_errors` does; the engine suites run the same lines on Trino.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import type { NsmConfig } from '../../functions/core/config/types';
import { addDays, dayRange } from '../../functions/core/dates';
import type { NightOutcome } from '../../functions/core/pipeline/run-night';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { duckdbDialect } from '../../functions/core/sql/dialects';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { lakeConfig, testConfig } from '../support/config';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { MemoryResultStore } from '../support/memory-store';

const D = '2024-03-20';
const DAYS = dayRange(addDays(D, -20), D);

/** Sign-ups on every day, activity after, two actions: enough for metrics and a candidate test. */
function events(): LakeEvent[] {
  return DAYS.flatMap((dt, day) =>
    Array.from({ length: 12 }, (_, i) => {
      const user = `u${day}-${i}`;
      return [
        { dt, user_id: user, account_id: `a${i % 4}`, event_name: 'signed_up' },
        ...(i % 3 === 0 ? [{ dt, user_id: user, account_id: `a${i % 4}`, event_name: 'invited' }] : []),
        // Users of earlier days come back: retained when their day + 3 has an event.
        ...(day >= 3 && i % 2 === 0 ? [{ dt, user_id: `u${day - 3}-${i}`, account_id: `a${i % 4}`, event_name: 'post' }] : []),
      ];
    }).flat(),
  );
}

/** What a broken loader writes into D's partition and into a day of the outcome window. */
const BROKEN_D = [
  '{"user_id":"u-x","event_name":"post"', // cut short
  'not json at all',
  '[1, 2, 3]', // JSON, not an object
  '{"user_id":"u0-1"}', // an object without an event name
];
/**
 * Lines without an event on D-2, the retention day of users who signed up on D-5 (in the cohort):
 * u15-1 and u15-3 are not retained, and must not become so.
 */
const BROKEN_OUTCOME = ['{"user_id":"u15-1","account_id":"a1"}', '{"user_id": "u15-3" "event_name": "post"}'];

function config(lake: string): NsmConfig {
  return testConfig({
    lake: lakeConfig(lake),
    results: '/unused',
    metrics: [
      { id: 'events', name: 'events', type: 'count', events: undefined, window_days: 1 },
      { id: 'weekly_events', name: 'weekly events', type: 'count', events: undefined, window_days: 7 },
      { id: 'weekly_users', name: 'weekly users', type: 'distinct_users', events: undefined, window_days: 7 },
      { id: 'teams', name: 'teams', type: 'active_accounts', events: undefined, min_users: 2, window_days: 7 },
      { id: 'posts', name: 'posts', type: 'count', events: ['post'], window_days: 7 },
    ],
    north_star: 'weekly_users',
    candidates: {
      cohort: { entry_event: 'signed_up', cohort_days: 5 },
      retention: { day: 3, window_days: 1 },
      min_lift: 1.1,
      max_p: 0.5,
      actions: [{ id: 'invited', event: 'invited', within_days: 1 }],
    },
  });
}

async function night(lake: string, withState: boolean): Promise<NightOutcome> {
  const c = config(lake);
  const results = tempDir('nsm-malformed-results-');
  const engine = await DuckDbEngine.open(c.lake, lakeColumnsUsed(c), {
    dialect: duckdbDialect(withState ? { resultsDir: results } : undefined),
  });
  const warnings: string[] = [];
  try {
    const [outcome] = await runNights({ ...c, results: { location: results } }, [D], {
      engine,
      store: new MemoryResultStore(),
      notifier: { publish: async () => undefined },
      log: () => undefined,
      warn: (line) => warnings.push(line),
      now: () => new Date(),
    });
    return { ...outcome!, warnings } as NightOutcome & { warnings: string[] };
  } finally {
    await engine.close();
  }
}

const essence = (o: NightOutcome) => ({
  day_events: o.report.data.day_events,
  metrics: o.report.metrics.map((m) => [m.metric_id, m.value]),
  candidates: o.report.candidates?.rows.map((r) => [r.candidate_id, r.n_hit, r.n_miss, r.retained_hit, r.retained_miss]),
});

describe('lines that are not events', () => {
  it('count for no metric and no candidate, on the lake plan and over the state alike, and are counted as malformed_rows', async () => {
    const clean = writeJsonLake(tempDir('nsm-clean-'), events());
    const broken = writeJsonLake(tempDir('nsm-broken-'), events());
    appendFileSync(join(broken, `dt=${D}`, 'part-0.jsonl'), `${BROKEN_D.join('\n')}\n\n`);
    // A file of its own, whatever its name: Athena reads every file of the partition.
    const outcomeDay = addDays(D, -2);
    expect(DAYS[15]).toBe(addDays(D, -5));
    writeFileSync(join(broken, `dt=${outcomeDay}`, 'loader-retry-7'), `${BROKEN_OUTCOME.join('\n')}\n`);

    const expected = await night(clean, false);
    // Not vacuous: the metrics and the candidate test have something to count.
    expect(expected.report.metrics.every((m) => (m.value ?? 0) > 0)).toBe(true);
    expect(expected.report.candidates!.cohort_size).toBeGreaterThan(20);
    expect(expected.run.malformed_rows).toBe(0);

    for (const withState of [false, true]) {
      const got = (await night(broken, withState)) as NightOutcome & { warnings: string[] };
      expect(essence(got), `state: ${withState}`).toEqual(essence(expected));
      // D's four lines (the blank line is no row: DuckDB skips it; see docs/configuration.md for Athena).
      expect(got.run.malformed_rows).toBe(4);
      expect(got.warnings).toEqual([
        `${D}  4 rows of the day's partition are not events (malformed JSON, or no event name): skipped by every metric, counted in run.json malformed_rows`,
      ]);
      expect(got.run.warnings).toEqual([
        {
          code: 'malformed_rows',
          message:
            "4 rows of the day's partition are not events (malformed JSON, or no event name): skipped by every metric, counted in run.json malformed_rows",
          dt: D,
          key: null,
        },
      ]);
    }
  });
});
