import { describe, expect, it } from 'vitest';
import { lagCorrelations } from '../../../../functions/core/north-star-check/lag-correlations';
import { renderReportHtml } from '../../../../functions/core/report/render-report';
import { northStarVerdictSentence } from '../../../../functions/core/report/sections/north-star-check';
import { bestCellSentence } from '../../../../functions/core/report/sections/sweep';
import type { NightReport, NorthStarCheckSection } from '../../../../functions/core/results/report';
import type { SweepRow } from '../../../../functions/core/results/rows';
import { buildReportFixture } from '../../../fixtures/report-fixture';
import { expectAccessibleSvgs, expectBalancedTags, expectNoBadValues } from './checks';

const MIN_COUNT = [1, 3, 5];
const WITHIN = [3, 7];

function cell(id: string, event: string, n: number, k: number, phi: number | null, extra: Partial<SweepRow> = {}): SweepRow {
  return {
    dt: '2026-11-17',
    candidate_id: id,
    event,
    min_count: n,
    within_days: k,
    n_hit: 1240,
    n_miss: 2760,
    retained_hit: 620,
    retained_miss: 470,
    rate_hit: 0.5,
    rate_miss: 0.17,
    share: 0.31,
    lift: 2.94,
    lift_ci_low: 2.6,
    lift_ci_high: 3.3,
    phi,
    ppv: 0.5,
    npv: 0.83,
    sensitivity: 0.57,
    specificity: 0.79,
    t_welch: 20,
    df_welch: 2000,
    p_welch: 1e-50,
    q_value: 1e-49,
    best: false,
    ...extra,
  };
}

function withSweepAndCheck(): NightReport {
  const { report } = buildReportFixture();
  const rows: SweepRow[] = [];
  for (const n of MIN_COUNT)
    for (const k of WITHIN) rows.push(cell('message_posted_d7', 'message_posted', n, k, 0.1 * n + 0.01 * k, { best: n === 3 && k === 7 }));
  for (const n of MIN_COUNT)
    for (const k of WITHIN) rows.push(cell('file_shared_d3', 'file_shared', n, k, n === 5 ? null : -0.02 * n, { q_value: 0.4 }));
  const ns = Array.from({ length: 40 }, (_, i) => 100 + ((i * 7) % 11));
  const revenue = ns.map((_, i) => (i < 2 ? 500 : 500 + 3 * (ns[i - 2] ?? 0)));
  const check: NorthStarCheckSection = {
    north_star: 'posting_teams_weekly',
    revenue: 'revenue_weekly',
    max_lag_weeks: 4,
    weeks_read: 52,
    first_week: '2025-11-25',
    min_changes: 26,
    ...lagCorrelations(ns, revenue, 4),
  };
  return {
    ...report,
    candidates: { ...report.candidates!, sweep: { min_count: MIN_COUNT, within_days: WITHIN, min_share: 0.05, max_share: 0.95, rows } },
    north_star_check: check,
  };
}

describe('the report: threshold sweep heatmaps and the North Star panel', () => {
  const report = withSweepAndCheck();
  const page = renderReportHtml(report, buildReportFixture().history);
  const sweep = /<section id="sweep">[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
  const check = /<section id="north-star-check">[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';

  it('stays a valid, accessible page', () => {
    expectNoBadValues(page);
    expectBalancedTags(page);
    expectAccessibleSvgs(page);
  });

  it('draws one heatmap per action, n × k cells with phi written in each, the best cell outlined once', () => {
    expect(sweep.match(/data-chart="heatmap"/g)).toHaveLength(2);
    expect(sweep.match(/class="hm-cell"/g)).toHaveLength(2 * MIN_COUNT.length * WITHIN.length);
    expect(sweep.match(/class="hm-best"/g)).toHaveLength(1);
    expect(sweep).toContain('>0.37</text>'); // (3, 7): 0.3 + 0.07
    expect(sweep).toContain('>−0.06</text>'); // a negative phi, with a minus sign
    expect(sweep).toContain('class="hm-none"'); // a cell without phi
  });

  it('says what the best cell means, and why an action has none', () => {
    expect(sweep).toContain(
      'Users who do message_posted at least 3 times in their first 7 days are 2.94× as likely to be retained at day 90; 31% of new users do.',
    );
    expect(sweep).toContain('No cell of file_shared_d3 qualifies as a target');
  });

  it('shows the North Star check: one point per lag with its interval, and the verdict in words', () => {
    expect(check).toContain('data-chart="lags"');
    expect(check.match(/<g class="lag">/g)).toHaveLength(5);
    expect(check).toContain('Leading: weeks when posting_teams_weekly rose were followed 2 weeks later by weeks when revenue_weekly rose');
  });

  it('leaves both out when the config has neither', () => {
    const plain = renderReportHtml(buildReportFixture().report, []);
    expect(plain).not.toContain('id="sweep"');
    expect(plain).not.toContain('id="north-star-check"');
  });
});

describe('bestCellSentence and northStarVerdictSentence', () => {
  const c = withSweepAndCheck().candidates!;
  it('words one time and one day plainly', () => {
    expect(bestCellSentence(cell('a', 'paid', 1, 1, 0.2, { lift: 2, share: 0.1 }), c, 'a')).toBe(
      'Users who do paid at least once on their first day are 2.00× as likely to be retained at day 90; 10% of new users do.',
    );
  });

  it('words every verdict', () => {
    const base = withSweepAndCheck().north_star_check!;
    expect(northStarVerdictSentence({ ...base, verdict: 'insufficient_history', changes: 12 })).toBe(
      'Not enough history yet: 12 of the 26 weeks with a week-over-week change of both metrics that the check needs are in the results store.',
    );
    expect(northStarVerdictSentence({ ...base, verdict: 'not_predictive', best_lag: null })).toMatch(
      /^Not predictive: at no lag from 0 to 4 weeks/,
    );
    expect(northStarVerdictSentence({ ...base, verdict: 'coincident', best_lag: 0 })).toMatch(
      /^Coincident: posting_teams_weekly and revenue_weekly change in the same weeks/,
    );
  });
});
