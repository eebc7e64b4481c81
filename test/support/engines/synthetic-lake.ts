/**
 * A small, deterministic event lake for the engine equality suite, described by data
 * ({@link SyntheticLakeSpec}) so that a case asks for what its features need — another event,
 * a numeric property, a per-user column to segment by — without new generator code.
 *
 * Users sign up (the entry event) over the lake's days, a share of them before it begins; each
 * belongs to an account or to none; early actions raise the chance of staying active, which is
 * what the candidate test measures. Every value kind the SQL must survive appears on purpose:
 * properties as JSON numbers (whole and fractional), numeric strings, `"n/a"`, `null` and absent;
 * null users and accounts; a user id written as a JSON number; a day without a partition; a thin
 * day (a drop, or incomplete data).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../../../functions/core/dates';
import { type LakeEvent, writeJsonLake } from '../lake';
import { seededRandom } from '../random';

export interface SyntheticEvent {
  readonly name: string;
  /** Relative frequency among an active day's ordinary events. */
  readonly weight: number;
  /** A numeric property written on this event (with every value kind, see the module comment). */
  readonly property?: string;
}

export interface SyntheticAction {
  /** The event a new user does within `withinDays` of signing up, with probability `probability`. */
  readonly event: string;
  readonly withinDays: number;
  readonly probability: number;
  /** Added to the chance of staying active when done. */
  readonly retentionBoost: number;
}

export interface SyntheticLakeSpec {
  readonly seed: number;
  readonly firstDay: string;
  readonly days: number;
  readonly users: number;
  readonly accounts: number;
  /** Share of users without an account (account_id null). */
  readonly soloShare: number;
  /** The entry event, on each user's sign-up day. */
  readonly entryEvent: string;
  /** Chance that a user is active on a day while engaged. */
  readonly activity: number;
  /** Chance of staying engaged after the first week, before action boosts. */
  readonly baseRetention: number;
  /** Mean ordinary events on an active day. */
  readonly eventsPerActiveDay: number;
  readonly events: readonly SyntheticEvent[];
  readonly actions: readonly SyntheticAction[];
  /** Days whose partition is not written at all. */
  readonly missingDays?: readonly string[];
  /** Days whose partition folder holds only an empty file and `_SUCCESS` (an export that wrote nothing). */
  readonly emptyDays?: readonly string[];
  /** Days of which only `keep` of the events are written. */
  readonly thinDays?: readonly { readonly day: string; readonly keep: number }[];
  /** Per-user columns, constant for a user: each user gets one of the values (null allowed). */
  readonly userColumns?: Readonly<Record<string, readonly (string | null)[]>>;
}

/** The lake's columns (beyond any `userColumns`). */
export const SYNTHETIC_COLUMNS = { user: 'user_id', account: 'account_id', event: 'event_name', time: 'event_time' } as const;

/** Every event of the lake, oldest day first (write them with writeJsonLake). */
export function syntheticEvents(spec: SyntheticLakeSpec): LakeEvent[] {
  const rand = seededRandom(spec.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const totalWeight = spec.events.reduce((s, e) => s + e.weight, 0);
  const ordinary = () => {
    let r = rand() * totalWeight;
    for (const e of spec.events) if ((r -= e.weight) < 0) return e;
    return spec.events[spec.events.length - 1]!;
  };
  // Every value kind a numeric property meets in a real lake.
  const propertyValue = (): unknown => {
    const kind = rand();
    if (kind < 0.45) return Math.floor(rand() * 5_000);
    if (kind < 0.75) return Math.round(rand() * 1e6) / 1e3;
    if (kind < 0.85) return String(Math.round(rand() * 1e5) / 1e2);
    if (kind < 0.9) return 'n/a';
    if (kind < 0.95) return null;
    return undefined;
  };

  const users = Array.from({ length: spec.users }, (_, i) => {
    const entry = Math.floor(rand() * (spec.days + 10)) - 10;
    const actions = spec.actions.map((a) => (rand() < a.probability ? entry + Math.floor(rand() * a.withinDays) : null));
    const boost = spec.actions.reduce((s, a, k) => s + (actions[k] !== null ? a.retentionBoost : 0), 0);
    const columns = Object.fromEntries(Object.entries(spec.userColumns ?? {}).map(([name, values]) => [name, pick(values)]));
    return {
      // Every 97th user's id is written as a JSON number: the lake declares it a string.
      id: i % 97 === 13 ? 100_000 + i : `u${String(i).padStart(5, '0')}`,
      account: rand() < spec.soloShare ? null : `a${String(Math.floor(rand() * spec.accounts)).padStart(3, '0')}`,
      entry,
      engaged: rand() < spec.baseRetention + boost,
      actions,
      columns,
    };
  });

  const missing = new Set([...(spec.missingDays ?? []), ...(spec.emptyDays ?? [])]);
  const thin = new Map((spec.thinDays ?? []).map((t) => [t.day, t.keep]));
  const out: LakeEvent[] = [];
  for (let d = 0; d < spec.days; d++) {
    const dt = addDays(spec.firstDay, d);
    const day: LakeEvent[] = [];
    const emit = (user: (typeof users)[number], name: string, property?: string) => {
      const time = `${dt}T${String(Math.floor(rand() * 24)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00Z`;
      const event: LakeEvent = {
        dt,
        // A few events have no user at all.
        user_id: rand() < 0.01 ? null : user.id,
        account_id: user.account,
        event_name: name,
        event_time: time,
        ...user.columns,
      };
      if (property) {
        const value = propertyValue();
        if (value !== undefined) event[property] = value;
      }
      day.push(event);
    };
    for (const user of users) {
      if (user.entry > d) continue;
      if (user.entry === d) emit(user, spec.entryEvent);
      spec.actions.forEach((a, k) => {
        if (user.actions[k] === d) emit(user, a.event);
      });
      const engagedNow = d - user.entry < 7 || user.engaged;
      if (rand() >= (engagedNow ? spec.activity : spec.activity * 0.05)) continue;
      const n = 1 + Math.floor(rand() * 2 * spec.eventsPerActiveDay);
      for (let k = 0; k < n; k++) {
        const e = ordinary();
        emit(user, e.name, e.property);
      }
    }
    if (missing.has(dt)) continue;
    const keep = thin.get(dt) ?? 1;
    out.push(...day.filter(() => keep === 1 || rand() < keep));
  }
  return out;
}

/**
 * Writes the lake of `spec` into `dir` as gzipped JSON Lines, one file a day, plus the empty
 * partitions of `emptyDays`; returns `dir`.
 */
export function writeSyntheticLake(dir: string, spec: SyntheticLakeSpec): string {
  writeJsonLake(dir, syntheticEvents(spec), { gzip: true });
  for (const day of spec.emptyDays ?? []) {
    const folder = join(dir, `dt=${day}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'part-0.jsonl'), '');
    writeFileSync(join(folder, '_SUCCESS'), '');
  }
  return dir;
}
