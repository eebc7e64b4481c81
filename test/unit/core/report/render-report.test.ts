import { describe, expect, it } from 'vitest';
import { REPORT_CSP, renderReportHtml } from '../../../../functions/core/report/render-report';
import type { NightReport } from '../../../../functions/core/results/report';
import type { MetricRow } from '../../../../functions/core/results/rows';
import { buildReportFixture, FIXTURE_DT } from '../../../fixtures/report-fixture';
import { expectAccessibleSvgs, expectBalancedTags, expectNoBadValues, pathD, pathPoints } from './checks';

function section(page: string, id: string): string {
  return new RegExp(`<section[^>]*id="${id}"[\\s\\S]*?</section>`).exec(page)?.[0] ?? '';
}

describe('renderReportHtml on the fixture', () => {
  const { report, history } = buildReportFixture();
  const page = renderReportHtml(report, history);

  it('is one self-contained page: no script, no URL but data:, a CSP that forbids both', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replaceAll("'", '&#39;')}">`);
    expect(REPORT_CSP).toMatch(/^default-src 'none';/);
    expect(page).not.toMatch(/<script|javascript:|@import|url\(/i);
    // Nothing is loaded from anywhere: every src and <link> is data:. Links a reader follows stay
    // in the page (#alert-…) or in the results layout (the previous night, the index of nights).
    expect([...page.matchAll(/\ssrc="([^"]*)"/g)]).toEqual([]);
    expect([...page.matchAll(/<link [^>]*href="([^"]*)"/g)].map((m) => m[1])).toEqual(['data:,']);
    const links = [...page.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);
    expect(links.filter((l) => !l?.startsWith('#'))).toEqual(['../dt=2026-11-16/report.html', '../../latest.html']);
    expect(links.filter((l) => l?.startsWith('#'))).toEqual(['#alert-posting_teams_weekly', '#alert-posts_per_active_user']);
    // the only "http" is the SVG namespace, which is a name, not a request
    expect([...new Set([...page.matchAll(/https?:\/\/[^"\s<]+/g)].map((m) => m[0]))]).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('has no NaN/Infinity/undefined, balanced tags, and a title and desc in every chart', () => {
    expectNoBadValues(page);
    expectBalancedTags(page);
    // trend ×2, tree ×2, forest ×2 (wide and narrow renderings), one sparkline per watched metric
    expect(expectAccessibleSvgs(page)).toBe(6 + report.watch.length);
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('supports dark mode, print and phones', () => {
    expect(page).toContain('@media (prefers-color-scheme: dark)');
    expect(page).toContain('@media print');
    expect(page).toContain('@media screen and (max-width:700px)');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('headline: NSM value, change, status and completeness', () => {
    const h = section(page, 'headline');
    expect(h).toContain('Weekly active teams with 3+ members posting');
    expect(h).toContain('<div class="kpi-value">1,144</div>');
    expect(h).toContain('<span class="chg chg-down">▼ −13.4%</span>');
    expect(h).toContain('vs baseline 1,321');
    expect(h).toContain('<span class="pill st-drop">▼ Drop</span>');
    expect(h).toContain('1,184,220 events, 98.4% of the usual Tuesday (1,203,415).');
    expect(h).toContain('1 strong of 6');
    // The alerted metrics by name, with their change, linked to their alert.
    expect(h).toContain(
      '<dt>Alerts</dt><dd>2 drops: <a href="#alert-posting_teams_weekly">Weekly active teams with 3+ members posting</a> ' +
        '<span class="chg chg-down">▼ −13.4%</span>, <a href="#alert-posts_per_active_user">Posts per active user</a> <span class="chg chg-down">▼ −',
    );
    expect(section(page, 'alerts')).toContain('<article class="alert kind-drop" id="alert-posts_per_active_user">');
  });

  it('trend: the axis starts at the first night with data when that is later than D-90', () => {
    const first = '2026-11-01';
    const recent = history.filter((r) => r.dt >= first);
    const trend = section(renderReportHtml(report, recent), 'trend');
    expect(trend).toContain('from Sun 1 Nov 2026 to Tue 17 Nov 2026');
    expect(section(page, 'trend')).toContain('from Wed 19 Aug 2026 to Tue 17 Nov 2026'); // full history: D-90
    // The sparklines share the axis.
    expect(section(renderReportHtml(report, recent), 'watched')).toContain('From Sun 1 Nov 2026 to Tue 17 Nov 2026');
    // Without any history the axis is tonight alone.
    expect(section(renderReportHtml(report, []), 'trend')).toContain('from Tue 17 Nov 2026 to Tue 17 Nov 2026');
  });

  it('trend: 91 nights in one line, two drops marked, the band from the first judged night', () => {
    const wide = /<svg[^>]*data-chart="line"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    expect(pathPoints(pathD(wide, 'series') ?? '')).toHaveLength(91);
    expect(wide.match(/<g class="drop-marker">/g)).toHaveLength(2);
    expect(wide).toContain('Drop on Sat 26 Sep 2026');
    expect(wide).toContain('Drop on Tue 17 Nov 2026');
    // nights 29…91 have a baseline (4 earlier same weekdays), so the band has 63 points × 2 edges
    expect(pathPoints(pathD(wide, 'band') ?? '')).toHaveLength(126);
  });

  it('tree: seven boxes, alerts and the driver tagged', () => {
    const t = section(page, 'tree');
    const wide = /<svg[^>]*data-chart="tree"[\s\S]*?<\/svg>/.exec(t)?.[0] ?? '';
    expect(wide.match(/<g class="node /g)).toHaveLength(7);
    expect(wide.match(/node-alert/g)).toHaveLength(2);
    expect(wide).toContain('class="node node-drop node-driver"><title>Messages posted (messages_posted)');
    expect(t.match(/<tr class="lvl/g)).toHaveLength(7);
  });

  it('candidates: rows by rank with share, rates, lift and CI, p, q, verdict', () => {
    const c = section(page, 'candidates');
    const order = [...c.matchAll(/<td class="head"><code>(\w+)<\/code>/g)].map((m) => m[1]);
    expect(order).toEqual([
      'payment_completed_d7',
      'integration_connected_d3',
      'report_shared_d7',
      'profile_completed_d1',
      'dark_mode_enabled_d7',
      'admin_invited_d7',
    ]);
    expect(c).toContain('<strong>3.24×</strong><span class="id">2.85×–3.68×</span>');
    expect(c).toContain('data-label="Share (users)">10.3%<span class="id">412 / 4,000</span>');
    expect(c).toContain('<td class="v-strong" data-label="Verdict">★ strong</td>');
    expect(c).toContain('<td class="v-insufficient_data" data-label="Verdict">insufficient data</td>');
    expect(c).toContain('data-label="q (BH)">0.11</td>');
    expect(c).toContain('no lift: nobody without the action was retained');
    expect(c).toContain('>min lift 2.00×</text>');
  });

  it('alerts and run facts', () => {
    const a = section(page, 'alerts');
    expect(a.match(/<article class="alert kind-drop"[^>]*>/g)).toHaveLength(2);
    expect(a).toContain('numerator: Messages posted');
    // drivers keep the alert's order (largest move first) and say their level
    expect([...a.matchAll(/<span class="id">(\w+) · level (\d)/g)].slice(0, 3).map((m) => `${m[1]}:${m[2]}`)).toEqual([
      'messages_posted:2',
      'posts_per_active_user:1',
      'invites_accepted:2',
    ]);
    const r = section(page, 'run');
    expect(r).toContain('<dt>Engine</dt><dd>athena</dd>');
    expect(r).toContain('<dd>9.25 GB</dd>');
    expect(r).toContain('<dd>$0.05 ');
    expect(r).toContain('16.6 s for 3 queries');
  });
});

describe('renderReportHtml escapes every string from data', () => {
  const EVIL = `<img src=x onerror="alert('x')">&`;
  const ESCAPED = '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;';
  const { report, history } = buildReportFixture();
  const evil: NightReport = {
    ...report,
    engine: EVIL,
    results_location: EVIL,
    metrics: report.metrics.map((m) => ({ ...m, name: `${m.name} ${EVIL}` })),
    candidates: report.candidates && {
      ...report.candidates,
      entry_event: EVIL,
      rows: report.candidates.rows.map((r) => ({ ...r, candidate_id: `${r.candidate_id}${EVIL}`, event: EVIL })),
    },
    alerts: report.alerts.map((a) => ({ ...a, subject: EVIL, sms: EVIL, drivers: a.drivers.map((d) => ({ ...d, name: EVIL })) })),
    run: { ...report.run, run_id: EVIL, queries: report.run.queries.map((q) => ({ ...q, name: EVIL, query_id: EVIL })) },
  };
  const page = renderReportHtml(
    evil,
    history.map((h) => ({ ...h, name: EVIL })),
  );

  it('never lets the raw string through, and shows it escaped', () => {
    expect(page).not.toContain('<img');
    expect(page).not.toContain(`onerror="`);
    expect(page).toContain(ESCAPED);
    expectBalancedTags(page);
  });

  it('escapes metric ids used in the tree too', () => {
    const odd: NightReport = { ...report, north_star: '"><svg onload=x>', tree: { '"><svg onload=x>': ['a<b'] } };
    const p = renderReportHtml(odd, []);
    expect(p).not.toContain('<svg onload');
    expect(p).toContain('&quot;&gt;&lt;svg onload=x&gt;');
    expect(p).toContain('a&lt;b');
  });
});

describe('renderReportHtml on edge data', () => {
  const { report, history } = buildReportFixture();
  const nsm = report.metrics.find((m) => m.is_north_star) as MetricRow;
  const cases: [string, NightReport, MetricRow[]][] = [
    ['empty history', report, []],
    ['no candidates section', { ...report, candidates: null }, history],
    ['zero candidates', { ...report, candidates: report.candidates && { ...report.candidates, rows: [] } }, history],
    [
      'no north star row, no alerts, no queries',
      {
        ...report,
        metrics: report.metrics.filter((m) => !m.is_north_star),
        alerts: [],
        run: { ...report.run, queries: [], bytes_scanned: null, cost_usd: null },
      },
      history,
    ],
    [
      'all nulls, partition missing',
      {
        ...report,
        data: { day_events: 0, partition_missing: true, partition_empty: false, baseline_events: null, ratio: null, status: 'incomplete' },
        metrics: report.metrics.map((m) => ({
          ...m,
          value: null,
          baseline: null,
          change_pct: null,
          robust_z: null,
          status: 'data_incomplete' as const,
        })),
        alerts: [
          {
            ...(report.alerts[0] as NightReport['alerts'][number]),
            kind: 'data_incomplete' as const,
            metric_id: null,
            value: null,
            baseline: null,
            change_pct: null,
            robust_z: null,
            drivers: [],
          },
        ],
      },
      history.map((h) => ({ ...h, value: null, baseline: null, robust_z: null, change_pct: null })),
    ],
    ['one night of history', report, history.filter((h) => h.dt === '2026-11-16')],
    [
      'all equal values',
      { ...report, metrics: report.metrics.map((m) => ({ ...m, value: 5, baseline: 5, change_pct: 0, robust_z: null })) },
      history.map((h) => ({ ...h, value: 5, baseline: 5, change_pct: 0, robust_z: null })),
    ],
    [
      'negative and huge values',
      {
        ...report,
        metrics: report.metrics.map((m, i) => ({
          ...m,
          value: i % 2 ? -Number.MAX_VALUE : 1e300,
          baseline: 1e-300,
          change_pct: 1e308,
          robust_z: -1e308,
        })),
      },
      history.map((h, i) => ({ ...h, value: i % 3 ? -5e15 : Number.MAX_VALUE })),
    ],
    ['empty tree and watch list', { ...report, tree: {}, watch: [] }, history],
    ['history with other nights and a stray future row', report, [...history, { ...nsm, dt: '2027-01-01' }, { ...nsm, dt: '2020-01-01' }]],
  ];

  it.each(cases)('%s: renders without NaN, balanced, every chart titled', (_, r, h) => {
    const page = renderReportHtml(r, h);
    expectNoBadValues(page);
    expectBalancedTags(page);
    expect(expectAccessibleSvgs(page)).toBeGreaterThan(0);
  });

  it('says so when there is nothing to show', () => {
    expect(renderReportHtml({ ...report, candidates: null }, history)).toContain(
      'The configuration has no <code>candidates</code> section',
    );
    expect(renderReportHtml({ ...report, candidates: report.candidates && { ...report.candidates, rows: [] } }, history)).toContain(
      'No candidate actions this night.',
    );
    expect(renderReportHtml({ ...report, alerts: [] }, history)).toContain('No alerts for this night.');
    const empty = renderReportHtml(report, []);
    // with no history the trend is tonight's single point, drawn as a dot
    const trend = /<svg[^>]*data-chart="line"[\s\S]*?<\/svg>/.exec(empty)?.[0] ?? '';
    expect(trend).toContain('<circle class="today-ring"');
    expect(pathD(trend, 'series')).toBeUndefined();
    const incomplete = renderReportHtml(
      {
        ...report,
        data: { day_events: 0, partition_missing: true, partition_empty: false, baseline_events: null, ratio: null, status: 'incomplete' },
      },
      history,
    );
    expect(incomplete).toContain('Incomplete: no data for this night (partition missing).');
    expect(renderReportHtml({ ...report, metrics: [] }, [])).toContain('No value was computed for the north star this night.');
  });

  it('uses only D-90 … D', () => {
    const page = renderReportHtml(report, [...history, { ...nsm, dt: '2020-01-01', value: 1e9 }]);
    expect(page).not.toContain('1B');
    expect(FIXTURE_DT).toBe(report.dt);
  });
});
