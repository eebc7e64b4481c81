import { describe, expect, it } from 'vitest';
import { highlightRoles } from '../../../../functions/core/report/highlight';
import type { NightReport } from '../../../../functions/core/results/report';
import type { AlertRow, Driver, MetricRow } from '../../../../functions/core/results/rows';
import { buildReportFixture } from '../../../fixtures/report-fixture';

function drv(metric_id: string, change_pct: number | null, status: Driver['status'] = 'ok', depth = 1): Driver {
  return { metric_id, name: metric_id, depth, value: 1, baseline: 1, change_pct, status, contribution: null, contribution_pct: null };
}

describe('highlightRoles', () => {
  it('on the fixture: both alerted metrics, and messages_posted as the driver', () => {
    const { report } = buildReportFixture();
    expect(Object.fromEntries(highlightRoles(report))).toEqual({
      posting_teams_weekly: 'alert',
      posts_per_active_user: 'alert',
      messages_posted: 'driver',
    });
  });

  it('follows the largest fall level by level, and adds drivers that are drops themselves', () => {
    const base = buildReportFixture().report;
    const alert: AlertRow = {
      ...(base.alerts[0] as AlertRow),
      metric_id: 'root',
      drivers: [drv('a', -3), drv('b', -8), drv('b1', -1, 'ok', 2), drv('b2', -20, 'ok', 2), drv('c', 5), drv('c1', -15, 'drop', 2)],
    };
    const report: NightReport = {
      ...base,
      tree: { root: ['a', 'b', 'c'], b: ['b1', 'b2'], c: ['c1'] },
      metrics: [] as MetricRow[],
      alerts: [alert],
    };
    expect(Object.fromEntries(highlightRoles(report))).toEqual({ root: 'alert', b: 'driver', b2: 'driver', c1: 'driver' });
  });

  it('highlights nothing below an alert whose children all rose, nor for data_incomplete alerts', () => {
    const base = buildReportFixture().report;
    const up: AlertRow = { ...(base.alerts[0] as AlertRow), metric_id: 'root', drivers: [drv('a', 3)] };
    const incomplete: AlertRow = { ...(base.alerts[0] as AlertRow), kind: 'data_incomplete', metric_id: null, drivers: [] };
    const report: NightReport = { ...base, tree: { root: ['a'] }, alerts: [up, incomplete] };
    expect(Object.fromEntries(highlightRoles(report))).toEqual({ root: 'alert' });
  });
});
