/**
 * The compiled `duckdb` candidates SQL, run by the real DuckDB engine over a generated lake with a
 * planted effect, then evaluated. Expected counts are computed here in plain TypeScript from the
 * generated events, straight from docs/design.md §2 — not through SQL or `core/candidates/cohort.ts`.
 *
 * Planted: users who complete a payment within 7 days of signing up retain at ~60%, the others at
 * ~15%; `viewed_help` is done by half the users regardless of retention (no effect).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { cohortWindow } from '../../functions/core/candidates/cohort';
import type { CandidateCounts } from '../../functions/core/candidates/counts';
import { evaluateCandidates } from '../../functions/core/candidates/evaluate';
import { parseCandidateCounts } from '../../functions/core/candidates/parse-counts';
import type { CandidatesConfig, LakeConfig } from '../../functions/core/config/types';
import { addDays, daysBetween } from '../../functions/core/dates';
import type { CandidateRow } from '../../functions/core/results/rows';
import { buildCandidatesQuery } from '../../functions/core/sql/candidates-query';
import { lakeConfig } from '../support/config';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';
import { seededRandom } from '../support/random';

const D = '2025-06-30';
const R = 28; // retention.day
const W = 7; // retention.window_days
const C = 14; // cohort.cohort_days
const COHORT_START = '2025-05-20'; // D-R-C+1, written out by hand
const COHORT_END = '2025-06-02'; // D-R

const CANDIDATES: CandidatesConfig = {
  cohort: { entry_event: 'signed_up', cohort_days: C },
  retention: { day: R, window_days: W },
  min_lift: 2,
  max_p: 0.01,
  actions: [
    { id: 'help_d7', event: 'viewed_help', within_days: 7 },
    { id: 'payment_d7', event: 'payment_completed', within_days: 7 },
    // A hit window longer than R+1 reaches past D for late entrants: only days <= D may count.
    { id: 'invite_d31', event: 'invite_sent', within_days: R + 3 },
    // Nobody does it: n_hit = 0, insufficient_data.
    { id: 'never_d7', event: 'never_happens', within_days: 7 },
  ],
};

function generateEvents(): LakeEvent[] {
  const rnd = seededRandom(20250630);
  const events: LakeEvent[] = [];
  const ev = (dt: string, user: string | null, name: string) => events.push({ dt, user_id: user, account_id: 'acc', event_name: name });
  // Entry days from 10 days before the cohort to 8 days after it (those users are outside the cohort).
  const firstEntry = addDays(COHORT_START, -10);
  const span = daysBetween(firstEntry, addDays(COHORT_END, 8));
  for (let u = 0; u < 1500; u++) {
    const user = `u${u}`;
    const e = addDays(firstEntry, Math.floor(rnd() * (span + 1)));
    ev(e, user, 'signed_up');
    if (rnd() < 0.1) ev(addDays(e, 1 + Math.floor(rnd() * 20)), user, 'signed_up'); // a later sign-up does not move E
    const paid = rnd() < 0.3;
    if (paid) ev(addDays(e, Math.floor(rnd() * 7)), user, 'payment_completed');
    else if (rnd() < 0.2) ev(addDays(e, 7 + Math.floor(rnd() * 10)), user, 'payment_completed'); // too late: a miss
    if (rnd() < 0.5) ev(addDays(e, Math.floor(rnd() * 7)), user, 'viewed_help');
    if (rnd() < 0.2) ev(addDays(e, Math.floor(rnd() * 40)), user, 'invite_sent');
    // Activity outside the outcome window, retained or not.
    for (let k = 0; k < 3; k++) ev(addDays(e, 1 + Math.floor(rnd() * (R - W))), user, 'app_opened');
    if (rnd() < (paid ? 0.6 : 0.15)) ev(addDays(e, R - W + 1 + Math.floor(rnd() * W)), user, 'app_opened');
  }
  // Null users are ignored, even with a perfect-looking history.
  for (let k = 0; k < 30; k++) {
    ev(COHORT_START, null, 'signed_up');
    ev(COHORT_START, null, 'payment_completed');
    ev(addDays(COHORT_START, R), null, 'app_opened');
  }
  // Edge users (E = entry day):
  // entry exactly on the cohort's first day; paid on E+6 (last hit day); active exactly on E+R-W+1 → retained.
  ev(COHORT_START, 'edge-first', 'signed_up');
  ev(addDays(COHORT_START, 6), 'edge-first', 'payment_completed');
  ev(addDays(COHORT_START, R - W + 1), 'edge-first', 'app_opened');
  // entry exactly on the cohort's last day; paid on E+7 (not a hit); active exactly on E+R = D → retained;
  // invite on D+1 = E+R+1, inside its 31-day window but after D: not a hit.
  ev(COHORT_END, 'edge-last', 'signed_up');
  ev(addDays(COHORT_END, 7), 'edge-last', 'payment_completed');
  ev(addDays(COHORT_END, R), 'edge-last', 'app_opened');
  ev(addDays(D, 1), 'edge-last', 'invite_sent');
  // active on E+R-W and E+R+1 only, both just outside the outcome window → not retained.
  ev(addDays(COHORT_START, 3), 'edge-out', 'signed_up');
  ev(addDays(COHORT_START, 3 + R - W), 'edge-out', 'app_opened');
  ev(addDays(COHORT_START, 3 + R + 1), 'edge-out', 'app_opened');
  // first sign-up the day before the cohort, again inside it: outside the cohort.
  ev(addDays(COHORT_START, -1), 'edge-early', 'signed_up');
  ev(addDays(COHORT_START, 2), 'edge-early', 'signed_up');
  ev(addDays(COHORT_START, 2 + R), 'edge-early', 'app_opened');
  // first sign-up the day after the cohort: outside the cohort.
  ev(addDays(COHORT_END, 1), 'edge-late', 'signed_up');
  ev(addDays(COHORT_END, 1 + R - 1), 'edge-late', 'app_opened');
  // did the action the day before signing up: not a hit (the window starts at E).
  ev(addDays(COHORT_START, 5), 'edge-before', 'payment_completed');
  ev(addDays(COHORT_START, 6), 'edge-before', 'signed_up');
  return events;
}

/** docs/design.md §2, per user, from the raw events: the independent oracle. */
function expectedCounts(events: readonly LakeEvent[], config: CandidatesConfig): { cohort: Set<string>; counts: CandidateCounts[] } {
  const byUser = new Map<string, LakeEvent[]>();
  for (const e of events) {
    if (e.user_id === null || e.dt > D) continue; // null users ignored; nothing after D exists for night D
    const list = byUser.get(e.user_id as string) ?? [];
    list.push(e);
    byUser.set(e.user_id as string, list);
  }
  const members: { user: string; retained: boolean; hits: boolean[] }[] = [];
  for (const [user, list] of byUser) {
    const entries = list
      .filter((e) => e.event_name === config.cohort.entry_event)
      .map((e) => e.dt)
      .sort();
    const e = entries[0];
    if (e === undefined || e < COHORT_START || e > COHORT_END) continue;
    const offset = (dt: string) => daysBetween(e, dt);
    const retained = list.some((x) => offset(x.dt) >= R - W + 1 && offset(x.dt) <= R);
    const hits = config.actions.map((a) =>
      list.some((x) => x.event_name === a.event && offset(x.dt) >= 0 && offset(x.dt) <= a.within_days - 1),
    );
    members.push({ user, retained, hits });
  }
  const counts = config.actions.map((a, i) => {
    const hit = members.filter((m) => m.hits[i]);
    const miss = members.filter((m) => !m.hits[i]);
    return {
      candidate_id: a.id,
      cohort_size: members.length,
      n_hit: hit.length,
      n_miss: miss.length,
      retained_hit: hit.filter((m) => m.retained).length,
      retained_miss: miss.filter((m) => m.retained).length,
    };
  });
  return { cohort: new Set(members.map((m) => m.user)), counts };
}

describe('candidates on DuckDB over a generated lake', () => {
  const events = generateEvents();
  const expected = expectedCounts(events, CANDIDATES);
  let engine: DuckDbEngine;
  let lake: LakeConfig;
  let counts: CandidateCounts[];
  let rows: CandidateRow[];

  beforeAll(async () => {
    const dir = writeJsonLake(tempDir('nsm-candidates-'), events);
    // A partition after D that is not even JSON: the query fails unless partition pruning skips it.
    mkdirSync(join(dir, `dt=${addDays(D, 2)}`), { recursive: true });
    writeFileSync(join(dir, `dt=${addDays(D, 2)}`, 'part-corrupt.jsonl'), 'this is not JSON\n');
    lake = lakeConfig(dir);
    engine = await DuckDbEngine.open(lake, ['user_id', 'account_id', 'event_name'], { threads: 1 });
    // Run without the query's lakeDays, over the lake-wide view: the corrupt partition is then
    // skipped only if the SQL's own partition predicate prunes it (as it must on Athena).
    const { lakeDays, ...sqlOnly } = buildCandidatesQuery(engine.dialect, lake, CANDIDATES, D);
    expect(lakeDays).toEqual({ to: D });
    const result = await engine.run(sqlOnly);
    expect(result.stats.name).toBe('candidates');
    counts = parseCandidateCounts(result.rows, CANDIDATES);
    rows = evaluateCandidates(counts, CANDIDATES, D, cohortWindow(D, CANDIDATES));
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('the test oracle sees the edge users as intended', () => {
    expect(cohortWindow(D, CANDIDATES)).toEqual({ start: COHORT_START, end: COHORT_END });
    for (const u of ['edge-first', 'edge-last', 'edge-out', 'edge-before']) expect(expected.cohort.has(u)).toBe(true);
    for (const u of ['edge-early', 'edge-late']) expect(expected.cohort.has(u)).toBe(false);
    expect(expected.counts[0]!.cohort_size).toBeGreaterThan(500);
  });

  it('returns exactly the independently computed counts for every action', () => {
    expect(counts).toEqual(expected.counts);
  });

  it('counts each edge user as docs/design.md says', () => {
    // The edge users' part of the counts: what the oracle loses without them must be exactly their part.
    const withoutEdges = expectedCounts(
      events.filter((e) => !String(e.user_id).startsWith('edge-')),
      CANDIDATES,
    ).counts;
    const pay = counts.find((c) => c.candidate_id === 'payment_d7')!;
    const payNoEdges = withoutEdges.find((c) => c.candidate_id === 'payment_d7')!;
    // edge-first: hit + retained; edge-last: miss + retained; edge-out, edge-before: miss + not retained.
    expect(pay.n_hit - payNoEdges.n_hit).toBe(1);
    expect(pay.retained_hit - payNoEdges.retained_hit).toBe(1);
    expect(pay.n_miss - payNoEdges.n_miss).toBe(3);
    expect(pay.retained_miss - payNoEdges.retained_miss).toBe(1);
    // edge-last's invite on D+1 is not a hit.
    const invite = counts.find((c) => c.candidate_id === 'invite_d31')!;
    const inviteNoEdges = withoutEdges.find((c) => c.candidate_id === 'invite_d31')!;
    expect(invite.n_hit - inviteNoEdges.n_hit).toBe(0);
  });

  it('ranks the planted action first as strong and calls the null action weak', () => {
    const byId = new Map(rows.map((r) => [r.candidate_id, r]));
    const pay = byId.get('payment_d7')!;
    expect(pay.verdict).toBe('strong');
    expect(pay.rank).toBe(1);
    expect(pay.lift).toBeGreaterThan(3);
    expect(pay.lift_ci_low).toBeGreaterThan(2);
    expect(pay.q_value).toBeLessThan(1e-10);
    const help = byId.get('help_d7')!;
    expect(help.verdict).toBe('weak');
    expect(help.lift).toBeGreaterThan(0.7);
    expect(help.lift).toBeLessThan(1.4);
    const never = byId.get('never_d7')!;
    expect(never.n_hit).toBe(0);
    expect(never.verdict).toBe('insufficient_data');
    expect(never.rank).toBe(rows.length);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(rows[0]!.cohort_start).toBe(COHORT_START);
    expect(rows[0]!.cohort_end).toBe(COHORT_END);
  });

  it('returns one zero row per action for an empty cohort', async () => {
    // A night whose cohort precedes the lake: nobody entered then.
    const early = '2025-05-01';
    const result = await engine.run(buildCandidatesQuery(engine.dialect, lake, CANDIDATES, early));
    const empty = parseCandidateCounts(result.rows, CANDIDATES);
    expect(empty).toEqual(
      CANDIDATES.actions.map((a) => ({ candidate_id: a.id, cohort_size: 0, n_hit: 0, n_miss: 0, retained_hit: 0, retained_miss: 0 })),
    );
    const emptyRows = evaluateCandidates(empty, CANDIDATES, early, cohortWindow(early, CANDIDATES));
    expect(emptyRows.every((r) => r.verdict === 'insufficient_data' && r.share === null && r.lift === null)).toBe(true);
  });
});
