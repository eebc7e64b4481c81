import { DEMO_COUNTRIES } from '../../../functions/demo/user-segments';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayRange, weekday } from '../../../functions/core/dates';
import { InputError } from '../../../functions/core/errors';
import { generateDemoLake, type DemoLakeSummary } from '../../../functions/demo/generate-lake';
import { CALLS, DEMO_ACTIONS, EVENT_NAMES } from '../../../functions/demo/story';

interface RawEvent {
  dt: string;
  user_id: string;
  account_id: string | null;
  country: string | null;
  app_version: string;
  event_name: string;
  event_time: string;
  duration_ms?: unknown;
}

/** Every event of a lake, read back from the files with nothing but zlib and JSON.parse. */
async function readLake(dir: string): Promise<{ partitions: string[]; events: RawEvent[]; lines: Map<string, string[]> }> {
  const partitions = (await readdir(dir)).sort();
  const events: RawEvent[] = [];
  const lines = new Map<string, string[]>();
  for (const p of partitions) {
    const files = await readdir(join(dir, p));
    expect(files).toEqual(['part-0.jsonl.gz']);
    const text = gunzipSync(await readFile(join(dir, p, files[0]!))).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const dayLines = text.slice(0, -1).split('\n');
    lines.set(p, dayLines);
    for (const line of dayLines) events.push({ dt: p.slice(3), ...(JSON.parse(line) as Omit<RawEvent, 'dt'>) });
  }
  return { partitions, events, lines };
}

const DAY = 86_400_000;
const dayIndex = (start: string, dt: string) => Math.round((Date.parse(`${dt}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY);

/**
 * The candidate-lift tables computed from raw events exactly as docs/design.md §2 defines them,
 * for users whose first `signed_up` day E lies in [first, last] (day indices).
 */
function liftTables(events: readonly RawEvent[], start: string, first: number, last: number) {
  const entry = new Map<string, number>();
  for (const e of events) {
    if (e.event_name !== 'signed_up') continue;
    const d = dayIndex(start, e.dt);
    if (!entry.has(e.user_id) || d < entry.get(e.user_id)!) entry.set(e.user_id, d);
  }
  const retained = new Set<string>();
  const hits = new Map<string, Set<string>>(DEMO_ACTIONS.map((a) => [a.id, new Set<string>()]));
  for (const e of events) {
    const E = entry.get(e.user_id);
    if (E === undefined) continue;
    const rel = dayIndex(start, e.dt) - E;
    if (rel >= 84 && rel <= 90) retained.add(e.user_id);
    for (const a of DEMO_ACTIONS) if (a.event === e.event_name && rel >= 0 && rel < a.withinDays) hits.get(a.id)!.add(e.user_id);
  }
  const cohort = [...entry].filter(([, E]) => E >= first && E <= last).map(([u]) => u);
  return DEMO_ACTIONS.map((a) => {
    const hit = cohort.filter((u) => hits.get(a.id)!.has(u));
    const miss = cohort.filter((u) => !hits.get(a.id)!.has(u));
    const rh = hit.filter((u) => retained.has(u)).length;
    const rm = miss.filter((u) => retained.has(u)).length;
    const lift = rh / hit.length / (rm / miss.length);
    // Katz et al. (1978) log interval for a risk ratio: ln(RR) ± z·sqrt(1/a − 1/n1 + 1/c − 1/n2).
    const se = Math.sqrt(1 / rh - 1 / hit.length + 1 / rm - 1 / miss.length);
    const z = 2.5758; // scipy.stats.norm.ppf(0.995) = 2.5758293035489
    return {
      id: a.id,
      n_hit: hit.length,
      n_miss: miss.length,
      retained_hit: rh,
      retained_miss: rm,
      lift,
      ci99: [lift * Math.exp(-z * se), lift * Math.exp(z * se)] as const,
    };
  });
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nsm-demo-lake-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generateDemoLake: a 400k-event lake read back from its files', () => {
  const END = '2025-06-30'; // a Monday
  let summary: DemoLakeSummary;
  let lake: Awaited<ReturnType<typeof readLake>>;

  beforeAll(async () => {
    summary = await generateDemoLake({ dir: join(root, 'big'), endDay: END, days: 180, events: 400_000 });
    lake = await readLake(join(root, 'big'));
  });

  it('writes one gzip JSON Lines file per day, dt=YYYY-MM-DD, ending on endDay', () => {
    const start = addDays(END, -179);
    expect(lake.partitions).toEqual(dayRange(start, END).map((d) => `dt=${d}`));
    expect(summary).toMatchObject({ startDay: start, endDay: END, days: 180, files: 180, dir: join(root, 'big') });
  });

  it('writes about the requested number of events, and reports the count it wrote', () => {
    expect(lake.events.length).toBe(summary.events);
    expect(Math.abs(summary.events / 400_000 - 1)).toBeLessThan(0.1);
    const byName: Record<string, number> = {};
    for (const e of lake.events) byName[e.event_name] = (byName[e.event_name] ?? 0) + 1;
    expect(byName).toEqual(summary.eventsByName);
    expect(Object.keys(byName).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('has the lake columns with the right types, times inside their partition day, sorted', () => {
    // Plain checks collected into one list: an expect() per event would dominate the run time.
    const problems: string[] = [];
    for (const [p, lines] of lake.lines) {
      let previous = '';
      for (const line of lines) {
        const e = JSON.parse(line) as Omit<RawEvent, 'dt'>;
        if (e.event_time.slice(0, 10) !== p.slice(3)) problems.push(`${p}: ${line}`);
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(e.event_time)) problems.push(`time: ${line}`);
        if (e.event_time < previous) problems.push(`order: ${line}`);
        previous = e.event_time;
      }
    }
    for (const e of lake.events) {
      if (typeof e.user_id !== 'string' || !/^u\d{7}$/.test(e.user_id)) problems.push(`user: ${JSON.stringify(e)}`);
      if (e.account_id !== null && !/^t\d{6}$/.test(e.account_id)) problems.push(`account: ${JSON.stringify(e)}`);
      if ('duration_ms' in e !== (e.event_name === 'call_ended')) problems.push(`duration: ${JSON.stringify(e)}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('has two segment columns of 20 values each, fixed per user, with a few users of no country', () => {
    const byUser = new Map<string, string>();
    const changed: string[] = [];
    for (const e of lake.events) {
      const segments = `${e.country}|${e.app_version}`;
      if ((byUser.get(e.user_id) ?? segments) !== segments) changed.push(e.user_id);
      byUser.set(e.user_id, segments);
    }
    expect(changed.slice(0, 3)).toEqual([]);
    const countries = new Set(lake.events.map((e) => e.country));
    expect(countries.has(null)).toBe(true);
    expect([...countries].filter((c) => c !== null).sort()).toEqual([...DEMO_COUNTRIES].sort());
    expect(new Set(lake.events.map((e) => e.app_version)).size).toBe(20);
    const noCountry = [...byUser.values()].filter((v) => v.startsWith('null|')).length / byUser.size;
    expect(noCountry).toBeGreaterThan(0.01);
    expect(noCountry).toBeLessThan(0.06);
  });

  it('has users, teams and a few solo users as the summary says; a user signs up at most once, first', () => {
    const users = new Set(lake.events.map((e) => e.user_id));
    expect(summary.users).toBe(users.size);
    const signups = lake.events.filter((e) => e.event_name === 'signed_up');
    expect(new Set(signups.map((e) => e.user_id)).size).toBe(signups.length);
    expect(summary.signups).toBe(signups.length);
    // Users of the year before the lake have no sign-up in it, but are active in it.
    expect(users.size - signups.length).toBeGreaterThan(500);
    const firstEvent = new Map<string, RawEvent>();
    for (const e of lake.events) if (!firstEvent.has(e.user_id)) firstEvent.set(e.user_id, e);
    const signedUp = new Set(signups.map((e) => e.user_id));
    expect([...firstEvent.values()].filter((e) => signedUp.has(e.user_id) && e.event_name !== 'signed_up')).toEqual([]);

    const created = lake.events.filter((e) => e.event_name === 'team_created');
    expect(created).toHaveLength(summary.teamsCreated);
    expect(new Set(created.map((e) => e.account_id)).size).toBe(created.length);
    expect(created.filter((e) => e.account_id === null)).toEqual([]);
    expect(new Set(lake.events.flatMap((e) => (e.account_id === null ? [] : [e.account_id]))).size).toBe(summary.teams);
    const solo = new Set(lake.events.filter((e) => e.account_id === null).map((e) => e.user_id));
    expect(solo.size).toBe(summary.soloUsers);
    expect(solo.size / users.size).toBeGreaterThan(0.03);
    expect(solo.size / users.size).toBeLessThan(0.15);
    // A user's account never changes.
    const accountOf = new Map([...firstEvent.values()].map((e) => [e.user_id, e.account_id]));
    expect(lake.events.filter((e) => e.account_id !== accountOf.get(e.user_id))).toEqual([]);
  });

  it('grows, and is about 40% quieter at weekends', () => {
    const perDay = new Map<string, number>();
    for (const e of lake.events) perDay.set(e.dt, (perDay.get(e.dt) ?? 0) + 1);
    const days = [...perDay.keys()].sort();
    const sum = (ds: string[]) => ds.reduce((n, d) => n + perDay.get(d)!, 0);
    // Sign-ups double over the lake; the active base follows: ~2^(105/179) = 1.5 here.
    expect(sum(days.slice(-30))).toBeGreaterThan(1.3 * sum(days.slice(60, 90)));
    // Last 8 full weeks before the drop day: weekend days vs weekdays.
    const recent = days.slice(-57, -1);
    const weekend = recent.filter((d) => [0, 6].includes(weekday(d)));
    const weekdays = recent.filter((d) => ![0, 6].includes(weekday(d)));
    const ratio = sum(weekend) / weekend.length / (sum(weekdays) / weekdays.length);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.7);
  });

  it('drops message_posted by about half on the last day only, the rest of the day staying normal', () => {
    const count = (dt: string, pred: (e: RawEvent) => boolean) => lake.events.filter((e) => e.dt === dt && pred(e)).length;
    const isPost = (e: RawEvent) => e.event_name === 'message_posted';
    const other = (e: RawEvent) => !isPost(e);
    const sameWeekdays = [7, 14, 21, 28].map((k) => addDays(END, -k));
    const mean = (f: (dt: string) => number) => sameWeekdays.reduce((n, d) => n + f(d), 0) / sameWeekdays.length;

    const posts = count(END, isPost);
    const postsBefore = mean((d) => count(d, isPost));
    // Posts relative to the day's other events, so that growth cancels out: about half.
    const share = posts / count(END, other);
    const shareBefore = mean((d) => count(d, isPost) / count(d, other));
    expect(share / shareBefore).toBeGreaterThan(0.43);
    expect(share / shareBefore).toBeLessThan(0.57);
    // Against the same-weekday average the fall is still ~half (a little less: the product grows).
    expect(posts / postsBefore).toBeLessThan(0.65);
    // The other events are normal (at least the same-weekday average: growth), and the day as a
    // whole stays well above the freshness guard's 50%.
    expect(count(END, other) / mean((d) => count(d, other))).toBeGreaterThan(0.95);
    const total = count(END, () => true) / mean((d) => count(d, () => true));
    expect(total).toBeGreaterThan(0.6);
    // The week before the drop is normal, each day against its own same weekdays (a single day's
    // share wobbles by several percent at this size; the planted drop would show as 0.5).
    const shareOn = (d: string) => count(d, isPost) / count(d, other);
    for (let k = 1; k <= 7; k++) {
      const day = addDays(END, -k);
      const baseline = [7, 14, 21, 28].reduce((n, w) => n + shareOn(addDays(day, -w)), 0) / 4;
      expect(shareOn(day) / baseline, day).toBeGreaterThan(0.8);
    }

    expect(summary.planted.drop).toMatchObject({ day: END, event: 'message_posted', keep_ratio: 0.5, events_on_day: posts });
    expect(summary.planted.drop.same_weekday_mean).toBeCloseTo(postsBefore, 9);
  });

  it('has call durations that are numbers, some null and some "n/a"', () => {
    const calls = lake.events.filter((e) => e.event_name === 'call_ended');
    const nulls = calls.filter((e) => e.duration_ms === null).length;
    const garbage = calls.filter((e) => e.duration_ms === 'n/a').length;
    const numbers = calls.filter((e) => typeof e.duration_ms === 'number');
    expect(nulls + garbage + numbers.length).toBe(calls.length);
    expect(summary.planted.durations).toEqual({ calls: calls.length, nulls, garbage, garbage_value: 'n/a' });
    // Shares near the configured ones (binomial sd of each share < 0.2% here).
    expect(Math.abs(nulls / calls.length - CALLS.nullShare)).toBeLessThan(0.01);
    expect(Math.abs(garbage / calls.length - CALLS.garbageShare)).toBeLessThan(0.005);
    expect(numbers.filter((e) => !Number.isInteger(e.duration_ms) || (e.duration_ms as number) <= 0)).toEqual([]);
    const sorted = numbers.map((e) => e.duration_ms as number).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median / 60_000).toBeGreaterThan(6);
    expect(median / 60_000).toBeLessThan(10);
  });

  describe('planted retention effects, measured from the raw events', () => {
    // Every user whose day-90 outcome lies inside the lake: E <= last day - 90.
    let all: ReturnType<typeof liftTables>;
    beforeAll(() => {
      all = liftTables(lake.events, summary.startDay, 0, 179 - 90);
    });
    const byId = (id: string) => all.find((t) => t.id === id)!;

    it('payment in week one: about 3x, clearly above min_lift 2', () => {
      const t = byId('payment_completed_d7');
      expect(t.n_hit).toBeGreaterThan(200);
      expect(t.ci99[0]).toBeLessThan(3);
      expect(t.ci99[1]).toBeGreaterThan(3);
      expect(t.ci99[0]).toBeGreaterThan(2);
    });

    it('integration in week one: about 1.5x; inviting a teammate: above 1', () => {
      const integration = byId('integration_connected_d7');
      expect(integration.ci99[0]).toBeLessThan(1.5);
      expect(integration.ci99[1]).toBeGreaterThan(1.5);
      expect(integration.ci99[0]).toBeGreaterThan(1);
      const invite = byId('member_invited_d7');
      expect(invite.ci99[0]).toBeLessThan(1.35);
      expect(invite.ci99[1]).toBeGreaterThan(1.35);
      expect(invite.ci99[1]).toBeLessThan(2);
    });

    it.each(['payment_completed_d7', 'integration_connected_d7', 'file_shared_d3', 'app_opened_d3'])(
      '%s is done by its planted share of users (the action comes from the plan alone)',
      (id) => {
        const t = byId(id);
        const planted = DEMO_ACTIONS.find((a) => a.id === id)!.takeUp!.member; // same for every role
        // Binomial sd of the share is below 0.011 with 2,400 users; 5 sd.
        expect(Math.abs(t.n_hit / (t.n_hit + t.n_miss) - planted)).toBeLessThan(0.055);
      },
    );

    it.each(['file_shared_d3', 'app_opened_d3'])('%s is a null action: lift 1 inside its 99 percent interval', (id) => {
      const t = byId(id);
      expect(t.n_hit).toBeGreaterThan(300);
      expect(t.n_miss).toBeGreaterThan(300);
      expect(t.ci99[0]).toBeLessThan(1);
      expect(t.ci99[1]).toBeGreaterThan(1);
      expect(Math.abs(t.lift - 1)).toBeLessThan(0.2);
    });

    it('the summary tallies the last night cohort exactly as the raw events give it', () => {
      const lastNight = summary.planted.retention.last_night;
      const first = dayIndex(summary.startDay, lastNight.start);
      const last = dayIndex(summary.startDay, lastNight.end);
      expect([first, last]).toEqual([179 - 90 - 27, 179 - 90]);
      const tables = liftTables(lake.events, summary.startDay, first, last);
      expect(lastNight.actions.map(({ id, n_hit, n_miss, retained_hit, retained_miss }) => ({ id, n_hit, n_miss, retained_hit, retained_miss }))).toEqual(
        tables.map(({ id, n_hit, n_miss, retained_hit, retained_miss }) => ({ id, n_hit, n_miss, retained_hit, retained_miss })),
      );
      expect(summary.planted.retention.all_observable.actions.map((a) => a.n_hit)).toEqual(all.map((t) => t.n_hit));
    });
  });
});

describe('generateDemoLake: determinism and size', () => {
  it('writes the same bytes for the same arguments, other bytes for another seed', async () => {
    const opts = { endDay: '2024-02-29', days: 150, events: 5_000 };
    await generateDemoLake({ ...opts, dir: join(root, 'a'), seed: 7 });
    await generateDemoLake({ ...opts, dir: join(root, 'b'), seed: 7 });
    await generateDemoLake({ ...opts, dir: join(root, 'c'), seed: 8 });
    const files = await readdir(join(root, 'a'));
    expect(files).toHaveLength(150);
    expect(await readdir(join(root, 'b'))).toEqual(files);
    let differs = 0;
    for (const p of files) {
      const a = await readFile(join(root, 'a', p, 'part-0.jsonl.gz'));
      expect(a.equals(await readFile(join(root, 'b', p, 'part-0.jsonl.gz')))).toBe(true);
      if (!a.equals(await readFile(join(root, 'c', p, 'part-0.jsonl.gz')))) differs++;
    }
    expect(differs).toBeGreaterThan(140);
  });

  it.each([
    { events: 2_000, days: 150 },
    { events: 30_000, days: 180 },
    { events: 150_000, days: 240 },
  ])('writes $events events (±10%) over $days days', async ({ events, days }) => {
    const s = await generateDemoLake({ dir: join(root, `size-${events}`), endDay: '2025-01-15', days, events });
    expect(Math.abs(s.events / events - 1)).toBeLessThan(0.1);
    expect(s.files).toBe(days);
    expect(await readdir(join(root, `size-${events}`))).toHaveLength(days);
  });
});

describe('generateDemoLake: the target folder', () => {
  const opts = { endDay: '2025-01-15', days: 150, events: 2_000 };

  it('replaces an earlier demo lake, removing partitions the new one does not have', async () => {
    const dir = join(root, 'again');
    await generateDemoLake({ ...opts, dir });
    await generateDemoLake({ ...opts, dir, endDay: '2025-03-01' });
    const parts = (await readdir(dir)).sort();
    expect(parts[0]).toBe(`dt=${addDays('2025-03-01', -149)}`);
    expect(parts).toHaveLength(150);
    expect((await readdir(root)).filter((n) => n.startsWith('again.'))).toEqual([]);
  });

  it('refuses a folder holding anything but dt= partitions, and leaves it alone', async () => {
    const dir = join(root, 'precious');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    await expect(generateDemoLake({ ...opts, dir })).rejects.toThrow(/notes\.txt.*refusing to overwrite/);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    await writeFile(join(root, 'a-file'), 'x');
    await expect(generateDemoLake({ ...opts, dir: join(root, 'a-file') })).rejects.toThrow(InputError);
  });

  it.each([
    [{ days: 149 }, /days: must be an integer >= 150/],
    [{ days: 180.5 }, /days: must be an integer >= 150/],
    [{ events: 999 }, /events: must be an integer from 1000/],
    [{ events: 1e9 }, /events: must be an integer from 1000 to 100000000/],
    [{ endDay: '2025-02-30' }, /endDay: '2025-02-30' is not a date/],
    [{ seed: 1.5 }, /seed: must be an integer/],
  ])('rejects %j', async (bad, message) => {
    const dir = join(root, 'never');
    await expect(generateDemoLake({ ...opts, dir, ...bad })).rejects.toThrow(message);
    await expect(generateDemoLake({ ...opts, dir, ...bad })).rejects.toBeInstanceOf(InputError);
    expect((await readdir(root)).filter((n) => n.startsWith('never'))).toEqual([]);
  });
});
