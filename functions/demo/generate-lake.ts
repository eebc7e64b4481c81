/**
 * `generateDemoLake`: writes the synthetic lake of `nsm demo` — a team messaging product a year old
 * when the lake starts, with growth, weekday seasonality, churn, planted retention effects for the candidate actions and a
 * planted drop of `message_posted` on the last day — as Hive partitions
 * `<dir>/dt=YYYY-MM-DD/part-0.jsonl.gz` (gzip JSON Lines, one file per day).
 *
 * Deterministic: the same options write the same bytes (seeded PRNG, no clock, gzip header without
 * a timestamp). The lake is built in a sibling `<dir>.partial` folder and swapped in at the end, so
 * an interrupted run never leaves half a lake behind.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { addDays, parseIsoDay, weekday } from '../core/dates';
import { InputError } from '../core/errors';
import { DEFAULT_DEMO_EVENTS } from './demo-size';
import { calibrateScale, expectedTotal, planPopulation, type DemoPlan } from './plan';
import { deriveSeed, Rng } from './prng';
import { RetentionTruth, type CohortTally } from './retention-truth';
import { DaySimulator } from './simulate-day';
import { BASE_RETENTION, CALLS, EV, EVENT_NAMES, PLANTED_DROP, RETENTION, type EventName } from './story';

export { DEFAULT_DEMO_EVENTS };

const gzipAsync = promisify(gzip);
const WRITES_IN_FLIGHT = 3;

export const DEFAULT_DEMO_DAYS = 180;
export const DEFAULT_DEMO_SEED = 20_240_601;
/** The last night's cohort needs E ≥ D-117 and a month of backfill before it: 150 days. */
export const MIN_DEMO_DAYS = 150;
export const MIN_DEMO_EVENTS = 1_000;
export const MAX_DEMO_EVENTS = 100_000_000;

export interface DemoLakeOptions {
  /** The lake folder; created, or replaced if it holds only `dt=YYYY-MM-DD` partitions. */
  readonly dir: string;
  /** Last day of the lake, `YYYY-MM-DD` (the planted drop's day). */
  readonly endDay: string;
  /** Number of days, >= 150; default 180. */
  readonly days?: number;
  /** Approximate total number of events (within a few percent); default 1,000,000. */
  readonly events?: number;
  /** PRNG seed; default 20240601. */
  readonly seed?: number;
}

/** The planted one-day drop, as written. */
export interface PlantedDropFact {
  readonly day: string;
  readonly event: EventName;
  readonly keep_ratio: number;
  readonly story: string;
  /** `event` on the drop day, and its mean on the 4 same weekdays before. */
  readonly events_on_day: number;
  readonly same_weekday_mean: number;
  /** All events on the drop day, and their mean on the 4 same weekdays before (freshness guard). */
  readonly day_total: number;
  readonly day_total_same_weekday_mean: number;
}

export interface DemoLakeSummary {
  /** Absolute path of the lake. */
  readonly dir: string;
  readonly startDay: string;
  readonly endDay: string;
  readonly days: number;
  readonly seed: number;
  /** Events written. */
  readonly events: number;
  readonly eventsByName: Readonly<Record<EventName, number>>;
  readonly files: number;
  /** Compressed bytes written. */
  readonly bytes: number;
  /** Distinct users with events in the lake. */
  readonly users: number;
  /** Of those, users whose `signed_up` is in the lake (the others signed up before it). */
  readonly signups: number;
  /** Distinct non-null account_id values (teams) with events in the lake. */
  readonly teams: number;
  /** Of those, teams whose `team_created` is in the lake. */
  readonly teamsCreated: number;
  /** Distinct users with a null account_id (solo users) with events in the lake. */
  readonly soloUsers: number;
  readonly planted: {
    readonly retention: {
      readonly entry_event: string;
      readonly day: number;
      readonly window_days: number;
      readonly cohort_days: number;
      /** Retention probability of a user with no planted action. */
      readonly base_rate: number;
      /** The cohort the candidates test sees on the night of `endDay`. */
      readonly last_night: CohortTally;
      /** Every user whose day-90 outcome lies inside the lake (more users, tighter lifts). */
      readonly all_observable: CohortTally;
    };
    readonly drop: PlantedDropFact;
    readonly durations: { readonly calls: number; readonly nulls: number; readonly garbage: number; readonly garbage_value: string };
  };
}

/** Writes the demo lake and says what was planted in it. */
export async function generateDemoLake(opts: DemoLakeOptions): Promise<DemoLakeSummary> {
  const days = opts.days ?? DEFAULT_DEMO_DAYS;
  const target = opts.events ?? DEFAULT_DEMO_EVENTS;
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const endDay = parseIsoDay(opts.endDay, 'endDay');
  if (!Number.isInteger(days) || days < MIN_DEMO_DAYS) throw new InputError(`days: must be an integer >= ${MIN_DEMO_DAYS}, got ${days}`);
  if (!Number.isInteger(target) || target < MIN_DEMO_EVENTS || target > MAX_DEMO_EVENTS) {
    throw new InputError(`events: must be an integer from ${MIN_DEMO_EVENTS} to ${MAX_DEMO_EVENTS}, got ${target}`);
  }
  if (!Number.isInteger(seed)) throw new InputError(`seed: must be an integer, got ${seed}`);

  const dir = resolve(opts.dir);
  await checkReplaceable(dir);
  const startDay = addDays(endDay, -(days - 1));
  const firstWeekday = weekday(startDay);
  const dayName = (day: number) => addDays(startDay, day);

  const plan = sizePlan(seed, days, firstWeekday, target);
  const scale = calibrateScale(plan, firstWeekday, target);
  const simulator = new DaySimulator(plan, firstWeekday, scale, new Rng(deriveSeed(seed, 'events')));
  const truth = new RetentionTruth(plan.users);

  const partial = join(dirname(dir), `${basename(dir)}.partial`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });

  const perDay: Int32Array[] = [];
  const durations = { calls: 0, nulls: 0, garbage: 0 };
  const seen = new Uint8Array(plan.users.length);
  let bytes = 0;
  // Compress on libuv's pool while the next days are simulated; a few writes in flight.
  const inFlight: Array<Promise<void>> = [];
  try {
    for (let day = 0; day < days; day++) {
      const events = simulator.simulate(day, day === days - 1);
      const counts = new Int32Array(EVENT_NAMES.length);
      for (const e of events) {
        counts[e.code]!++;
        seen[e.user] = 1;
        truth.observe(e.user, day, e.code);
        if (e.code === EV.call_ended) {
          durations.calls++;
          if (e.duration === null) durations.nulls++;
          else if (typeof e.duration === 'string') durations.garbage++;
        }
      }
      perDay.push(counts);
      const text = simulator.format(dayName(day), events);
      const folder = join(partial, `dt=${dayName(day)}`);
      if (inFlight.length >= WRITES_IN_FLIGHT) await inFlight.shift();
      const write = (async () => {
          // Level 1: twice as fast as the default 6 for ~15% larger files, which nobody minds here.
          const body = await gzipAsync(text, { level: 1 });
          bytes += body.length;
          await mkdir(folder);
          await writeFile(join(folder, 'part-0.jsonl.gz'), body);
        })();
      // Marks the promise handled: a write failing while an earlier one is awaited must not crash
      // the process as an unhandled rejection; it is still rethrown where it is awaited.
      write.catch(() => undefined);
      inFlight.push(write);
    }
    await Promise.all(inFlight);
    await swapIn(partial, dir);
  } catch (err) {
    // Let the other writes settle before removing their folder, then report the first failure.
    await Promise.allSettled(inFlight);
    await rm(partial, { recursive: true, force: true });
    throw err;
  }

  const eventsByName = Object.fromEntries(
    EVENT_NAMES.map((name, code) => [name, perDay.reduce((n, c) => n + c[code]!, 0)]),
  ) as Record<EventName, number>;
  const total = Object.values(eventsByName).reduce((a, b) => a + b, 0);
  const last = days - 1;
  const cohortEnd = last - RETENTION.day;
  const present = plan.users.filter((_, i) => seen[i] === 1);

  return {
    dir,
    startDay,
    endDay,
    days,
    seed,
    events: total,
    eventsByName,
    files: days,
    bytes,
    users: present.length,
    signups: eventsByName.signed_up,
    teams: new Set(present.flatMap((u) => (u.account === null ? [] : [u.account]))).size,
    teamsCreated: eventsByName.team_created,
    soloUsers: present.filter((u) => u.account === null).length,
    planted: {
      retention: {
        entry_event: RETENTION.entryEvent,
        day: RETENTION.day,
        window_days: RETENTION.windowDays,
        cohort_days: RETENTION.cohortDays,
        base_rate: BASE_RETENTION,
        last_night: truth.tally(cohortEnd - RETENTION.cohortDays + 1, cohortEnd, dayName),
        all_observable: truth.tally(0, cohortEnd, dayName),
      },
      drop: dropFact(perDay, dayName),
      durations: { ...durations, garbage_value: CALLS.garbageValue },
    },
  };
}

/**
 * Sizes the population: a first plan at a nominal sign-up rate tells how many events a team brings
 * on average, a second plan (same seed) uses the rate that should give `target` events.
 */
function sizePlan(seed: number, days: number, firstWeekday: number, target: number): DemoPlan {
  const nominal = 5;
  const probe = planPopulation(new Rng(deriveSeed(seed, 'plan')), days, firstWeekday, nominal);
  const rate = nominal * (target / Math.max(1, expectedTotal(probe, firstWeekday)));
  return planPopulation(new Rng(deriveSeed(seed, 'plan')), days, firstWeekday, rate);
}

function dropFact(perDay: readonly Int32Array[], dayName: (day: number) => string): PlantedDropFact {
  const last = perDay.length - 1;
  const code = EV[PLANTED_DROP.event];
  const sum = (c: Int32Array) => c.reduce((a, b) => a + b, 0);
  const earlier = [1, 2, 3, 4].map((k) => perDay[last - 7 * k]!);
  return {
    day: dayName(last),
    event: PLANTED_DROP.event,
    keep_ratio: PLANTED_DROP.keepRatio,
    story: PLANTED_DROP.story,
    events_on_day: perDay[last]![code]!,
    same_weekday_mean: earlier.reduce((n, c) => n + c[code]!, 0) / earlier.length,
    day_total: sum(perDay[last]!),
    day_total_same_weekday_mean: earlier.reduce((n, c) => n + sum(c), 0) / earlier.length,
  };
}

const PARTITION_FOLDER = /^dt=\d{4}-\d{2}-\d{2}$/;

/** The target may be absent, empty, or an earlier demo lake (only `dt=` folders); nothing else. */
async function checkReplaceable(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new InputError(`${dir}: exists and is not a folder; refusing to overwrite it with the demo lake`);
  const foreign = (await readdir(dir)).filter((name) => !PARTITION_FOLDER.test(name));
  if (foreign.length > 0) {
    throw new InputError(`${dir}: holds ${foreign[0]} besides dt= partitions; refusing to overwrite it with the demo lake`);
  }
}

/** Replaces `dir` by `partial`; the old lake is removed only once the new one is in place. */
async function swapIn(partial: string, dir: string): Promise<void> {
  const old = `${dir}.old`;
  await rm(old, { recursive: true, force: true });
  const exists = await stat(dir).catch(() => null);
  if (exists) await rename(dir, old);
  await rename(partial, dir);
  await rm(old, { recursive: true, force: true });
}
