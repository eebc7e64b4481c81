/**
 * The population plan of the demo lake: who signs up when, into which team, which planted actions
 * each user does in their first days, whether they are retained at day 90, and how active they are.
 * Everything that decides a candidate lift is fixed here, before a single event is written, so the
 * planted effects are exact by construction:
 *
 * - retention is drawn from the planted actions only (`BASE_RETENTION` × multipliers);
 * - the null actions (`file_shared` and `app_opened` in the first 3 days) are coin flips drawn
 *   independently of everything else;
 * - inside an action's window (`E … E+withinDays-1`) its event comes only from the plan, never from
 *   ordinary activity (see `simulate-day.ts`), so "did the action" is exactly the planted flag;
 * - a non-retained user has no event after day E+83, a retained one stays active past E+90.
 *
 * Days are indices 0 … days-1 from the lake's first day; users of the warm-up (`POPULATION.warmupDays`)
 * signed up on negative days, and only their events on days >= 0 are written.
 */
import { BASE_RETENTION, DEMO_ACTIONS, EV, POPULATION, RETENTION, type Role } from './story';
import type { Rng } from './prng';

/** One user of the plan. */
export interface PlannedUser {
  /** `u0000001`, … in order of sign-up. */
  readonly id: string;
  /** Team id, or null for a solo user. */
  readonly account: string | null;
  readonly role: Role;
  /** Day of `signed_up` (E); negative for users who signed up before the lake. */
  readonly entry: number;
  /** Last day of ordinary activity (may lie past the lake's end). */
  readonly last: number;
  /** Last day with any event, ordinary or scheduled. */
  readonly until: number;
  /** The planted day-90 outcome. */
  readonly retained: boolean;
  /** Bit i set = the user does planted action `DEMO_ACTIONS[i]` within its window. */
  readonly actions: number;
  /** Probability of being active on a weekday (weekends × `weekendFactor`). */
  readonly activity: number;
  /** Mean events on an active day, before calibration to the requested total. */
  readonly intensity: number;
  /** Scheduled events `[day, eventCode]`, sorted by day; entry events first on day E. */
  readonly scheduled: ReadonlyArray<readonly [number, number]>;
}

export interface DemoPlan {
  /** Lake length; users of the warm-up have negative entry days. */
  readonly days: number;
  /** Sorted by entry day. */
  readonly users: readonly PlannedUser[];
  /** Teams and solo users planned, warm-up included (the lake's summary counts what it wrote). */
  readonly teams: number;
  readonly soloUsers: number;
}

/** A user while the plan is being built (ids are given once everyone is sorted by sign-up). */
interface Draft {
  account: string | null;
  role: Role;
  entry: number;
  order: number;
  last: number;
  retained: boolean;
  actions: number;
  activity: number;
  intensity: number;
  scheduled: Array<[number, number]>;
}

const bitOf = (event: string) => 1 << DEMO_ACTIONS.findIndex((a) => a.event === event && a.multiplier !== null);
const PAY = bitOf('payment_completed');
const INTEGRATION = bitOf('integration_connected');
const INVITE = bitOf('member_invited');

/**
 * Draws a population.
 * @param rng the plan's own stream
 * @param days lake length
 * @param firstWeekday weekday of day 0 (0 = Sunday)
 * @param teamRate mean teams created per weekday on the lake's first day (grows by `POPULATION.growth`
 *   over the lake, on the same exponential curve before it)
 */
export function planPopulation(rng: Rng, days: number, firstWeekday: number, teamRate: number): DemoPlan {
  const weekdayOf = (day: number) => (((firstWeekday + day) % 7) + 7) % 7;
  const isWeekend = (day: number) => weekdayOf(day) === 0 || weekdayOf(day) === 6;
  const drafts: Draft[] = [];
  const teamsOfDrafts: Draft[][] = [];
  let teams = 0;
  let soloUsers = 0;

  for (let day = -POPULATION.warmupDays; day < days; day++) {
    const rate = teamRate * POPULATION.growth ** (day / Math.max(1, days - 1)) * (isWeekend(day) ? POPULATION.weekendFactor : 1);
    const newTeams = arrivals(rng, rate);
    for (let t = 0; t < newTeams; t++) {
      teams++;
      const account = `t${String(teams).padStart(6, '0')}`;
      const team = [newDraft(rng, drafts.length, account, 'creator', day)];
      drafts.push(team[0]!);
      const extra = Math.min(POPULATION.maxExtraMembers, Math.floor(rng.exponential(POPULATION.meanExtraMembers)));
      for (let m = 0; m < extra; m++) {
        let join = day + Math.floor(rng.exponential(POPULATION.meanJoinDelay));
        // Fewer people accept invitations at weekends: some wait for Monday.
        if (isWeekend(join) && !rng.chance(POPULATION.weekendFactor)) join += weekdayOf(join) === 6 ? 2 : 1;
        if (join >= days) continue;
        const member = newDraft(rng, drafts.length, account, 'member', join);
        team.push(member);
        drafts.push(member);
      }
      teamsOfDrafts.push(team);
    }
    const solos = arrivals(rng, rate * POPULATION.soloPerTeam);
    for (let s = 0; s < solos; s++) {
      drafts.push(newDraft(rng, drafts.length, null, 'solo', day));
      soloUsers++;
    }
  }

  for (const team of teamsOfDrafts) scheduleTeamInvites(team);
  for (const d of drafts) scheduleActions(rng, d);

  drafts.sort((a, b) => a.entry - b.entry || a.order - b.order);
  const users = drafts.map((d, i): PlannedUser => {
    // Stable sort keeps each day's entry events (pushed first) ahead of the rest.
    d.scheduled.sort((a, b) => a[0] - b[0]);
    const lastScheduled = d.scheduled.length ? d.scheduled[d.scheduled.length - 1]![0] : d.entry;
    return {
      id: `u${String(i + 1).padStart(7, '0')}`,
      account: d.account,
      role: d.role,
      entry: d.entry,
      last: d.last,
      until: Math.max(d.last, lastScheduled),
      retained: d.retained,
      actions: d.actions,
      activity: d.activity,
      intensity: d.intensity,
      scheduled: d.scheduled,
    };
  });
  return { days, users, teams, soloUsers };
}

/**
 * Sign-ups on a day with mean `rate`: the rate times a log-normal day factor, rounded up or down
 * at random (`floor(x + U)`, whose mean is x). Less scattered than a Poisson count on purpose:
 * `new_teams` is a count of a few dozen a week, and Poisson noise alone would make it "drop" 10%
 * on some nights, burying the planted drop under false alarms in a demo.
 */
function arrivals(rng: Rng, rate: number): number {
  return Math.floor(rate * Math.exp(POPULATION.signupNoiseSigma * rng.normal()) + rng.float());
}

/** Draws a user's planted actions, outcome, lifetime and activity. */
function newDraft(rng: Rng, order: number, account: string | null, role: Role, entry: number): Draft {
  let actions = 0;
  let retention = BASE_RETENTION;
  DEMO_ACTIONS.forEach((a, i) => {
    if (a.takeUp === null || a.multiplier === null) return;
    if (rng.chance(a.takeUp[role])) {
      actions |= 1 << i;
      retention *= a.multiplier;
    }
  });
  const retained = rng.chance(retention);
  const lastDay = RETENTION.day - RETENTION.windowDays; // E+83: the last day before the outcome window
  const last = retained
    ? entry + RETENTION.day + Math.floor(rng.exponential(POPULATION.meanExtraLife))
    : entry + Math.min(lastDay, Math.floor(rng.exponential(POPULATION.meanChurnDay)));
  const activity = role === 'solo' ? rng.uniform(0.2, 0.6) : rng.uniform(0.3, 0.85);
  const intensity = 1.5 + rng.exponential(3);
  const scheduled: Array<[number, number]> = [[entry, EV.signed_up]];
  if (role === 'creator') scheduled.push([entry, EV.team_created]);
  return { account, role, entry, order, last, retained, actions, activity, intensity, scheduled };
}

/**
 * Gives every member who joins a team an invitation from a teammate on the join day: the creator
 * when eligible, else the earliest eligible member. Eligible = already joined, still active, and
 * either past their own first week or planted to invite in it (so `member_invited_d7` stays
 * exactly the planted flag). With nobody eligible the member joined through a shared link.
 */
function scheduleTeamInvites(team: Draft[]): void {
  const byJoin = [...team].sort((a, b) => a.entry - b.entry || a.order - b.order);
  for (const joiner of byJoin) {
    if (joiner.role === 'creator') continue;
    const day = joiner.entry;
    const inviter = byJoin.find(
      (u) =>
        u !== joiner &&
        u.entry <= day &&
        day <= u.last &&
        (day - u.entry >= 7 || (u.actions & INVITE) !== 0),
    );
    inviter?.scheduled.push([day, EV.member_invited]);
  }
}

/**
 * Schedules each planted action the user does (the null ones included: `newDraft` drew them as coin
 * flips that touch nothing else) on a day inside its window, unless a team invitation already put
 * it there; then renewals for payers and a few late integrations, all outside the windows.
 */
function scheduleActions(rng: Rng, d: Draft): void {
  DEMO_ACTIONS.forEach((a, i) => {
    if ((d.actions & (1 << i)) === 0) return;
    const inWindow = d.scheduled.some(([day, code]) => code === EV[a.event] && day - d.entry < a.withinDays);
    if (!inWindow) d.scheduled.push([d.entry + rng.int(a.withinDays), EV[a.event]]);
  });
  if ((d.actions & PAY) !== 0) {
    const first = d.scheduled.find(([, code]) => code === EV.payment_completed)![0];
    for (let day = first + POPULATION.renewalDays; day <= d.last; day += POPULATION.renewalDays) {
      d.scheduled.push([day, EV.payment_completed]);
    }
  }
  if ((d.actions & INTEGRATION) !== 0 && rng.chance(0.3) && d.entry + 30 <= d.last) {
    // Some connect a second integration later on; outside the window it changes nothing.
    d.scheduled.push([d.entry + 30 + rng.int(Math.min(60, d.last - d.entry - 29)), EV.integration_connected]);
  }
}

/**
 * The expected number of active days each user has inside the lake: the signup day always,
 * then `activity` on weekdays and `activity × weekendFactor` at weekends.
 */
export function expectedActiveDays(plan: DemoPlan, firstWeekday: number): Float64Array {
  const out = new Float64Array(plan.users.length);
  plan.users.forEach((u, i) => {
    let sum = u.entry >= 0 ? 1 : 0;
    const end = Math.min(u.last, plan.days - 1);
    for (let day = Math.max(u.entry + 1, 0); day <= end; day++) {
      const w = (firstWeekday + day) % 7;
      sum += u.activity * (w === 0 || w === 6 ? POPULATION.weekendFactor : 1);
    }
    out[i] = sum;
  });
  return out;
}

/** Expected events of an active day for a user of mean `intensity` once scaled by `scale`. */
export function eventsPerActiveDay(intensity: number, scale: number): number {
  return 1 + Math.max(0, intensity * scale - 1);
}

/** Scheduled events that fall inside the lake. */
export function scheduledInLake(plan: DemoPlan): number {
  let n = 0;
  for (const u of plan.users) for (const [day] of u.scheduled) if (day >= 0 && day < plan.days) n++;
  return n;
}

/**
 * The intensity scale that makes the plan's expected total equal `target` (bisection on a
 * monotone function); clamped to [0.05, 50] when the target is out of reach.
 */
export function calibrateScale(plan: DemoPlan, firstWeekday: number, target: number): number {
  const activeDays = expectedActiveDays(plan, firstWeekday);
  const fixed = scheduledInLake(plan);
  const total = (scale: number) => {
    let sum = fixed;
    plan.users.forEach((u, i) => (sum += activeDays[i]! * eventsPerActiveDay(u.intensity, scale)));
    return sum;
  };
  let lo = 0.05;
  let hi = 50;
  if (total(lo) >= target) return lo;
  if (total(hi) <= target) return hi;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The plan's expected total at intensity scale 1 (used to size the population). */
export function expectedTotal(plan: DemoPlan, firstWeekday: number): number {
  const activeDays = expectedActiveDays(plan, firstWeekday);
  let sum = scheduledInLake(plan);
  plan.users.forEach((u, i) => (sum += activeDays[i]! * eventsPerActiveDay(u.intensity, 1)));
  return sum;
}
