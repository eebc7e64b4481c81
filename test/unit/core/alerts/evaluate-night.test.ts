import { describe, expect, it } from 'vitest';
import { SMS_MAX, SUBJECT_MAX } from '../../../../functions/core/alerts/alert-text';
import { evaluateNight, type NightInput } from '../../../../functions/core/alerts/evaluate-night';
import { emptyHistory } from '../../../../functions/core/baseline/history';
import type { MetricRow } from '../../../../functions/core/results/rows';
import { history, nightConfig, values } from './night-fixture';

const DT = '2024-03-31';
const base = (over: Partial<NightInput> = {}): NightInput => ({
  config: nightConfig(),
  dt: DT,
  values: values(),
  dayEvents: 10_000,
  partitionMissing: false,
  partitionEmpty: false,
  history: history(DT),
  earlier: { rows: [], unusable: [] },
  reportUri: '/results/reports/dt=2024-03-31/report.html',
  ...over,
});

describe('evaluateNight', () => {
  it('writes one row per configured metric, in config order, with tree parents and north star', () => {
    const { metrics, data, alerts } = evaluateNight(base());
    expect(metrics.map((m) => m.metric_id)).toEqual(nightConfig().metrics.map((m) => m.id));
    expect(metrics.every((m) => m.status === 'ok' && m.dt === DT)).toBe(true);
    const byId = new Map(metrics.map((m) => [m.metric_id, m]));
    expect(byId.get('posting_teams')).toMatchObject({ is_north_star: true, parent_id: null, type: 'active_accounts' });
    expect(byId.get('signups')).toMatchObject({ is_north_star: false, parent_id: 'weekly_active_users' });
    expect(byId.get('messages_posted')).toMatchObject({ parent_id: null }); // only a ratio's numerator, not in the tree
    // Same-weekday history 1000·[1, 1.01, 0.99, 1.005]: np.median = 1002.5
    expect(byId.get('posting_teams')!.baseline).toBeCloseTo(1002.5, 9);
    expect(data).toMatchObject({ status: 'complete', day_events: 10_000 });
    expect(alerts).toEqual([]);
  });

  it('alerts on a watched metric that dropped, with its drivers, largest move first', () => {
    const { metrics, alerts } = evaluateNight(
      base({ values: values({ posting_teams: 700, signups: 200, weekly_active_users: 4000, posts_per_user: 5 }) }),
    );
    const row = metrics.find((m) => m.metric_id === 'posting_teams')!;
    expect(row.status).toBe('drop');
    // Every watched metric that dropped alerts: the NSM, weekly_active_users and signups (watch = NSM + tree).
    expect(alerts.map((a) => [a.kind, a.metric_id])).toEqual([
      ['drop', 'posting_teams'],
      ['drop', 'weekly_active_users'],
      ['drop', 'signups'],
    ]);
    const nsm = alerts[0]!;
    expect(nsm).toMatchObject({ dt: DT, value: 700, baseline: row.baseline, change_pct: row.change_pct, robust_z: row.robust_z });
    expect(nsm.drivers.map((d) => d.metric_id)).toEqual(['signups', 'posts_per_user', 'weekly_active_users', 'new_teams']);
    expect(nsm.drivers[0]).toMatchObject({ depth: 2, status: 'drop', value: 200 });
    expect(nsm.drivers[1]!.parts?.denominator).toMatchObject({ metric_id: 'weekly_active_users', value: 4000 });
    expect(nsm.subject).toContain('Weekly active teams with 3+ members posting');
    expect(nsm.message).toContain('1. Signups (signups) (level 2): 200 vs 401 (-50.1%) [drop]'); // median(400·[1, 1.01, 0.99, 1.005]) = 401
    expect(nsm.message).toContain('Report: /results/reports/dt=2024-03-31/report.html');
    expect(nsm.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(nsm.sms.length).toBeLessThanOrEqual(SMS_MAX);
  });

  it('alerts only for watched metrics, but records every status', () => {
    const { metrics, alerts } = evaluateNight(
      base({ config: nightConfig({ watch: ['new_teams'] }), values: values({ posting_teams: 500, unrelated: 1 }) }),
    );
    expect(metrics.filter((m) => m.status === 'drop').map((m) => m.metric_id)).toEqual(['posting_teams', 'unrelated']);
    expect(alerts).toEqual([]);
  });

  it('passes the console URL into the texts', () => {
    const { alerts } = evaluateNight(base({ values: values({ new_teams: 10 }), consoleUrl: 'https://x.io/r' }));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.message).toContain('Open:   https://x.io/r');
    expect(alerts[0]!.sms).toContain('https://x.io/r');
    expect(alerts[0]!.drivers).toEqual([]);
  });

  it('on low volume marks every metric data_incomplete and sends exactly one data_incomplete alert, no drops', () => {
    const { metrics, data, alerts } = evaluateNight(base({ dayEvents: 2_000, values: values({ posting_teams: 200, new_teams: 40 }) }));
    expect(data.status).toBe('incomplete');
    // History counts 10000·[1, 1.01, 0.99, 1.005]: np.median = 10025.0
    expect(data.baseline_events).toBeCloseTo(10_025, 9);
    expect(data.ratio).toBeCloseTo(2000 / 10_025, 12);
    expect(metrics.every((m) => m.status === 'data_incomplete')).toBe(true);
    // The numbers are still recorded.
    expect(metrics.find((m) => m.metric_id === 'posting_teams')!.change_pct).toBeCloseTo(-80.05, 2);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      dt: DT,
      kind: 'data_incomplete',
      metric_id: null,
      value: 2000,
      baseline: data.baseline_events,
      robust_z: null,
      drivers: [],
    });
    expect(alerts[0]!.change_pct).toBeCloseTo((100 * (2000 - 10_025)) / 10_025, 9);
    expect(alerts[0]!.subject).toBe('[nsm] Data incomplete 2024-03-31: 2k events, 19.9% of usual 10k');
  });

  it('treats a missing partition as incomplete even without history', () => {
    const { metrics, data, alerts } = evaluateNight(base({ dayEvents: 0, partitionMissing: true, history: emptyHistory(DT) }));
    expect(data).toEqual({
      day_events: 0,
      partition_missing: true,
      partition_empty: false,
      baseline_events: null,
      ratio: null,
      status: 'incomplete',
    });
    expect(metrics.every((m) => m.status === 'data_incomplete')).toBe(true);
    expect(alerts.map((a) => a.kind)).toEqual(['data_incomplete']);
    expect(alerts[0]!.subject).toContain('partition dt=2024-03-31 missing');
  });

  it('without enough history: insufficient_history everywhere, freshness unknown, no alert', () => {
    const { metrics, data, alerts } = evaluateNight(
      base({ history: history(DT, 3), dayEvents: 100, values: values({ posting_teams: 1 }) }),
    );
    expect(data.status).toBe('unknown');
    expect(metrics.every((m) => m.status === 'insufficient_history')).toBe(true);
    expect(alerts).toEqual([]);
  });

  it('skips history nights whose metrics are missing, and a missing metric tonight is null', () => {
    const h = history(DT, 5, 10_000, (n, i) => (i === 1 ? { ...n, metrics: null } : n));
    const { metrics } = evaluateNight(
      base({ config: nightConfig({ baseline_weeks: 5 }), history: h, values: new Map([['posting_teams', 900]]) }),
    );
    // 4 of 5 weeks usable → insufficient_history; the baseline is the median of the 4 usable weeks
    // (1000, 990, 1005, 995 → 997.5), where counting the missing night as 0 would give 995.
    expect(metrics.find((m) => m.metric_id === 'posting_teams')).toMatchObject({ status: 'insufficient_history', baseline: 997.5 });
    expect(metrics.find((m) => m.metric_id === 'new_teams')).toMatchObject({ value: null, change_pct: null });
  });

  it("leaves an earlier incident's drop nights and incomplete nights out of the baseline, looking back up to 2 × baseline_weeks", () => {
    // Weeks 1-2 the NSM was at 600 (drop), week 3 incomplete (300): the baseline is weeks 4-7.
    const levels = [600, 610, 300, 1000, 1010, 990, 1005, 700];
    const statuses = ['drop', 'drop', 'data_incomplete', 'ok', 'ok', 'ok', 'ok', 'ok'] as const;
    const h = history(DT, 8, 10_000, (n, i) => ({
      ...n,
      metrics: new Map([...n.metrics!, ['posting_teams', levels[i]!]]),
      statuses: new Map([['posting_teams', statuses[i]!]]),
    }));
    const { metrics, alerts } = evaluateNight(base({ history: h, values: values({ posting_teams: 620 }) }));
    // np.median([1000, 1010, 990, 1005]) = 1002.5 (the dirty nights would give np.median([600, 610, 300, 1000]) = 605)
    expect(metrics.find((m) => m.metric_id === 'posting_teams')).toMatchObject({ status: 'drop', baseline: 1002.5 });
    expect(alerts.map((a) => a.metric_id)).toEqual(['posting_teams']);
    // The alert says what its baseline is made of.
    expect(alerts[0]!.message).toContain('(median of the last 4 same-weekday nights without a drop or incomplete data)');
  });

  it("takes a segment's usual share from the metric's clean baseline nights only (not a drop night's, not an incomplete one's)", () => {
    // Weeks 1-2 dropped with all of posting_teams on ios, week 3 incomplete, weeks 4-7 clean at ios 50% / android 50%.
    const levels = [600, 610, 300, 1000, 1010, 990, 1005, 700];
    const statuses = ['drop', 'drop', 'data_incomplete', 'ok', 'ok', 'ok', 'ok', 'ok'] as const;
    const split = (level: number, i: number) => (i < 3 ? { ios: level, android: 0 } : { ios: level / 2, android: level / 2 });
    const h = history(DT, 8, 10_000, (n, i) => ({
      ...n,
      metrics: new Map([...n.metrics!, ['posting_teams', levels[i]!]]),
      statuses: new Map([['posting_teams', statuses[i]!]]),
      segments: new Map([['posting_teams', new Map([['platform', new Map(Object.entries(split(levels[i]!, i)))]])]]),
    }));
    const config = { ...nightConfig({ watch: ['posting_teams'] }), segments: { dimensions: ['platform'], max_values: 20 } };
    const tonight = new Map([
      [
        'posting_teams',
        new Map([
          [
            'platform',
            new Map([
              ['ios', 500],
              ['android', 120],
            ]),
          ],
        ]),
      ],
    ]);
    const { segments } = evaluateNight(base({ config, history: h, values: values({ posting_teams: 620 }), segmentValues: tonight }));
    const android = segments.find((r) => r.metric_id === 'posting_teams' && r.segment === 'android')!;
    // Clean nights (1000, 1010, 990, 1005): android 50% (with the drop and incomplete nights it would be 1502.5 / 5515 = 27%);
    // baseline = 50% of np.median([1000, 1010, 990, 1005]) = 501.25; contribution = 100 * (120 - 501.25) / (620 - 1002.5).
    expect(android.baseline_share_pct).toBeCloseTo(50, 12);
    expect(android.baseline).toBeCloseTo(501.25, 9);
    expect(android.contribution_pct).toBeCloseTo((100 * (120 - 501.25)) / (620 - 1002.5), 9);
    expect(android.rank).toBe(1);
  });

  it("judges a metric with its own alert overrides, and its alert shows the metric's thresholds", () => {
    const cfg = nightConfig();
    const withOverrides = {
      ...cfg,
      metrics: cfg.metrics.map((m) => {
        if (m.id === 'posting_teams') return { ...m, alert: { min_drop_pct: 50, min_robust_z: undefined, min_value: undefined } };
        if (m.id === 'signups') return { ...m, alert: { min_drop_pct: 25, min_robust_z: 2, min_value: undefined } };
        // baseline ~5000 is below the floor: no drop, however far it falls
        if (m.id === 'weekly_active_users') return { ...m, alert: { min_drop_pct: undefined, min_robust_z: undefined, min_value: 6000 } };
        return m;
      }),
    };
    const drops = values({ posting_teams: 700, signups: 200, weekly_active_users: 1000 });
    // Without overrides all three drop (see above).
    expect(evaluateNight(base({ values: drops })).alerts.map((a) => a.metric_id)).toEqual([
      'posting_teams',
      'weekly_active_users',
      'signups',
    ]);
    const { metrics, alerts } = evaluateNight(base({ config: withOverrides, values: drops }));
    const status = (id: string) => metrics.find((m) => m.metric_id === id)!.status;
    expect(status('posting_teams')).toBe('ok'); // -30% is not -50%
    expect(status('weekly_active_users')).toBe('ok'); // below min_value
    expect(status('signups')).toBe('drop');
    expect(alerts.map((a) => a.metric_id)).toEqual(['signups']);
    expect(alerts[0]!.message).toContain('(alert at -25% or worse)');
    expect(alerts[0]!.message).toContain('(alert at -2 or below)');
  });
});

describe('evaluateNight: incidents', () => {
  const YESTERDAY = '2024-03-30';
  /** Yesterday's rows as the store holds them: `new_teams` with `status`, the others ok. */
  const yesterday = (status: MetricRow['status'], incident_id: string | null = null, change_pct = -60): MetricRow[] =>
    evaluateNight(base({ dt: YESTERDAY, history: history(YESTERDAY) })).metrics.map((r) =>
      r.metric_id === 'new_teams' ? { ...r, status, change_pct, incident_id } : r,
    );
  const NEW_TEAMS_DOWN = values({ new_teams: 80 });

  it('a drop that starts an incident: the drop alert carries incident_id and night_of_incident 1; the row its incident_id', () => {
    const { metrics, alerts } = evaluateNight(base({ values: NEW_TEAMS_DOWN, earlier: { rows: yesterday('ok'), unusable: [] } }));
    expect(alerts.map((a) => [a.kind, a.metric_id, a.incident_id, a.night_of_incident])).toEqual([
      ['drop', 'new_teams', 'new_teams:2024-03-31', 1],
    ]);
    expect(metrics.find((m) => m.metric_id === 'new_teams')!.incident_id).toBe('new_teams:2024-03-31');
    expect(metrics.find((m) => m.metric_id === 'posting_teams')!.incident_id).toBeNull();
  });

  it('a drop that continues an incident sends nothing, and its row keeps the incident', () => {
    const { metrics, alerts } = evaluateNight(
      base({ values: NEW_TEAMS_DOWN, earlier: { rows: yesterday('drop', 'new_teams:2024-03-30'), unusable: [] } }),
    );
    expect(alerts).toEqual([]);
    expect(metrics.find((m) => m.metric_id === 'new_teams')!.incident_id).toBe('new_teams:2024-03-30');
  });

  it('with remind_every_days 1 the continuing night sends a short still_down reminder', () => {
    const config = nightConfig({ remind_every_days: 1, notify: ['drop', 'still_down', 'recovered', 'data_incomplete'] });
    const { alerts } = evaluateNight(
      base({ config, values: NEW_TEAMS_DOWN, earlier: { rows: yesterday('drop', 'new_teams:2024-03-30'), unusable: [] } }),
    );
    expect(alerts.map((a) => [a.kind, a.incident_id, a.night_of_incident])).toEqual([['still_down', 'new_teams:2024-03-30', 2]]);
    // 80 vs median(200·[1, 1.01, 0.99, 1.005]) = 200.5: -60.1%
    expect(alerts[0]!.subject).toBe('[nsm] Still down 2024-03-31: New teams -60.1%, day 2 of the drop');
    expect(alerts[0]!.drivers).toEqual([]);
  });

  it('the first ok night after an incident sends one recovered alert', () => {
    const { alerts } = evaluateNight(base({ earlier: { rows: yesterday('drop', 'new_teams:2024-03-30', -55), unusable: [] } }));
    expect(alerts.map((a) => [a.kind, a.metric_id, a.incident_id, a.night_of_incident])).toEqual([
      ['recovered', 'new_teams', 'new_teams:2024-03-30', 2],
    ]);
    expect(alerts[0]!.subject).toBe('[nsm] Recovered 2024-03-31: New teams after 1 day (worst -55.0%)');
  });

  it('alerts.notify chooses the kinds sent; the incident is tracked all the same', () => {
    const config = nightConfig({ notify: ['data_incomplete'] });
    const onset = evaluateNight(base({ config, values: NEW_TEAMS_DOWN }));
    expect(onset.alerts).toEqual([]);
    expect(onset.metrics.find((m) => m.metric_id === 'new_teams')!.incident_id).toBe('new_teams:2024-03-31');
    const recovery = evaluateNight(base({ config, earlier: { rows: yesterday('drop', 'new_teams:2024-03-30'), unusable: [] } }));
    expect(recovery.alerts).toEqual([]);
    const incomplete = evaluateNight(base({ config: nightConfig({ notify: ['drop'] }), dayEvents: 100 }));
    expect(incomplete.metrics.every((m) => m.status === 'data_incomplete')).toBe(true);
    expect(incomplete.alerts).toEqual([]);
  });

  it('a data_incomplete night neither ends nor extends an incident: no recovered, no incident id', () => {
    const { metrics, alerts } = evaluateNight(
      base({ dayEvents: 100, earlier: { rows: yesterday('drop', 'new_teams:2024-03-30'), unusable: [] } }),
    );
    expect(alerts.map((a) => a.kind)).toEqual(['data_incomplete']);
    expect(alerts[0]).toMatchObject({ incident_id: null, night_of_incident: null });
    expect(metrics.every((m) => m.incident_id === null)).toBe(true);
  });

  it('an unusable night that may decide an incident is an incident_uncertain warning naming it and the metrics', () => {
    const rows = evaluateNight(base({ dt: '2024-03-29', history: history('2024-03-29') })).metrics;
    const { warnings, alerts } = evaluateNight(
      base({ config: nightConfig({ watch: ['new_teams', 'signups'] }), values: NEW_TEAMS_DOWN, earlier: { rows, unusable: [YESTERDAY] } }),
    );
    expect(alerts.map((a) => a.kind)).toEqual(['drop']);
    expect(warnings).toEqual([
      {
        code: 'incident_uncertain',
        message:
          'night 2024-03-30 cannot be read, so the incidents of new_teams, signups are judged from the nights before it (an alert may repeat or be missed; repair it: nsm run --date 2024-03-30)',
        dt: YESTERDAY,
        key: null,
      },
    ]);
    expect(evaluateNight(base({ earlier: { rows, unusable: [] } })).warnings).toEqual([]);
  });
});
