/**
 * Turns the population plan into the events of one day, one day after another: each user active
 * on the day gets the plan's scheduled events plus ordinary activity (a weekday/weekend coin flip
 * scaled by a noise shared by everyone that day, then a Poisson number of events). The rules that
 * keep the planted effects exact live here:
 *
 * - ordinary activity never produces an action's event inside that action's window
 *   (`app_opened`/`file_shared` on days E … E+2, `integration_connected` on E … E+6), and never
 *   produces `payment_completed`, `member_invited`, `signed_up` or `team_created` at all;
 * - ordinary activity stops after the user's `last` day (before E+84 for the non-retained);
 * - a retained user with nothing in E+84 … E+90 gets one `app_opened` on E+90.
 */
import { eventLine, eventTime, userPrefix, type Duration } from './event-line';
import type { DemoPlan, PlannedUser } from './plan';
import { eventsPerActiveDay } from './plan';
import type { Rng } from './prng';
import { userSegments } from './user-segments';
import { ACTIVITY_WEIGHTS, CALLS, DEMO_ACTIONS, EV, EVENT_NAMES, HOUR_WEIGHTS, PLANTED_DROP, POPULATION, RETENTION } from './story';

/** One written event, before formatting. */
export interface DayEvent {
  readonly ms: number;
  readonly user: number;
  readonly code: number;
  readonly duration: Duration | undefined;
}

const ORDINARY = ['message_posted', 'app_opened', 'call_ended', 'file_shared', 'integration_connected'] as const;
const ORDINARY_CODES = ORDINARY.map((e) => EV[e]);

/** Ordinary-activity weights for a user kind and days since sign-up, with in-window actions removed. */
function ordinaryWeights(kind: 'team' | 'solo', daysSinceEntry: number): number[] {
  const w = ACTIVITY_WEIGHTS[kind];
  return ORDINARY.map((e) => {
    const guarded = DEMO_ACTIONS.some((a) => a.event === e && a.multiplier !== null && daysSinceEntry < a.withinDays);
    return guarded ? 0 : (w[e] ?? 0);
  });
}

export class DaySimulator {
  private readonly users: readonly PlannedUser[];
  private readonly nextScheduled: Int32Array;
  private readonly lastEventDay: Int32Array;
  private readonly prefixes: string[];
  private readonly hourCdf: number[];
  /** [kind][min(daysSinceEntry, 7)] → weights over ORDINARY. */
  private readonly weights: Record<'team' | 'solo', number[][]>;
  private active: number[] = [];
  private nextEntrant = 0;

  /**
   * @param plan the population
   * @param firstWeekday weekday of day 0 (0 = Sunday)
   * @param scale intensity scale from `calibrateScale`
   * @param rng the events' own stream
   */
  constructor(
    private readonly plan: DemoPlan,
    private readonly firstWeekday: number,
    private readonly scale: number,
    private readonly rng: Rng,
  ) {
    this.users = plan.users;
    this.nextScheduled = new Int32Array(plan.users.length);
    this.lastEventDay = new Int32Array(plan.users.length).fill(-1);
    this.prefixes = plan.users.map((u, i) => userPrefix(u.id, u.account, userSegments(i)));
    let acc = 0;
    const total = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
    this.hourCdf = HOUR_WEIGHTS.map((w) => (acc += w / total));
    const phases = (kind: 'team' | 'solo') => Array.from({ length: 8 }, (_, rel) => ordinaryWeights(kind, rel));
    this.weights = { team: phases('team'), solo: phases('solo') };
  }

  /**
   * The events of day `day` (days must be simulated in order 0, 1, …), sorted by time.
   * @param dropDay the planted drop applies to this day's ordinary `message_posted`
   */
  simulate(day: number, dropDay: boolean): DayEvent[] {
    const { rng } = this;
    const w = (this.firstWeekday + day) % 7;
    const dayFactor = (w === 0 || w === 6 ? POPULATION.weekendFactor : 1) * Math.exp(POPULATION.dayNoiseSigma * rng.normal());

    // On day 0 this also lets in the warm-up users who signed up before the lake.
    while (this.nextEntrant < this.users.length && this.users[this.nextEntrant]!.entry <= day) this.active.push(this.nextEntrant++);
    this.active = this.active.filter((i) => this.users[i]!.until >= day);

    const out: DayEvent[] = [];
    const codes: number[] = [];
    const times: number[] = [];
    for (const i of this.active) {
      const u = this.users[i]!;
      codes.length = 0;
      let ptr = this.nextScheduled[i]!;
      while (ptr < u.scheduled.length && u.scheduled[ptr]![0] < day) ptr++; // before the lake
      while (ptr < u.scheduled.length && u.scheduled[ptr]![0] === day) codes.push(u.scheduled[ptr++]![1]);
      this.nextScheduled[i] = ptr;

      const rel = day - u.entry;
      if (day <= u.last && (rel === 0 || rng.chance(u.activity * dayFactor))) {
        const n = 1 + rng.poisson(eventsPerActiveDay(u.intensity, this.scale) - 1);
        const weights = this.weights[u.role === 'solo' ? 'solo' : 'team'][Math.min(rel, 7)]!;
        for (let k = 0; k < n; k++) {
          const code = ORDINARY_CODES[rng.weighted(weights)]!;
          if (dropDay && code === EV[PLANTED_DROP.event] && !rng.chance(PLANTED_DROP.keepRatio)) continue;
          codes.push(code);
        }
      }
      if (u.retained && rel === RETENTION.day && codes.length === 0 && this.lastEventDay[i]! < u.entry + RETENTION.day - RETENTION.windowDays + 1) {
        codes.push(EV.app_opened);
      }
      if (codes.length === 0) continue;

      this.lastEventDay[i] = day;
      times.length = 0;
      for (let k = 0; k < codes.length; k++) times.push(this.timeOfDay());
      times.sort((a, b) => a - b);
      for (let k = 0; k < codes.length; k++) {
        const code = codes[k]!;
        out.push({ ms: times[k]!, user: i, code, duration: code === EV.call_ended ? this.duration() : undefined });
      }
    }
    // Stable: same-millisecond events keep user order, so the output is deterministic.
    out.sort((a, b) => a.ms - b.ms);
    return out;
  }

  /** The JSON Lines text of `events` of calendar day `isoDay`, newline-terminated. */
  format(isoDay: string, events: readonly DayEvent[]): string {
    const lines = events.map((e) => eventLine(this.prefixes[e.user]!, EVENT_NAMES[e.code]!, eventTime(isoDay, e.ms), e.duration));
    lines.push('');
    return lines.join('\n');
  }

  private timeOfDay(): number {
    const x = this.rng.float();
    let hour = 0;
    while (hour < 23 && this.hourCdf[hour]! <= x) hour++;
    return hour * 3_600_000 + this.rng.int(3_600_000);
  }

  private duration(): Duration {
    const x = this.rng.float();
    if (x < CALLS.nullShare) return null;
    if (x < CALLS.nullShare + CALLS.garbageShare) return CALLS.garbageValue;
    const ms = Math.round(CALLS.medianMs * Math.exp(CALLS.sigma * this.rng.normal()));
    return Math.min(CALLS.maxMs, Math.max(1000, ms));
  }
}
