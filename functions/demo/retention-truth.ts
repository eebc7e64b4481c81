/**
 * What the candidate-lift test should find in the demo lake, tallied from the events as they are
 * written (not from the plan), with the definitions of docs/design.md §2: hit = the action's event on a
 * day in E … E+within-1; retained = any event on a day in E+R-W+1 … E+R.
 */
import type { PlannedUser } from './plan';
import { DEMO_ACTIONS, EV, RETENTION } from './story';

/** The 2×2 table of one candidate action over a set of users. */
export interface ActionTally {
  readonly id: string;
  readonly event: string;
  readonly within_days: number;
  /** The planted retention multiplier (null: not planted). */
  readonly planted_multiplier: number | null;
  readonly n_hit: number;
  readonly n_miss: number;
  readonly retained_hit: number;
  readonly retained_miss: number;
  /** `(retained_hit/n_hit) / (retained_miss/n_miss)`; null when a group is empty or rate_miss is 0. */
  readonly lift: number | null;
}

/** Tallies for users whose entry day lies in [`first`, `last`] (day indices). */
export interface CohortTally {
  /** First and last entry day, `YYYY-MM-DD`. */
  readonly start: string;
  readonly end: string;
  readonly users: number;
  readonly retained: number;
  readonly actions: readonly ActionTally[];
}

export class RetentionTruth {
  private readonly hits: Uint8Array;
  private readonly retained: Uint8Array;
  private readonly actionsByCode: number[][];

  constructor(private readonly users: readonly PlannedUser[]) {
    this.hits = new Uint8Array(users.length);
    this.retained = new Uint8Array(users.length);
    this.actionsByCode = Object.values(EV).map((code) =>
      DEMO_ACTIONS.flatMap((a, i) => (EV[a.event] === code ? [i] : [])),
    );
  }

  /** Records that user `user` did event `code` on day `day`. */
  observe(user: number, day: number, code: number): void {
    const rel = day - this.users[user]!.entry;
    if (rel > RETENTION.day - RETENTION.windowDays && rel <= RETENTION.day) this.retained[user] = 1;
    for (const i of this.actionsByCode[code]!) if (rel < DEMO_ACTIONS[i]!.withinDays) this.hits[user]! |= 1 << i;
  }

  /** The 2×2 tables of every demo action for users who entered on days `first` … `last`. */
  tally(first: number, last: number, dayName: (day: number) => string): CohortTally {
    const members = this.users.flatMap((u, i) => (u.entry >= first && u.entry <= last ? [i] : []));
    const actions = DEMO_ACTIONS.map((a, bit): ActionTally => {
      let nHit = 0;
      let rHit = 0;
      let rMiss = 0;
      for (const i of members) {
        const hit = (this.hits[i]! >> bit) & 1;
        nHit += hit;
        if (this.retained[i]) hit ? rHit++ : rMiss++;
      }
      const nMiss = members.length - nHit;
      const rateMiss = nMiss > 0 ? rMiss / nMiss : 0;
      return {
        id: a.id,
        event: a.event,
        within_days: a.withinDays,
        planted_multiplier: a.multiplier,
        n_hit: nHit,
        n_miss: nMiss,
        retained_hit: rHit,
        retained_miss: rMiss,
        lift: nHit > 0 && rateMiss > 0 ? rHit / nHit / rateMiss : null,
      };
    });
    return {
      start: dayName(first),
      end: dayName(last),
      users: members.length,
      retained: members.reduce((n, i) => n + this.retained[i]!, 0),
      actions,
    };
  }
}
