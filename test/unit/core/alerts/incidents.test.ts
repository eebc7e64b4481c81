import { describe, expect, it } from 'vitest';
import { type IncidentHistory, incidentBefore, incidentId, incidentOnset, stepIncident } from '../../../../functions/core/alerts/incidents';
import { addDays } from '../../../../functions/core/dates';
import type { MetricRow, MetricStatus } from '../../../../functions/core/results/rows';

const M = 'signups';

/** A metric row of night `dt` as an earlier run wrote it. */
function row(dt: string, status: MetricStatus, change_pct: number | null = null, incident_id?: string | null, metric_id = M): MetricRow {
  return {
    dt,
    metric_id,
    name: metric_id,
    type: 'count',
    value: 1,
    is_north_star: false,
    parent_id: null,
    baseline: 1,
    change_pct,
    robust_z: null,
    status,
    contribution: null,
    contribution_pct: null,
    identity_residual_pct: null,
    ...(incident_id === undefined ? {} : { incident_id }),
  };
}

const earlier = (rows: MetricRow[], unusable: string[] = []): IncidentHistory => ({ rows, unusable });

/**
 * Runs the state machine over `statuses` (one per night from 2024-05-01), feeding each night's
 * row back as history the way the pipeline does, and returns each night's incident id and alert.
 */
function replay(statuses: [MetricStatus, number | null][], remind = 0) {
  const rows: MetricRow[] = [];
  return statuses.map(([status, change], i) => {
    const dt = addDays('2024-05-01', i);
    const before = incidentBefore(M, dt, earlier(rows));
    const step = stepIncident(before.open, M, dt, { status, change_pct: change }, remind);
    rows.push(row(dt, status, change, step.incidentId));
    return { dt, id: step.incidentId, alert: step.alert && { kind: step.alert.kind, night: step.alert.nightOfIncident } };
  });
}

describe('incident ids', () => {
  it('are the metric id and the onset night, and give the onset back', () => {
    expect(incidentId('new_teams', '2024-05-14')).toBe('new_teams:2024-05-14');
    expect(incidentOnset('new_teams:2024-05-14')).toBe('2024-05-14');
  });
});

describe('stepIncident over consecutive nights', () => {
  it('onset sends the drop alert (night 1), continuation sends nothing, the first ok night sends recovered', () => {
    const nights = replay([
      ['ok', 1],
      ['drop', -20],
      ['drop', -38],
      ['drop', -25],
      ['ok', -2],
      ['ok', 0],
    ]);
    expect(nights.map((n) => n.alert)).toEqual([null, { kind: 'drop', night: 1 }, null, null, { kind: 'recovered', night: 4 }, null]);
    expect(nights.map((n) => n.id)).toEqual([null, 'signups:2024-05-02', 'signups:2024-05-02', 'signups:2024-05-02', null, null]);
  });

  it('the recovered alert knows how long it lasted and the worst change', () => {
    const rows = [row('2024-05-02', 'drop', -20, 'signups:2024-05-02'), row('2024-05-03', 'drop', -38, 'signups:2024-05-02')];
    const before = incidentBefore(M, '2024-05-04', earlier(rows));
    expect(before.open).toEqual({
      id: 'signups:2024-05-02',
      metricId: M,
      onset: '2024-05-02',
      lastDrop: '2024-05-03',
      worstChangePct: -38,
    });
    const step = stepIncident(before.open, M, '2024-05-04', { status: 'ok', change_pct: 1 }, 0);
    expect(step).toEqual({ incidentId: null, alert: { kind: 'recovered', incident: before.open, nightOfIncident: 3 } });
  });

  it('with remind_every_days 2 reminds on nights 3 and 5 of the incident, never on the onset', () => {
    const nights = replay(
      [
        ['drop', -20],
        ['drop', -21],
        ['drop', -22],
        ['drop', -23],
        ['drop', -24],
        ['drop', -25],
        ['ok', 0],
      ],
      2,
    );
    expect(nights.map((n) => n.alert)).toEqual([
      { kind: 'drop', night: 1 },
      null,
      { kind: 'still_down', night: 3 },
      null,
      { kind: 'still_down', night: 5 },
      null,
      { kind: 'recovered', night: 7 },
    ]);
  });

  it('a reminder carries the worst change so far, tonight included', () => {
    const rows = [row('2024-05-01', 'drop', -20, 'signups:2024-05-01'), row('2024-05-02', 'drop', -15, 'signups:2024-05-01')];
    const step = stepIncident(incidentBefore(M, '2024-05-03', earlier(rows)).open, M, '2024-05-03', { status: 'drop', change_pct: -40 }, 2);
    expect(step.alert).toMatchObject({ kind: 'still_down', nightOfIncident: 3, incident: { worstChangePct: -40, lastDrop: '2024-05-03' } });
  });

  it('nights of insufficient_history and data_incomplete neither end nor extend an incident', () => {
    const nights = replay([
      ['drop', -20],
      ['data_incomplete', null],
      ['insufficient_history', -30],
      ['drop', -25],
      ['data_incomplete', null],
      ['ok', 0],
    ]);
    expect(nights.map((n) => n.alert)).toEqual([{ kind: 'drop', night: 1 }, null, null, null, null, { kind: 'recovered', night: 6 }]);
    // Gap nights carry no incident id; the drop after the gap continues the incident.
    expect(nights.map((n) => n.id)).toEqual(['signups:2024-05-01', null, null, 'signups:2024-05-01', null, null]);
  });

  it('a gap night between an ok night and a drop: the drop starts a new incident', () => {
    const nights = replay([
      ['ok', 0],
      ['insufficient_history', null],
      ['drop', -30],
    ]);
    expect(nights[2]).toEqual({ dt: '2024-05-03', id: 'signups:2024-05-03', alert: { kind: 'drop', night: 1 } });
  });

  it('a night that never ran is skipped like a gap (the latest judged night decides)', () => {
    const rows = [row('2024-05-01', 'drop', -20, 'signups:2024-05-01')];
    const before = incidentBefore(M, '2024-05-04', earlier(rows));
    expect(before.open?.id).toBe('signups:2024-05-01');
    expect(stepIncident(before.open, M, '2024-05-04', { status: 'drop', change_pct: -20 }, 3).alert).toMatchObject({
      kind: 'still_down',
      nightOfIncident: 4,
    });
  });

  it('two incidents of one metric are separate', () => {
    const nights = replay([
      ['drop', -20],
      ['ok', 0],
      ['drop', -30],
      ['ok', 0],
    ]);
    expect(nights.map((n) => n.alert?.kind ?? null)).toEqual(['drop', 'recovered', 'drop', 'recovered']);
    expect(nights[2]!.id).toBe('signups:2024-05-03');
  });

  it("another metric's rows do not matter", () => {
    const rows = [row('2024-05-01', 'drop', -20, 'other:2024-05-01', 'other')];
    expect(incidentBefore(M, '2024-05-02', earlier(rows)).open).toBeNull();
  });
});

describe('incidentBefore: re-runs and the store as it is', () => {
  it('re-running an older night reads only the nights before it: a later incident is untouched', () => {
    // Nights 1-3 were a drop; night 1 is re-run: nothing before it, so it is still the onset.
    const rows = [
      row('2024-05-01', 'drop', -20, 'signups:2024-05-01'),
      row('2024-05-02', 'drop', -25, 'signups:2024-05-01'),
      row('2024-05-03', 'drop', -30, 'signups:2024-05-01'),
    ];
    expect(incidentBefore(M, '2024-05-01', earlier(rows)).open).toBeNull();
    // Re-running night 2 continues the incident of night 1, whatever night 3 says.
    expect(incidentBefore(M, '2024-05-02', earlier(rows)).open).toMatchObject({
      id: 'signups:2024-05-01',
      lastDrop: '2024-05-01',
      worstChangePct: -20,
    });
    // And night 4 still sees one incident with its onset on night 1.
    expect(incidentBefore(M, '2024-05-04', earlier(rows)).open).toMatchObject({
      id: 'signups:2024-05-01',
      lastDrop: '2024-05-03',
      worstChangePct: -30,
    });
  });

  it('rows written before incidents existed (no incident_id): the oldest drop of the run is the onset', () => {
    const rows = [row('2024-05-01', 'ok', 0), row('2024-05-02', 'drop', -20), row('2024-05-03', 'drop', -40)];
    expect(incidentBefore(M, '2024-05-04', earlier(rows)).open).toMatchObject({
      id: 'signups:2024-05-02',
      onset: '2024-05-02',
      worstChangePct: -40,
    });
  });

  it("a drop row of another incident ends the run (an older night was re-run into a new incident's onset)", () => {
    const rows = [row('2024-05-01', 'drop', -50, 'signups:2024-04-30'), row('2024-05-02', 'drop', -20, 'signups:2024-05-02')];
    expect(incidentBefore(M, '2024-05-03', earlier(rows)).open).toMatchObject({ id: 'signups:2024-05-02', worstChangePct: -20 });
  });

  it('an unusable night newer than the latest judged night makes the state uncertain, and says which night', () => {
    const rows = [row('2024-05-01', 'drop', -20, 'signups:2024-05-01')];
    const before = incidentBefore(M, '2024-05-04', earlier(rows, ['2024-04-20', '2024-05-02', '2024-05-03']));
    expect(before.uncertainSince).toBe('2024-05-03');
    expect(before.open?.id).toBe('signups:2024-05-01');
    // An unusable night older than the latest judged one decides nothing.
    expect(incidentBefore(M, '2024-05-02', earlier(rows, ['2024-04-30'])).uncertainSince).toBeNull();
    // Nor does one of tonight or later.
    expect(incidentBefore(M, '2024-05-02', earlier(rows, ['2024-05-02'])).uncertainSince).toBeNull();
  });
});
