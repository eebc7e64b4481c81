/**
 * Late data re-judged end to end: a generated lake whose Monday partition
 * is 20% loaded when that night first runs, and which hides a real drop. The night is judged
 * `data_incomplete` (one data_incomplete alert, no drop). The data then lands; the next night's run
 * re-checks the Monday, recomputes it on the incremental state (its rollup rebuilt from the full
 * partition), and sends the drop once, marked late. A re-run of that next night sends nothing.
 *
 * Real pipeline: DuckDB engine with its incremental state in the results folder, the local
 * notifier's outbox, any warning a failure. A fresh engine per run, as `nsm run` opens one (it
 * lists the lake's files).
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays } from '../../functions/core/dates';
import { fromJsonLines } from '../../functions/core/results/json-lines';
import { alertsKey, metricsKey, runKey } from '../../functions/core/results/layout';
import type { AlertRow, MetricRow, RunRecord } from '../../functions/core/results/rows';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { postsConfig, runLocalNights } from '../support/local-nights';

/** Four normal Mondays, then the Monday D that drops, then Tuesday D+1. */
const MONDAYS = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'];
const D = '2024-01-29';
const NEXT = addDays(D, 1);
const POSTS = [100, 102, 98, 101];
const D_POSTS = 60;
const VIEWS = 200;

function dayEvents(dt: string, posts: number, views: number): LakeEvent[] {
  return [
    ...Array.from({ length: posts }, (_, i) => ({ dt, user_id: `u${i % 40}`, account_id: null, event_name: 'message_posted' })),
    ...Array.from({ length: views }, (_, i) => ({ dt, user_id: `v${i}`, account_id: null, event_name: 'page_viewed' })),
  ];
}

const dir = tempDir('nsm-late-data-');
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const lakeDir = join(dir, 'lake');
const results = join(dir, 'results');
const outbox = join(dir, 'outbox', 'alerts.jsonl');
const logs: string[] = [];

const config = postsConfig(lakeDir, results);

/** One `nsm run` of `nights`, with the incremental state as `nsm run` keeps it; a warning fails it. */
const run = (nights: string[]) => runLocalNights(config, nights, outbox, { withState: true, log: (line) => void logs.push(line) });

const read = (key: string) => readFile(join(results, ...key.split('/')), 'utf8');
const outboxAlerts = async () => fromJsonLines<AlertRow>(await readFile(outbox, 'utf8').catch(() => ''));
const postsRow = async (dt: string) => fromJsonLines<MetricRow>(await read(metricsKey(dt))).find((r) => r.metric_id === 'posts')!;

describe('late data re-judged on a generated lake, through the real pipeline', () => {
  it('sends the drop a late partition hid once, marked late, on the next night; a re-run sends nothing', async () => {
    // D at 20%: 12 posts and 40 views (52 events) against Mondays of ~300 events.
    writeJsonLake(lakeDir, [...MONDAYS.flatMap((dt, w) => dayEvents(dt, POSTS[w]!, VIEWS)), ...dayEvents(D, D_POSTS / 5, VIEWS / 5)]);
    await run([...MONDAYS, D]);
    expect(await postsRow(D)).toMatchObject({ value: 12, status: 'data_incomplete' });
    // The nights read the incremental state: D's rollup was built from the partial partition.
    expect((await readdir(join(results, 'state', 'daily'))).some((f) => f.startsWith(D))).toBe(true);
    expect((await outboxAlerts()).map((a) => [a.dt, a.kind, a.late])).toEqual([[D, 'data_incomplete', false]]);

    // The rest of D lands, and D+1's own partition.
    await writeFile(
      join(lakeDir, `dt=${D}`, 'part-0.jsonl'),
      `${dayEvents(D, D_POSTS, VIEWS)
        .map(({ dt: _, ...e }) => JSON.stringify(e))
        .join('\n')}\n`,
    );
    writeJsonLake(lakeDir, dayEvents(NEXT, 100, VIEWS));
    await run([NEXT]);

    // D recomputed on the full partition (its rollup rebuilt: 60, not the 12 of its first run),
    // against np.median([100, 102, 98, 101]) = 100.5: -40.3%.
    expect(await postsRow(D)).toMatchObject({ value: D_POSTS, status: 'drop', baseline: 100.5 });
    const sent = await outboxAlerts();
    expect(sent.map((a) => [a.dt, a.kind, a.metric_id, a.late])).toEqual([
      [D, 'data_incomplete', null, false],
      [D, 'drop', 'posts', true],
    ]);
    const drop = sent[1]!;
    expect(drop.subject).toBe(`[nsm] Drop ${D} (late data): Messages posted -40.3% (60 vs 101)`);
    expect(drop.message).toContain(`Found late: ${D} was judged data_incomplete when it first ran`);
    expect(drop.sms).toBe(`[nsm] ${D} late drop: Messages posted 60 vs 101 (-40.3%, z -27.3).`);
    // D's alerts.jsonl records both; D's run.json says it was re-judged; D+1's names what it re-judged.
    expect(fromJsonLines<AlertRow>(await read(alertsKey(D))).map((a) => [a.kind, a.late])).toEqual([
      ['data_incomplete', false],
      ['drop', true],
    ]);
    expect(JSON.parse(await read(runKey(D))) as RunRecord).toMatchObject({ late: true, rejudged: [], day_events: D_POSTS + VIEWS });
    const nextRun = JSON.parse(await read(runKey(NEXT))) as RunRecord;
    expect(nextRun).toMatchObject({ late: false, rejudged: [D] });
    expect(nextRun.queries.map((q) => q.name)).toContain(`recheck ${D}`);
    expect(logs).toContain(
      `${D}  data landed late: ${D_POSTS + VIEWS} events now (${D_POSTS / 5 + VIEWS / 5} when judged); re-judging the night`,
    );

    // A re-run of D+1: D is complete now, nothing is re-checked, nothing is sent.
    await run([NEXT]);
    expect(await outboxAlerts()).toEqual(sent);
    expect((JSON.parse(await read(runKey(NEXT))) as RunRecord).rejudged).toEqual([]);
  });
});
