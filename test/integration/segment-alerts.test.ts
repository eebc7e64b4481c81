/**
 * Issue 17 end to end: a generated lake with a `platform` and a `country` column in which Android's
 * messages fall on the last night. Five same-weekday nights run through the real pipeline (DuckDB
 * with its incremental state, a results folder, the local notifier); the last one must send exactly
 * one drop alert — for messages — whose first segment is platform=android, with the contribution
 * this test computes from the events it wrote, and whose drivers carry the product attribution.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { LocalNotifier } from '../../functions/adapters/local-notifier';
import { LocalResultStore } from '../../functions/adapters/local-result-store';
import type { MetricConfig, NsmConfig } from '../../functions/core/config/types';
import { addDays, dayRange } from '../../functions/core/dates';
import type { NightOutcome } from '../../functions/core/pipeline/run-night';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { fromJsonLines } from '../../functions/core/results/json-lines';
import { segmentsKey } from '../../functions/core/results/layout';
import type { SegmentRow } from '../../functions/core/results/rows';
import { duckdbDialect } from '../../functions/core/sql/dialects';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { lakeConfig, testConfig } from '../support/config';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { seededRandom } from '../support/random';

const LAST = '2024-05-28';
/** The same weekday over four weeks, then the last night: all a night's baseline reads. */
const NIGHTS = [4, 3, 2, 1, 0].map((k) => addDays(LAST, -7 * k));
const PLATFORMS = ['ios', 'android', 'web'] as const;
const COUNTRIES = ['de', 'fr', 'us'] as const;

const METRICS: MetricConfig[] = [
  { id: 'messages', name: 'Messages posted', type: 'count', events: ['message_posted'], window_days: 1 },
  { id: 'posters', name: 'Users who posted', type: 'distinct_users', events: ['message_posted'], window_days: 1 },
  { id: 'messages_per_poster', name: 'Messages per poster', type: 'ratio', numerator: 'messages', denominator: 'posters' },
  { id: 'signups', name: 'Sign-ups', type: 'count', events: ['signed_up'], window_days: 1 },
];

/**
 * 600 users with a fixed platform and country. Each day about half of them post 2-4 messages
 * (±noise); on the last night Android users post one message each instead: Android's messages
 * fall by about two thirds while the number of posters stays as usual.
 */
function generateLake(): LakeEvent[] {
  const rnd = seededRandom(1717);
  const users = Array.from({ length: 600 }, (_, i) => ({
    id: `u${i}`,
    platform: PLATFORMS[i % 3]!,
    country: COUNTRIES[Math.floor(i / 3) % 3]!,
  }));
  const events: LakeEvent[] = [];
  for (const dt of dayRange(addDays(NIGHTS[0]!, -1), LAST)) {
    for (const u of users) {
      if (rnd() < 0.5) {
        const n = dt === LAST && u.platform === 'android' ? 1 : 2 + Math.floor(rnd() * 3);
        for (let k = 0; k < n; k++) {
          events.push({ dt, user_id: u.id, account_id: null, event_name: 'message_posted', platform: u.platform, country: u.country });
        }
      }
      if (rnd() < 0.05)
        events.push({ dt, user_id: u.id, account_id: null, event_name: 'signed_up', platform: u.platform, country: u.country });
    }
  }
  return events;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe('a platform falls on the last night', () => {
  const events = generateLake();
  let dir: string;
  let config: NsmConfig;
  let outcomes: NightOutcome[];

  beforeAll(async () => {
    dir = tempDir('nsm-segment-alerts-');
    writeJsonLake(join(dir, 'lake'), events);
    config = testConfig({
      lake: lakeConfig(join(dir, 'lake'), { columns: { user: 'user_id', account: undefined, event: 'event_name', time: undefined } }),
      results: join(dir, 'results'),
      metrics: METRICS,
      north_star: 'messages',
      tree: { messages: ['posters', 'messages_per_poster'] },
      relations: { messages: 'product' },
      segments: { dimensions: ['platform', 'country'], max_values: 20 },
      alerts: { watch: ['messages', 'posters', 'signups'] },
    });
    // With the incremental state in the results folder, as `nsm run` keeps it: rollups with the dimension columns.
    const dialect = duckdbDialect({ resultsDir: config.results.location });
    const engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), { threads: 1, dialect });
    try {
      outcomes = await runNights(config, NIGHTS, {
        engine,
        store: new LocalResultStore(config.results.location),
        notifier: new LocalNotifier(join(dir, 'outbox', 'alerts.jsonl'), () => undefined),
        log: () => undefined,
        warn: (line) => {
          throw new Error(`unexpected warning: ${line}`);
        },
        now: () => new Date(),
      });
    } finally {
      await engine.close();
    }
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends one drop alert, for messages only', () => {
    const last = outcomes.at(-1)!;
    // The nights ran over the incremental state (rollups), not the lake.
    expect(last.run.queries.some((q) => q.name.startsWith('rollup '))).toBe(true);
    expect(last.alertsSent.map((a) => [a.kind, a.metric_id])).toEqual([['drop', 'messages']]);
    expect(outcomes.slice(0, -1).every((o) => o.report.alerts.length === 0)).toBe(true);
  });

  it("names platform=android first, with the contribution computed from the lake's events", () => {
    const alert = outcomes.at(-1)!.alertsSent[0]!;
    const first = alert.segments[0]!;
    expect([first.dimension, first.segment, first.rank]).toEqual(['platform', 'android', 1]);
    // Independently: Android's usual share of messages over the four baseline nights, times the
    // metric's baseline (the median of those nights' totals), against tonight.
    const messages = (dt: string, platform?: string) =>
      events.filter((e) => e.dt === dt && e.event_name === 'message_posted' && (platform === undefined || e.platform === platform)).length;
    const baselineNights = NIGHTS.slice(0, -1);
    const share = baselineNights.reduce((s, d) => s + messages(d, 'android'), 0) / baselineNights.reduce((s, d) => s + messages(d), 0);
    const B = median(baselineNights.map((d) => messages(d)));
    const Y = messages(LAST);
    const androidBaseline = share * B;
    const contribution = (100 * (messages(LAST, 'android') - androidBaseline)) / (Y - B);
    expect(first.value).toBe(messages(LAST, 'android'));
    expect(first.baseline).toBeCloseTo(androidBaseline, 9);
    expect(first.contribution_pct).toBeCloseTo(contribution, 9);
    expect(first.share_pct).toBeCloseTo((100 * messages(LAST, 'android')) / Y, 9);
    // Android accounts for (nearly) all of the fall; the platforms' contributions add up to 100.
    expect(first.contribution_pct).toBeGreaterThan(80);
    expect(alert.segments).toHaveLength(3);
    expect(alert.message).toContain(`Where: platform=android ${first.change_pct!.toFixed(1)}%`);
    expect(alert.sms).toContain('Where: platform=android');
  });

  it('writes segments.jsonl with every watched metric by platform and country', async () => {
    const text = await readFile(join(config.results.location, ...segmentsKey(LAST).split('/')), 'utf8');
    const rows = fromJsonLines<SegmentRow>(text);
    expect(new Set(rows.map((r) => r.metric_id))).toEqual(new Set(['messages', 'posters', 'signups']));
    const platforms = rows.filter((r) => r.metric_id === 'messages' && r.dimension === 'platform');
    expect(platforms.map((r) => r.segment)).toEqual(['android', 'ios', 'web']);
    expect(platforms.reduce((s, r) => s + r.contribution_pct!, 0)).toBeCloseTo(100, 9);
    expect(Object.keys(rows[0]!)).toEqual([
      'dt',
      'metric_id',
      'dimension',
      'segment',
      'value',
      'baseline',
      'change',
      'change_pct',
      'share_pct',
      'baseline_share_pct',
      'contribution_pct',
      'score',
      'rank',
    ]);
  });

  it('attributes the fall of messages to its product inputs: messages per poster, not posters', () => {
    const report = outcomes.at(-1)!.report;
    const row = (id: string) => report.metrics.find((m) => m.metric_id === id)!;
    const posters = row('posters');
    const perPoster = row('messages_per_poster');
    // Independently, from the lake's events: posters and messages per poster each night, their baselines the
    // medians of the four baseline nights (the same-weekday rule), and the product's log shares.
    const posted = (dt: string) => events.filter((e) => e.dt === dt && e.event_name === 'message_posted');
    const postersOn = (dt: string) => new Set(posted(dt).map((e) => e.user_id)).size;
    const perPosterOn = (dt: string) => posted(dt).length / postersOn(dt);
    const baselineNights = NIGHTS.slice(0, -1);
    expect(posters.value).toBe(postersOn(LAST));
    expect(posters.baseline).toBeCloseTo(median(baselineNights.map(postersOn)), 9);
    expect(perPoster.value).toBeCloseTo(perPosterOn(LAST), 12);
    expect(perPoster.baseline).toBeCloseTo(median(baselineNights.map(perPosterOn)), 12);
    const lp = Math.log(postersOn(LAST) / median(baselineNights.map(postersOn)));
    const lr = Math.log(perPosterOn(LAST) / median(baselineNights.map(perPosterOn)));
    expect(perPoster.contribution_pct).toBeCloseTo((100 * lr) / (lp + lr), 9);
    expect(posters.contribution_pct).toBeCloseTo((100 * lp) / (lp + lr), 9);
    expect(perPoster.contribution_pct).toBeGreaterThan(80);
    // messages = posters x messages per poster holds exactly.
    expect(row('messages').identity_residual_pct).toBeCloseTo(0, 9);
    const alert = outcomes.at(-1)!.alertsSent[0]!;
    expect(alert.drivers.find((d) => d.metric_id === 'messages_per_poster')!.contribution_pct).toBe(perPoster.contribution_pct);
    expect(alert.message).toContain('Made of its inputs (product): messages_per_poster');
  });
});
