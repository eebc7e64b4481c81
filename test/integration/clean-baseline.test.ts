/**
 * Clean baselines end to end: a generated lake where one metric falls
 * from ~100 to ~60 for five weeks and then comes back is run night by night through the real
 * pipeline (DuckDB engine, a results folder, the local notifier). The incident's drop nights never
 * enter a later baseline: every night of the incident is judged against the pre-incident level,
 * and so is the first night after it. Without clean baselines the incident would become the new
 * normal within the incident itself (its last nights judged `ok`) and the recovery would be
 * measured against ~60.
 *
 * Only Mondays are in the lake and run: a baseline reads the same weekday only, and fewer nights
 * keep the test quick.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays } from '../../functions/core/dates';
import { fromJsonLines } from '../../functions/core/results/json-lines';
import { metricsKey } from '../../functions/core/results/layout';
import type { MetricRow } from '../../functions/core/results/rows';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { postsConfig, runLocalNights } from '../support/local-nights';

/** 13 Mondays: weeks 1-7 before the incident, 8-12 the incident, 13 after it. */
const MONDAYS = Array.from({ length: 13 }, (_, i) => addDays('2024-01-01', 7 * i));
/** Messages posted each Monday. */
const POSTS = [100, 102, 98, 101, 99, 103, 100, 60, 61, 59, 62, 60, 101];
const INCIDENT = [7, 8, 9, 10, 11]; // indices into MONDAYS
/** Page views keep the day's volume normal, so the freshness guard sees a complete day throughout. */
const VIEWS = 200;

function lakeEvents(): LakeEvent[] {
  return MONDAYS.flatMap((dt, w) => [
    ...Array.from({ length: POSTS[w]! }, (_, i) => ({ dt, user_id: `u${i % 40}`, account_id: null, event_name: 'message_posted' })),
    ...Array.from({ length: VIEWS }, (_, i) => ({ dt, user_id: `v${i}`, account_id: null, event_name: 'page_viewed' })),
  ]);
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Runs every Monday as one range on a fresh results folder; returns each night's `posts` row. */
async function runMondays(baselineWeeks: number): Promise<MetricRow[]> {
  const dir = tempDir('nsm-clean-baseline-');
  dirs.push(dir);
  const lake = writeJsonLake(join(dir, 'lake'), lakeEvents());
  const config = postsConfig(lake, join(dir, 'results'), { baseline_weeks: baselineWeeks });
  await runLocalNights(config, MONDAYS, join(dir, 'outbox', 'alerts.jsonl'));
  return Promise.all(
    MONDAYS.map(async (dt) => {
      const rows = fromJsonLines<MetricRow>(await readFile(join(config.results.location, ...metricsKey(dt).split('/')), 'utf8'));
      return rows.find((r) => r.metric_id === 'posts')!;
    }),
  );
}

describe('clean baselines on a generated lake, through the real pipeline', () => {
  it('keeps a 5-week incident out of the baseline: after it, the baseline is the pre-incident level', async () => {
    // baseline_weeks 6 looks back 12 weeks, so after a 5-week incident 7 clean weeks remain in reach.
    const rows = await runMondays(6);
    expect(rows.map((r) => r.value)).toEqual(POSTS);
    expect(rows.slice(0, 6).map((r) => r.status)).toEqual(Array(6).fill('insufficient_history'));
    // Week 7: np.median([100, 102, 98, 101, 99, 103]) = 100.5
    expect(rows[6]).toMatchObject({ status: 'ok', baseline: 100.5 });
    // Every incident night, the last one too, against weeks 2-7: np.median([102, 98, 101, 99, 103, 100]) = 100.5
    // (without clean baselines week 12 would read np.median([103, 100, 60, 61, 59, 62]) = 61.5 and be ok).
    for (const i of INCIDENT) expect(rows[i], MONDAYS[i]).toMatchObject({ status: 'drop', baseline: 100.5 });
    // Week 13, back to normal: judged against weeks 2-7 again, not np.median([100, 60, 61, 59, 62, 60]) = 60.5.
    expect(rows[12]).toMatchObject({ status: 'ok', baseline: 100.5 });
    // np.median(abs([102,98,101,99,103,100] - 100.5)) * 1.4826 = 2.2239 → z = (101 - 100.5) / 2.2239
    expect(rows[12]!.robust_z).toBeCloseTo(0.5 / (1.5 * 1.4826), 9);
  });

  it('with the default 4 weeks, after a 5-week incident the 8-week look-back holds too few clean nights: insufficient_history at the pre-incident level', async () => {
    const rows = await runMondays(4);
    // Every incident night: the 4 newest clean Mondays, never an incident one.
    // Week 8 and 9: np.median([101, 99, 103, 100]) = 100.5; weeks 10-12 too (weeks 4-7 are still within 8 weeks).
    for (const i of INCIDENT) expect(rows[i], MONDAYS[i]).toMatchObject({ status: 'drop', baseline: 100.5 });
    // Week 13 reaches back to week 5: clean are weeks 5-7 only, np.median([99, 103, 100]) = 100.
    expect(rows[12]).toMatchObject({ status: 'insufficient_history', baseline: 100 });
  });
});
