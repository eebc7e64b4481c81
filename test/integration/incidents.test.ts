/**
 * Incidents end to end: a generated lake where one metric is normal for
 * four weeks, drops on four consecutive nights and recovers on the fifth, run night by night
 * through the real pipeline (DuckDB engine, a results folder, the local notifier and its outbox).
 * Over the five nights exactly one drop alert and one recovered alert go out; with
 * `remind_every_days: 2` also one `still_down` reminder, on the incident's third night; re-running
 * any of the nights sends nothing more. A range that ends in the middle of the incident tracks it
 * (its newest night sends only a due reminder, never the drop again).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../../functions/core/config/types';
import { addDays, dayRange } from '../../functions/core/dates';
import { fromJsonLines } from '../../functions/core/results/json-lines';
import { alertsKey, metricsKey } from '../../functions/core/results/layout';
import type { AlertRow, MetricRow } from '../../functions/core/results/rows';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { postsConfig, runLocalNights } from '../support/local-nights';

const FIRST = '2024-04-01';
/** Four normal weeks (the baselines), then the five nights: drop ×4, recovery. */
const NORMAL = dayRange(FIRST, addDays(FIRST, 27));
const INCIDENT = dayRange(addDays(FIRST, 28), addDays(FIRST, 31));
const RECOVERY = addDays(FIRST, 32);
const FIVE = [...INCIDENT, RECOVERY];
/** Messages posted per night: ~100 with a little noise, 60 during the incident. */
const posts = (dt: string, i: number) => (INCIDENT.includes(dt) ? 60 : 100 + [0, 2, -2, 1, -1, 3, -3][i % 7]!);
/** Page views keep the day's volume normal, so the freshness guard never trips. */
const VIEWS = 200;

function lakeEvents(): LakeEvent[] {
  return [...NORMAL, ...FIVE].flatMap((dt, d) => [
    ...Array.from({ length: posts(dt, d) }, (_, i) => ({ dt, user_id: `u${i % 40}`, event_name: 'message_posted' })),
    ...Array.from({ length: VIEWS }, (_, i) => ({ dt, user_id: `v${i}`, event_name: 'page_viewed' })),
  ]);
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh results folder over the lake, and a way to run nights into it and read what was sent. */
async function project(alerts: Partial<AlertsConfig> = {}) {
  const dir = tempDir('nsm-incidents-');
  dirs.push(dir);
  const lake = writeJsonLake(join(dir, 'lake'), lakeEvents());
  const config = postsConfig(lake, join(dir, 'results'), alerts);
  const outbox = join(dir, 'outbox', 'alerts.jsonl');
  const run = (days: readonly string[]) => runLocalNights(config, days, outbox);
  const sent = async () => {
    const text = await readFile(outbox, 'utf8').catch(() => '');
    return fromJsonLines<AlertRow>(text).map((a) => [a.dt, a.kind, a.incident_id, a.night_of_incident]);
  };
  const read = async <T>(key: string): Promise<T[]> =>
    fromJsonLines<T>(await readFile(join(config.results.location, ...key.split('/')), 'utf8').catch(() => ''));
  return { run, sent, read, results: config.results.location };
}

const ID = `posts:${INCIDENT[0]}`;

describe('incidents on a generated lake, through the real pipeline', () => {
  it('four drop nights and a recovery send exactly one drop and one recovered alert; re-runs send nothing more', async () => {
    const p = await project();
    await p.run(NORMAL);
    expect(await p.sent()).toEqual([]);
    for (const dt of FIVE) await p.run([dt]);
    expect(await p.sent()).toEqual([
      [INCIDENT[0], 'drop', ID, 1],
      [RECOVERY, 'recovered', ID, 5],
    ]);
    // metrics.jsonl: every drop night names the incident; the recovery night does not.
    const rows = await Promise.all(FIVE.map(async (dt) => (await p.read<MetricRow>(metricsKey(dt))).find((r) => r.metric_id === 'posts')!));
    expect(rows.map((r) => [r.status, r.incident_id])).toEqual([
      ['drop', ID],
      ['drop', ID],
      ['drop', ID],
      ['drop', ID],
      ['ok', null],
    ]);
    // The recovered alert: 4 days, the worst change and the value now. Baselines are the same weekday of
    // the four weeks before, all at 100 + the weekday's noise; the incident's changes, per night:
    // [100*(60-np.median([100+n]*4))/np.median([100+n]*4) for n in (0, 2, -2, 1)] = [-40.0, -41.18, -38.78, -40.59]
    const [recovered] = await p.read<AlertRow>(alertsKey(RECOVERY));
    expect(recovered).toMatchObject({ kind: 'recovered', metric_id: 'posts', incident_id: ID, value: posts(RECOVERY, 32) });
    expect(recovered!.subject).toBe(`[nsm] Recovered ${RECOVERY}: Messages posted after 4 days (worst -41.2%)`);
    // Each night re-run, alone and as a range: nothing more is sent.
    for (const dt of FIVE) await p.run([dt]);
    await p.run(FIVE);
    expect(await p.sent()).toHaveLength(2);
  });

  it('with remind_every_days 2 also one still_down reminder, on the third night of the incident', async () => {
    const p = await project({ remind_every_days: 2, notify: ['drop', 'still_down', 'recovered', 'data_incomplete'] });
    await p.run(NORMAL);
    for (const dt of FIVE) await p.run([dt]);
    expect(await p.sent()).toEqual([
      [INCIDENT[0], 'drop', ID, 1],
      [INCIDENT[2], 'still_down', ID, 3],
      [RECOVERY, 'recovered', ID, 5],
    ]);
    const [reminder] = await p.read<AlertRow>(alertsKey(INCIDENT[2]!));
    expect(reminder!.sms).toMatch(new RegExp(`^\\[nsm\\] ${INCIDENT[2]} still down: Messages posted, day 3 of the drop, now -[0-9.]+%`));
    for (const dt of FIVE) await p.run([dt]);
    expect(await p.sent()).toHaveLength(3);
  });

  it('a range ending mid-incident tracks it: its newest night sends only the reminder due, never the drop', async () => {
    const p = await project({ remind_every_days: 2, notify: ['drop', 'still_down', 'recovered', 'data_incomplete'] });
    // The range ends on the incident's third night: the onset was in the past, a reminder is due.
    await p.run([...NORMAL, ...INCIDENT.slice(0, 3)]);
    expect(await p.sent()).toEqual([[INCIDENT[2], 'still_down', ID, 3]]);
    // Ending on the fourth night: nothing is due.
    await p.run([...NORMAL, ...INCIDENT]);
    expect(await p.sent()).toHaveLength(1);
    await p.run([RECOVERY]);
    expect((await p.sent())[1]).toEqual([RECOVERY, 'recovered', ID, 5]);
  });
});

describe('the digest on the same lake, through the real pipeline', () => {
  const kinds = async (p: Awaited<ReturnType<typeof project>>) =>
    (await p.sent()).filter(([, kind]) => kind === 'digest').map(([dt]) => dt);

  it('weekly: one per period, with the night before its weekday, never again on re-runs; a backfill sends none for its older nights', async () => {
    // INCIDENT[1] is a Tuesday: the digest for Wednesday mornings closes with it.
    const p = await project({ digest: { every: 'weekly', weekday: 'wed' } });
    await p.run([...NORMAL, INCIDENT[0]!]);
    expect(await kinds(p)).toEqual([]);
    for (const dt of [...INCIDENT.slice(1), RECOVERY]) await p.run([dt]);
    expect(await kinds(p)).toEqual([INCIDENT[1]]);
    const [digest] = (await p.read<AlertRow>(alertsKey(INCIDENT[1]!))).filter((a) => a.kind === 'digest');
    expect(digest).toMatchObject({ period: `weekly:${addDays(INCIDENT[1]!, -6)}..${INCIDENT[1]}`, metric_id: null });
    expect(digest!.message).toContain(`Messages posted (${ID}): 2 days, worst -41.2%, tonight -41.2%`);
    // Re-runs of every night, and the whole range again: still one.
    for (const dt of FIVE) await p.run([dt]);
    await p.run([...NORMAL, ...FIVE]);
    expect(await kinds(p)).toEqual([INCIDENT[1]]);
    // The report's alert cards are the alerts; the digest links to the report.
    const report = JSON.parse(await readFile(join(p.results, 'reports', `dt=${INCIDENT[1]}`, 'report.json'), 'utf8')) as {
      alerts: AlertRow[];
    };
    expect(report.alerts.map((a) => a.kind)).toEqual([]);
  });

  it("daily: one per night sent, none for a backfill's older nights", async () => {
    const p = await project({ digest: { every: 'daily', weekday: 'mon' } });
    await p.run(NORMAL);
    expect(await kinds(p)).toEqual([NORMAL.at(-1)]);
    await p.run([INCIDENT[0]!]);
    await p.run([INCIDENT[0]!]);
    expect(await kinds(p)).toEqual([NORMAL.at(-1), INCIDENT[0]]);
  });

  it('off: none', async () => {
    const p = await project({ digest: { every: 'off', weekday: 'mon' } });
    await p.run([...NORMAL, ...FIVE]);
    expect(await kinds(p)).toEqual([]);
  });
});
