/** A small metric tree and history builders shared by the drill-down and evaluate-night tests. */
import type { HistoryNight, NightHistory } from '../../../../functions/core/baseline/history';
import { sameWeekdayDays } from '../../../../functions/core/baseline/same-weekday';
import type { MetricConfig, NsmConfig } from '../../../../functions/core/config/types';
import { lakeConfig, testConfig } from '../../../support/config';

const ev = { events: ['message_posted'], window_days: 7 } as const;

export const METRICS: MetricConfig[] = [
  { id: 'posting_teams', name: 'Weekly active teams with 3+ members posting', type: 'active_accounts', min_users: 3, ...ev },
  { id: 'new_teams', name: 'New teams', type: 'distinct_accounts', ...ev },
  { id: 'weekly_active_users', name: 'Weekly active users', type: 'distinct_users', ...ev },
  { id: 'signups', name: 'Signups', type: 'count', ...ev },
  { id: 'messages_posted', name: 'Messages posted', type: 'count', ...ev },
  { id: 'posts_per_user', name: 'Posts per active user', type: 'ratio', numerator: 'messages_posted', denominator: 'weekly_active_users' },
  { id: 'unrelated', name: 'Not in the tree', type: 'count', ...ev },
];

/** posting_teams → [new_teams, weekly_active_users → [signups], posts_per_user]. */
export function nightConfig(alerts: Partial<NsmConfig['alerts']> = {}): NsmConfig {
  return testConfig({
    lake: lakeConfig('/lake'),
    results: '/results',
    metrics: METRICS,
    north_star: 'posting_teams',
    tree: { posting_teams: ['new_teams', 'weekly_active_users', 'posts_per_user'], weekly_active_users: ['signups'] },
    alerts,
  });
}

/** The usual value of each metric; earlier weeks vary around it by ±1%. */
export const USUAL: Record<string, number> = {
  posting_teams: 1000,
  new_teams: 200,
  weekly_active_users: 5000,
  signups: 400,
  messages_posted: 20000,
  posts_per_user: 4,
  unrelated: 10,
};

/** History of `weeks` earlier same-weekday nights with the usual values (wiggled) and `events` events each. */
export function history(
  dt: string,
  weeks = 4,
  events = 10_000,
  edit: (n: HistoryNight, i: number) => HistoryNight = (n) => n,
): NightHistory {
  const wiggle = [1, 1.01, 0.99, 1.005, 0.995, 1.002];
  return {
    dt,
    warnings: [],
    unusable: [],
    nights: sameWeekdayDays(dt, weeks).map((d, i) =>
      edit(
        {
          dt: d,
          metrics: new Map(Object.entries(USUAL).map(([id, v]) => [id, v * wiggle[i % wiggle.length]!])),
          dayEvents: events * wiggle[i % wiggle.length]!,
          partitionMissing: false,
          partitionEmpty: false,
        },
        i,
      ),
    ),
  };
}

/** Tonight's values: the usual ones with `changes` applied. */
export function values(changes: Record<string, number | null> = {}): Map<string, number | null> {
  return new Map(Object.entries({ ...USUAL, ...changes }));
}
