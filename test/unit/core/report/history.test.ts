import { describe, expect, it } from 'vitest';
import { buildSeries, REPORT_HISTORY_NIGHTS, reportHistoryRange } from '../../../../functions/core/report/history';
import { spreadOf } from '../../../../functions/core/report/spread';
import type { MetricRow } from '../../../../functions/core/results/rows';

function row(dt: string, over: Partial<MetricRow> = {}): MetricRow {
  return {
    dt,
    metric_id: 'm',
    name: 'M',
    type: 'count',
    value: 110,
    is_north_star: true,
    parent_id: null,
    baseline: 100,
    change_pct: 10,
    robust_z: 2,
    status: 'ok',
    contribution: null,
    contribution_pct: null,
    identity_residual_pct: null,
    ...over,
  };
}

describe('spreadOf', () => {
  it('inverts robust_z = (value - baseline) / spread', () => {
    expect(spreadOf({ value: 110, baseline: 100, robust_z: 2 })).toBe(5);
    expect(spreadOf({ value: 90, baseline: 100, robust_z: -4 })).toBe(2.5);
  });
  it('is 0 when robust_z is null with a baseline (docs/design.md: null when the spread is 0)', () => {
    expect(spreadOf({ value: 90, baseline: 100, robust_z: null })).toBe(0);
  });
  it('is unknown without baseline or value, or when the value sits on the baseline', () => {
    expect(spreadOf({ value: 90, baseline: null, robust_z: null })).toBeNull();
    expect(spreadOf({ value: null, baseline: 100, robust_z: 1 })).toBeNull();
    expect(spreadOf({ value: 100, baseline: 100, robust_z: 0 })).toBeNull();
    expect(spreadOf({ value: 100, baseline: 100, robust_z: Number.NaN })).toBeNull();
  });
});

describe('history window', () => {
  it('reads the 90 nights before D', () => {
    expect(REPORT_HISTORY_NIGHTS).toBe(90);
    expect(reportHistoryRange('2026-11-17')).toEqual({ from: '2026-08-19', to: '2026-11-16' });
  });
});

describe('buildSeries', () => {
  it('sorts by night, keeps the window, lets tonight win, derives the band', () => {
    const s = buildSeries(
      [
        row('2026-11-16'),
        row('2026-11-14', { value: 95, robust_z: -1, change_pct: -5 }),
        row('2026-08-01'),
        row('2026-11-17', { value: 1 }),
      ],
      [row('2026-11-17', { value: 80, robust_z: -4, change_pct: -20, status: 'drop' })],
      '2026-08-19',
      '2026-11-17',
    ).get('m');
    expect(s?.map((p) => p.dt)).toEqual(['2026-11-14', '2026-11-16', '2026-11-17']);
    expect(s?.[0]).toEqual({ dt: '2026-11-14', value: 95, baseline: 100, low: 95, high: 105, change_pct: -5, drop: false });
    expect(s?.[2]).toEqual({ dt: '2026-11-17', value: 80, baseline: 100, low: 95, high: 105, change_pct: -20, drop: true });
  });
  it('keeps nights without a baseline as points without a band, and drops non-finite numbers', () => {
    const s = buildSeries(
      [row('2026-11-16', { baseline: null, robust_z: null, change_pct: null, status: 'insufficient_history', value: Number.NaN })],
      [],
      '2026-11-01',
      '2026-11-17',
    ).get('m');
    expect(s).toEqual([{ dt: '2026-11-16', value: null, baseline: null, low: null, high: null, change_pct: null, drop: false }]);
  });
  it('is empty for empty history', () => {
    expect(buildSeries([], [], '2026-11-01', '2026-11-17').size).toBe(0);
  });
});
