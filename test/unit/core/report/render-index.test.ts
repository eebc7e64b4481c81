import { describe, expect, it } from 'vitest';
import { REPORT_CSP } from '../../../../functions/core/report/page';
import { nightsIndexRows, renderNightsIndex } from '../../../../functions/core/report/render-index';
import type { MetricRow } from '../../../../functions/core/results/rows';
import { expectBalancedTags, expectNoBadValues } from './checks';

const row = (
  dt: string,
  metric_id: string,
  value: number | null,
  status: MetricRow['status'],
  change_pct: number | null = null,
): MetricRow => ({
  dt,
  metric_id,
  name: metric_id === 'nsm' ? 'Weekly posting teams' : `Metric <${metric_id}>`,
  type: 'count',
  value,
  is_north_star: metric_id === 'nsm',
  parent_id: metric_id === 'nsm' ? null : 'nsm',
  baseline: null,
  change_pct,
  robust_z: null,
  status,
  contribution: null,
  contribution_pct: null,
  identity_residual_pct: null,
});

const rows: MetricRow[] = [
  row('2024-05-01', 'nsm', 120, 'insufficient_history'),
  row('2024-05-01', 'posts', 10, 'insufficient_history'),
  row('2024-05-03', 'nsm', 100, 'drop', -16.7),
  row('2024-05-03', 'posts', 5, 'drop', -50),
  row('2024-05-03', 'unwatched', 1, 'drop', -90),
  row('2024-05-04', 'nsm', null, 'data_incomplete'),
  row('2024-05-04', 'posts', null, 'data_incomplete'),
];

describe('nightsIndexRows', () => {
  it('one row per night with results, newest first: the north star, its change and status, the watched drops', () => {
    expect(nightsIndexRows(rows, 'nsm', ['nsm', 'posts'])).toEqual([
      { dt: '2024-05-04', value: null, change_pct: null, status: 'data_incomplete', drops: [] },
      { dt: '2024-05-03', value: 100, change_pct: -16.7, status: 'drop', drops: ['Weekly posting teams', 'Metric <posts>'] },
      { dt: '2024-05-01', value: 120, change_pct: null, status: 'insufficient_history', drops: [] },
    ]);
  });
});

describe('renderNightsIndex', () => {
  const page = renderNightsIndex({
    dt: '2024-05-04',
    northStar: 'nsm',
    watch: ['nsm', 'posts'],
    rows,
    generatedAt: '2024-05-05T06:00:00.000Z',
  });

  it('is a self-contained page like the reports: the same CSP, no script, nothing loaded', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain(`content="${REPORT_CSP.replaceAll("'", '&#39;')}"`);
    expect(page).not.toMatch(/<script|\ssrc=/i);
    expectNoBadValues(page);
    expectBalancedTags(page);
  });

  it('links every night with results to its report, newest first, from the results root', () => {
    const links = [...page.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual([
      'reports/dt=2024-05-04/report.html', // "latest report" at the top
      'reports/dt=2024-05-04/report.html',
      'reports/dt=2024-05-03/report.html',
      'reports/dt=2024-05-01/report.html',
    ]);
    expect(page).not.toContain('dt=2024-05-02'); // a night without results is not listed
  });

  it('names the north star and each night’s dropped watched metrics, escaped', () => {
    expect(page).toContain('Weekly posting teams');
    expect(page).toContain('Weekly posting teams, Metric &lt;posts&gt;');
    expect(page).not.toContain('Metric <unwatched>');
    expect(page).not.toContain('&lt;unwatched&gt;');
    expect(page).toContain('<span class="chg chg-down">▼ −16.7%</span>');
    expect(page).toContain('Data incomplete');
  });
});
