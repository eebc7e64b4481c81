/**
 * Drop detection end to end (docs/design.md §2): a generated lake with weekday seasonality,
 * a slow trend and random noise is backfilled night by night through the real pipeline (DuckDB
 * engine, a results folder, the local notifier). On a normal lake nothing may fire; a planted
 * collapse of one driver on the last night must fire for that driver and, in the North Star's
 * alert, name it first; a re-run sends nothing new; an incomplete last day gives exactly one
 * `data_incomplete` alert and no drop.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { LocalNotifier } from '../../functions/adapters/local-notifier';
import { LocalResultStore } from '../../functions/adapters/local-result-store';
import type { MetricConfig, NsmConfig } from '../../functions/core/config/types';
import { addDays, dayRange, weekday } from '../../functions/core/dates';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { fromJsonLines } from '../../functions/core/results/json-lines';
import { alertsKey, metricsKey } from '../../functions/core/results/layout';
import type { AlertRow, MetricRow } from '../../functions/core/results/rows';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { lakeConfig, testConfig } from '../support/config';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { seededRandom } from '../support/random';

/** 42 nights (six weeks) are judged; the lake starts a week earlier so 7-day windows are full. */
const FIRST_NIGHT = '2024-02-05';
const LAST_NIGHT = '2024-03-17';
const NIGHTS = dayRange(FIRST_NIGHT, LAST_NIGHT);
const LAKE_DAYS = dayRange(addDays(FIRST_NIGHT, -7), LAST_NIGHT);

/** Weekly seasonality, Sunday first: weekends are about half a weekday. */
const SEASON = [0.5, 1, 1.06, 1.04, 1, 0.9, 0.45];

const ev = (events: string[], window_days = 1) => ({ events, window_days });
const METRICS: MetricConfig[] = [
  { id: 'engaged_users', name: 'Daily engaged users (posted or shared)', type: 'distinct_users', ...ev(['message_posted', 'file_shared']) },
  { id: 'posters', name: 'Users who posted', type: 'distinct_users', ...ev(['message_posted']) },
  { id: 'sharers', name: 'Users who shared a file', type: 'distinct_users', ...ev(['file_shared']) },
  { id: 'messages', name: 'Messages posted', type: 'count', ...ev(['message_posted']) },
  { id: 'messages_per_poster', name: 'Messages per poster', type: 'ratio', numerator: 'messages', denominator: 'posters' },
  { id: 'active_teams', name: 'Weekly active teams', type: 'active_accounts', min_users: 2, ...ev(['message_posted', 'file_shared'], 7) },
  { id: 'signups', name: 'Signups', type: 'count', ...ev(['signed_up']) },
];

interface LakeOptions {
  /** Users who share on the last night, as a share of the usual (the planted drop). */
  lastNightSharers?: number;
  /** Events of the last night kept, as a share (an incomplete partition). */
  lastNightKept?: number;
}

/**
 * One day of events. Posters and sharers are disjoint populations, so the engaged users are their
 * sum and a collapse of sharing moves the North Star by about sharers / engaged. Counts carry ±4%
 * uniform noise and a +0.2%/day trend on top of the weekday pattern: far from the 10% threshold,
 * so no honest night can look like a drop.
 */
function dayEvents(dt: string, rnd: () => number, options: LakeOptions): LakeEvent[] {
  const scale = SEASON[weekday(dt)]! * (1 + 0.002 * LAKE_DAYS.indexOf(dt));
  const noisy = (n: number) => Math.round(n * scale * (1 + (rnd() - 0.5) * 0.08));
  const pick = (prefix: string, pool: number, n: number) => {
    const ids = new Set<string>();
    while (ids.size < n) ids.add(`${prefix}${Math.floor(rnd() * pool)}`);
    return [...ids];
  };
  const account = (user: string) => `team${Number(user.slice(1)) % 150}`;
  const last = dt === LAST_NIGHT;
  const events: LakeEvent[] = [];
  for (const user of pick('p', 3000, noisy(300))) {
    const n = 1 + Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) events.push({ dt, user_id: user, account_id: account(user), event_name: 'message_posted' });
  }
  const sharers = noisy(200) * (last ? (options.lastNightSharers ?? 1) : 1);
  for (const user of pick('s', 2000, Math.round(sharers))) {
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) events.push({ dt, user_id: user, account_id: account(user), event_name: 'file_shared' });
  }
  for (const user of pick('v', 5000, noisy(400))) events.push({ dt, user_id: user, account_id: null, event_name: 'page_viewed' });
  for (const user of pick('n', 100_000, noisy(300))) events.push({ dt, user_id: user, account_id: null, event_name: 'signed_up' });
  if (last && options.lastNightKept !== undefined) return events.filter(() => rnd() < options.lastNightKept!);
  return events;
}

function generateLake(dir: string, seed: number, options: LakeOptions = {}): string {
  const rnd = seededRandom(seed);
  return writeJsonLake(
    dir,
    LAKE_DAYS.flatMap((dt) => dayEvents(dt, rnd, options)),
  );
}

function config(lake: string, results: string): NsmConfig {
  // watch defaults to the north star and every tree metric
  return testConfig({
    lake: lakeConfig(lake, { columns: { user: 'user_id', account: 'account_id', event: 'event_name', time: undefined } }),
    results,
    metrics: METRICS,
    north_star: 'engaged_users',
    tree: { engaged_users: ['posters', 'sharers', 'messages_per_poster'], posters: ['active_teams'] },
  });
}

interface Setup {
  config: NsmConfig;
  results: string;
  outbox: string;
  printed: string[];
  /** Runs `days` through the real pipeline (a `--from/--to` range when several). */
  run(days: readonly string[], alertAll?: boolean): Promise<void>;
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function setup(options: LakeOptions, seed: number): Promise<Setup> {
  const dir = tempDir('nsm-drop-alerts-');
  dirs.push(dir);
  const cfg = config(generateLake(join(dir, 'lake'), seed, options), join(dir, 'results'));
  const outbox = join(dir, 'outbox', 'alerts.jsonl');
  const printed: string[] = [];
  return {
    config: cfg,
    results: cfg.results.location,
    outbox,
    printed,
    async run(days, alertAll = false) {
      const engine = await DuckDbEngine.open(cfg.lake, lakeColumnsUsed(cfg), { threads: 1 });
      try {
        const deps = {
          engine,
          store: new LocalResultStore(cfg.results.location),
          notifier: new LocalNotifier(outbox, (t) => printed.push(t)),
          log: () => undefined,
          warn: (line: string) => {
            throw new Error(`unexpected warning: ${line}`);
          },
          now: () => new Date(),
        };
        await runNights(cfg, days, deps, { alertAll });
      } finally {
        await engine.close();
      }
    },
  };
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  try {
    return fromJsonLines<T>(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

const metricsOf = (s: Setup, dt: string) => readJsonLines<MetricRow>(join(s.results, ...metricsKey(dt).split('/')));
const alertsOf = (s: Setup, dt: string) => readJsonLines<AlertRow>(join(s.results, ...alertsKey(dt).split('/')));

/**
 * Each test runs whole ranges of nights through the real pipeline, first nights included (their
 * state built in bounded chunks): 11-26 s each on the shared 2-core machine at load 33,
 * over the 60 s default at times under heavier load.
 */
const RANGE_TIMEOUT_MS = 180_000;

describe('drop alerts on a generated lake, through the real pipeline', () => {
  it(
    'fires for the planted driver on the last night only, names it first, and never twice',
    async () => {
      const s = await setup({ lastNightSharers: 0.35 }, 11);

      // Backfill every night but the last with alerts on for every night: nothing may fire.
      await s.run(NIGHTS.slice(0, -1), true);
      expect(await readJsonLines(s.outbox)).toEqual([]);
      for (const dt of NIGHTS.slice(0, -1)) {
        const rows = await metricsOf(s, dt);
        expect(rows).toHaveLength(METRICS.length);
        // The first four weeks lack history; after that, every metric is judged ok.
        const want = NIGHTS.indexOf(dt) < 28 ? 'insufficient_history' : 'ok';
        expect(rows.filter((r) => r.status !== want).map((r) => `${dt} ${r.metric_id} ${r.status} ${r.change_pct}`)).toEqual([]);
        expect(await alertsOf(s, dt)).toEqual([]);
      }
      // Weekday seasonality is real: a Saturday is far below the Friday before it, and still ok.
      const sat = (await metricsOf(s, '2024-03-16')).find((r) => r.metric_id === 'engaged_users')!;
      const fri = (await metricsOf(s, '2024-03-15')).find((r) => r.metric_id === 'engaged_users')!;
      expect(sat.value!).toBeLessThan(fri.value! * 0.6);
      expect(sat.status).toBe('ok');

      // The last night, as the nightly schedule runs it.
      await s.run([LAST_NIGHT]);
      const sent = await readJsonLines<AlertRow>(s.outbox);
      expect(sent.map((a) => [a.dt, a.kind, a.metric_id])).toEqual([
        [LAST_NIGHT, 'drop', 'engaged_users'],
        [LAST_NIGHT, 'drop', 'sharers'],
      ]);
      const [nsm, sharers] = sent as [AlertRow, AlertRow];
      expect(nsm.drivers[0]).toMatchObject({ metric_id: 'sharers', depth: 1, status: 'drop' });
      expect(nsm.drivers[0]!.change_pct!).toBeLessThan(-50);
      expect(nsm.drivers.map((d) => d.metric_id).sort()).toEqual(['active_teams', 'messages_per_poster', 'posters', 'sharers']);
      expect(nsm.drivers.find((d) => d.metric_id === 'messages_per_poster')!.parts).toMatchObject({
        numerator: { metric_id: 'messages' },
        denominator: { metric_id: 'posters' },
      });
      expect(nsm.change_pct!).toBeLessThan(-10);
      expect(nsm.robust_z!).toBeLessThan(-3.5);
      expect(nsm.subject).toMatch(/^\[nsm\] Drop 2024-03-17: Daily engaged users \(posted or shared\) -\d+\.\d% \(/);
      expect(nsm.message).toContain('  1. Users who shared a file (sharers): ');
      expect(nsm.message).toContain(`Report: ${join(s.results, 'reports', 'dt=2024-03-17', 'report.html')}`);
      expect(nsm.sms.length).toBeLessThanOrEqual(140);
      expect(sharers.drivers).toEqual([]);
      expect(s.printed.join('')).toContain('ALERT  [nsm] Drop 2024-03-17: Users who shared a file');
      // alerts.jsonl holds what was sent (the outbox adds which delivery sent it); metrics.jsonl records the statuses.
      expect(sent.map((a) => Object.keys(a).filter((k) => k === 'alert_id' || k === 'attempt'))).toEqual([
        ['alert_id', 'attempt'],
        ['alert_id', 'attempt'],
      ]);
      const asSent = sent.map(({ alert_id: _id, attempt: _attempt, ...row }: AlertRow & { alert_id?: string; attempt?: string }) => row);
      expect(await alertsOf(s, LAST_NIGHT)).toEqual(asSent);
      const last = await metricsOf(s, LAST_NIGHT);
      expect(last.filter((r) => r.status === 'drop').map((r) => r.metric_id)).toEqual(['engaged_users', 'sharers']);

      // Re-running the night, and backfilling the whole range with alerts for every night, sends nothing new.
      await s.run([LAST_NIGHT]);
      await s.run(NIGHTS, true);
      expect(await readJsonLines(s.outbox)).toEqual(sent);
      expect(await alertsOf(s, LAST_NIGHT)).toEqual(asSent);
      // state/ is a cache: deleting it never makes a re-run send again (the markers are in alerts-sent/).
      await rm(join(s.results, 'state'), { recursive: true, force: true });
      await s.run([LAST_NIGHT]);
      expect(await readJsonLines(s.outbox)).toEqual(sent);
      expect((await metricsOf(s, LAST_NIGHT)).filter((r) => r.status === 'drop').map((r) => r.metric_id)).toEqual([
        'engaged_users',
        'sharers',
      ]);
    },
    RANGE_TIMEOUT_MS,
  );

  it(
    'a range run sends alerts for its newest night only, and records every night',
    async () => {
      const s = await setup({ lastNightSharers: 0.35 }, 11);
      await s.run(NIGHTS.slice(0, -1));
      // A range whose newest night is the day after the lake ends (no partition): the planted drop
      // of LAST_NIGHT is judged and recorded but not sent; the newest night's data_incomplete is.
      const after = addDays(LAST_NIGHT, 1);
      await s.run([LAST_NIGHT, after]);
      expect((await readJsonLines<AlertRow>(s.outbox)).map((a) => [a.dt, a.kind, a.metric_id])).toEqual([[after, 'data_incomplete', null]]);
      expect((await metricsOf(s, LAST_NIGHT)).filter((r) => r.status === 'drop').map((r) => r.metric_id)).toEqual([
        'engaged_users',
        'sharers',
      ]);
      expect(await alertsOf(s, LAST_NIGHT)).toEqual([]);
      expect((await alertsOf(s, after)).map((a) => a.kind)).toEqual(['data_incomplete']);
      expect((await metricsOf(s, after)).every((r) => r.status === 'data_incomplete')).toBe(true);
      // --alert-all over the same range sends the older night's drop too, and nothing twice.
      await s.run([LAST_NIGHT, after], true);
      expect((await readJsonLines<AlertRow>(s.outbox)).map((a) => [a.dt, a.kind, a.metric_id])).toEqual([
        [after, 'data_incomplete', null],
        [LAST_NIGHT, 'drop', 'engaged_users'],
        [LAST_NIGHT, 'drop', 'sharers'],
      ]);
    },
    RANGE_TIMEOUT_MS,
  );

  it(
    'an incomplete last day gives exactly one data_incomplete alert and no drop',
    async () => {
      const s = await setup({ lastNightKept: 0.2 }, 12);
      await s.run(NIGHTS); // a plain --from/--to backfill: alerts for the newest night only
      const sent = await readJsonLines<AlertRow>(s.outbox);
      expect(sent.map((a) => [a.dt, a.kind, a.metric_id])).toEqual([[LAST_NIGHT, 'data_incomplete', null]]);
      const [alert] = sent as [AlertRow];
      expect(alert.value! / alert.baseline!).toBeGreaterThan(0.15);
      expect(alert.value! / alert.baseline!).toBeLessThan(0.25);
      expect(alert.subject).toMatch(/^\[nsm\] Data incomplete 2024-03-17: [\d.]+k? events, \d+\.\d% of usual [\d.]+k?$/);
      expect((await metricsOf(s, LAST_NIGHT)).every((r) => r.status === 'data_incomplete')).toBe(true);
      for (const dt of NIGHTS.slice(28, -1)) {
        expect(
          (await metricsOf(s, dt)).every((r) => r.status === 'ok'),
          dt,
        ).toBe(true);
      }
      // And with alerts for every night, still nothing else.
      await s.run(NIGHTS, true);
      expect(await readJsonLines(s.outbox)).toEqual(sent);
    },
    RANGE_TIMEOUT_MS,
  );
});
