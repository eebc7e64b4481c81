import { describe, expect, it } from 'vitest';
import { driversFor } from '../../../../functions/core/alerts/drill-down';
import type { MetricRow } from '../../../../functions/core/results/rows';
import { nightConfig } from './night-fixture';

function rows(changes: Record<string, number | null>): Map<string, MetricRow> {
  const config = nightConfig();
  return new Map(
    config.metrics.map((m) => {
      const change = changes[m.id] ?? 0;
      const row: MetricRow = {
        dt: '2024-03-31',
        metric_id: m.id,
        name: m.name,
        type: m.type,
        value: change === null ? null : 100 + change,
        is_north_star: m.id === config.north_star,
        parent_id: null,
        baseline: 100,
        change_pct: change,
        robust_z: null,
        status: change !== null && change <= -10 ? 'drop' : 'ok',
        contribution: null,
        contribution_pct: null,
        identity_residual_pct: null,
      };
      return [m.id, row];
    }),
  );
}

describe('driversFor', () => {
  it('lists every descendant, recursively, with depth, value, baseline, change and status', () => {
    const drivers = driversFor(nightConfig(), 'posting_teams', rows({ new_teams: -40 }));
    expect(drivers.map((d) => [d.metric_id, d.depth])).toEqual([
      ['new_teams', 1],
      ['weekly_active_users', 1],
      ['signups', 2],
      ['posts_per_user', 1],
    ]);
    expect(drivers[0]).toEqual({
      metric_id: 'new_teams',
      name: 'New teams',
      depth: 1,
      value: 60,
      baseline: 100,
      change_pct: -40,
      status: 'drop',
      contribution: null,
      contribution_pct: null,
    });
  });

  it("carries each driver's part of its parent's change from the metric row", () => {
    const byId = rows({ new_teams: -40 });
    byId.set('new_teams', { ...byId.get('new_teams')!, contribution: -40, contribution_pct: 80 });
    const drivers = driversFor(nightConfig(), 'posting_teams', byId);
    expect(drivers[0]).toMatchObject({ metric_id: 'new_teams', contribution: -40, contribution_pct: 80 });
    expect(drivers[1]).toMatchObject({ contribution: null, contribution_pct: null });
  });

  it('sorts by the size of the move across all levels, rises and falls alike, nulls last', () => {
    const drivers = driversFor(
      nightConfig(),
      'posting_teams',
      rows({ new_teams: null, weekly_active_users: -5, signups: -30, posts_per_user: 12 }),
    );
    expect(drivers.map((d) => d.metric_id)).toEqual(['signups', 'posts_per_user', 'weekly_active_users', 'new_teams']);
  });

  it('keeps the tree order (parent before child) between equal moves', () => {
    const drivers = driversFor(
      nightConfig(),
      'posting_teams',
      rows({ new_teams: 1, weekly_active_users: -20, signups: 20, posts_per_user: -1 }),
    );
    expect(drivers.map((d) => d.metric_id)).toEqual(['weekly_active_users', 'signups', 'new_teams', 'posts_per_user']);
  });

  it('attaches the numerator and denominator moves to a ratio driver', () => {
    const drivers = driversFor(nightConfig(), 'posting_teams', rows({ messages_posted: -25, weekly_active_users: 2 }));
    const ratio = drivers.find((d) => d.metric_id === 'posts_per_user')!;
    expect(ratio.parts?.numerator).toMatchObject({ metric_id: 'messages_posted', depth: 2, change_pct: -25, value: 75 });
    expect(ratio.parts?.denominator).toMatchObject({ metric_id: 'weekly_active_users', depth: 2, change_pct: 2 });
    expect(drivers.filter((d) => d.parts !== undefined)).toHaveLength(1);
  });

  it('returns the subtree of a metric below the root, and nothing for a leaf', () => {
    const config = nightConfig();
    expect(driversFor(config, 'weekly_active_users', rows({})).map((d) => [d.metric_id, d.depth])).toEqual([['signups', 1]]);
    expect(driversFor(config, 'signups', rows({}))).toEqual([]);
    expect(driversFor(config, 'unrelated', rows({}))).toEqual([]);
  });
});
