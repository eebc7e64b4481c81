/**
 * The demo's product story in numbers: a team messaging product whose lake has the events below,
 * with retention effects and a one-day drop planted on purpose so that `nsm demo` has something
 * to find. Every tunable of the generator lives here, so the config, the generator, the tests and
 * docs/demo.md tell the same story.
 */

/** Every event name the demo lake contains, in a fixed order (the generator uses the index as a code). */
export const EVENT_NAMES = [
  'signed_up',
  'team_created',
  'member_invited',
  'message_posted',
  'call_ended',
  'file_shared',
  'integration_connected',
  'payment_completed',
  'app_opened',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Event codes: `EV.message_posted` is the index of `'message_posted'` in {@link EVENT_NAMES}. */
export const EV = Object.fromEntries(EVENT_NAMES.map((name, i) => [name, i])) as { readonly [K in EventName]: number };

/** The candidate-lift settings of the demo config (docs/design.md §2 "Candidate lifts"). */
export const RETENTION = {
  entryEvent: 'signed_up',
  /** R: the outcome is any event on days E+R-W+1 … E+R. */
  day: 90,
  /** W. */
  windowDays: 7,
  /** C: the cohort of night D entered on D-R-C+1 … D-R. */
  cohortDays: 28,
} as const;

/**
 * Probability that a user who did none of the planted actions is retained. Retention is
 * `BASE_RETENTION` times the multiplier of every planted action the user did, so each action's
 * lift (rate with / rate without) is its multiplier whatever the other actions do: the planted
 * actions are drawn independently of one another.
 */
export const BASE_RETENTION = 0.13;

/** Who a user is in the story; only `member_invited`'s take-up depends on it. */
export type Role = 'creator' | 'member' | 'solo';

/** A candidate action of the demo config and what the generator plants for it. */
export interface DemoAction {
  readonly id: string;
  readonly event: EventName;
  readonly withinDays: number;
  /**
   * Retention multiplier planted for users who did the action within `withinDays` of signing up
   * (1 = a null action: drawn independently of retention). `null` = not planted: the action happens
   * as part of ordinary activity, so its lift is whatever the activity pattern makes it.
   */
  readonly multiplier: number | null;
  /** Share of users who do it in their first `withinDays` days, by role (planted actions only). */
  readonly takeUp: Readonly<Record<Role, number>> | null;
  /** One line for docs and logs. */
  readonly story: string;
}

/** The six candidate actions of the demo config, in config order. */
export const DEMO_ACTIONS: readonly DemoAction[] = [
  {
    id: 'payment_completed_d7',
    event: 'payment_completed',
    withinDays: 7,
    multiplier: 3,
    takeUp: { creator: 0.18, member: 0.18, solo: 0.18 },
    story: 'paying in week one triples day-90 retention (strong)',
  },
  {
    id: 'integration_connected_d7',
    event: 'integration_connected',
    withinDays: 7,
    multiplier: 1.5,
    takeUp: { creator: 0.2, member: 0.2, solo: 0.2 },
    story: 'connecting an integration in week one: 1.5x retention (real, below min_lift)',
  },
  {
    id: 'member_invited_d7',
    event: 'member_invited',
    withinDays: 7,
    multiplier: 1.35,
    takeUp: { creator: 0.45, member: 0.15, solo: 0 },
    story: 'inviting a teammate in week one: 1.35x retention (weak)',
  },
  {
    id: 'file_shared_d3',
    event: 'file_shared',
    withinDays: 3,
    multiplier: 1,
    takeUp: { creator: 0.35, member: 0.35, solo: 0.35 },
    story: 'sharing a file in the first 3 days: no effect (null action)',
  },
  {
    id: 'app_opened_d3',
    event: 'app_opened',
    withinDays: 3,
    multiplier: 1,
    takeUp: { creator: 0.5, member: 0.5, solo: 0.5 },
    story: 'opening the desktop app in the first 3 days: no effect (null action)',
  },
  {
    id: 'call_ended_d7',
    event: 'call_ended',
    withinDays: 7,
    multiplier: null,
    takeUp: null,
    story: 'a call in week one: not planted; early churners simply make fewer calls',
  },
];

/** The planted one-day drop: on the lake's last day, half of the posts never arrive. */
export const PLANTED_DROP = {
  event: 'message_posted' as EventName,
  /** Share of the day's `message_posted` events kept. */
  keepRatio: 0.5,
  story: 'composer broken on mobile: about half of the posts fail on the last day',
} as const;

/** Calls: duration in ms is log-normal around 8 minutes; some values are null or garbage. */
export const CALLS = {
  medianMs: 8 * 60_000,
  sigma: 0.7,
  maxMs: 4 * 3_600_000,
  nullShare: 0.06,
  garbageShare: 0.015,
  garbageValue: 'n/a',
} as const;

/** Shape of the population. */
export const POPULATION = {
  /** Team sign-ups per day grow by this factor from the first to the last day of the lake. */
  growth: 2,
  /**
   * The product is older than the lake: users sign up (on the same growth curve) this many days
   * before the lake's first day, so the lake opens on a settled user base instead of an empty
   * product. Their sign-ups are not in the lake, so they are never in a candidates cohort. Without
   * it the active base would still be ramping up at the lake's end, growing so fast week on week
   * that the same-weekday baseline's spread would hide the planted drop.
   */
  warmupDays: 365,
  /** Weekend days keep this share of weekday sign-ups and activity ("~40% lower"). */
  weekendFactor: 0.6,
  /** Solo sign-ups (no team: null account_id) per team created. */
  soloPerTeam: 0.4,
  /** Members beyond the creator: exponential with this mean, capped. */
  meanExtraMembers: 4.5,
  maxExtraMembers: 40,
  /** Days from team creation to a member joining: exponential with this mean. */
  meanJoinDelay: 12,
  /** Non-retained users stop within E … E+83: exponential with this mean, in days. */
  meanChurnDay: 20,
  /** Retained users stay past E+90 for an exponential number of days with this mean. */
  meanExtraLife: 100,
  /** Paying users renew every this many days while active. */
  renewalDays: 30,
  /** Day-to-day noise of sign-ups: log-normal sigma of the day's rate (see `arrivals` in plan.ts). */
  signupNoiseSigma: 0.1,
  /** Day-to-day noise of activity: log-normal sigma of a multiplier shared by everyone that day. */
  dayNoiseSigma: 0.035,
} as const;

/**
 * Weights of ordinary activity by event, for team users and solo users (solo users post notes to
 * themselves and rarely call). `payment_completed`, `member_invited`, `signed_up` and
 * `team_created` never come from ordinary activity: they are scheduled by the plan.
 */
export const ACTIVITY_WEIGHTS: Readonly<Record<'team' | 'solo', Readonly<Partial<Record<EventName, number>>>>> = {
  team: { message_posted: 0.58, app_opened: 0.16, call_ended: 0.12, file_shared: 0.12, integration_connected: 0.02 },
  solo: { message_posted: 0.55, app_opened: 0.25, call_ended: 0.03, file_shared: 0.15, integration_connected: 0.02 },
};

/** Relative activity by UTC hour: a working day centred on Europe and the Americas. */
export const HOUR_WEIGHTS: readonly number[] = [
  2, 1.5, 1, 1, 1, 1.5, 3, 5, 8, 10, 10, 9, 8, 9, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2.5,
];
