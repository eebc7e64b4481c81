/**
 * The night's report as one self-contained HTML page (`reports/dt=D/report.html`, docs/design.md §3):
 * inline CSS and SVG only — no script, no font, no image or stylesheet by URL — so it opens the
 * same from S3, from an email link or from disk, and prints. A Content-Security-Policy meta tag
 * makes that a guarantee rather than a habit: the browser refuses any script or request.
 *
 * Pure: a {@link NightReport} and earlier nights' metric rows in, a string out.
 */

import { addDays } from '../dates';
import { LATEST_HTML_KEY, relativeLink, reportHtmlKey } from '../results/layout';
import type { NightReport } from '../results/report';
import type { MetricRow } from '../results/rows';
import { html, type SafeHtml } from './escape';
import { formatDay, formatInstant } from './format-date';
import { buildSeries, firstNight, REPORT_HISTORY_NIGHTS } from './history';
import { renderPage } from './page';
import { renderAlerts } from './sections/alerts';
import { renderCandidates } from './sections/candidates';
import { renderHeadline } from './sections/headline';
import { renderNorthStarCheck } from './sections/north-star-check';
import { renderRun } from './sections/run';
import { renderSegments } from './sections/segments';
import { renderSweep } from './sections/sweep';
import { renderTreeSection } from './sections/tree';
import { renderTrend } from './sections/trend';
import { renderWarnings } from './sections/warnings';
import { renderWatched } from './sections/watched';

/**
 * Links to the night before (the latest earlier night with results) and to the index of nights
 * (`latest.html`), relative to this report's key, so they work wherever the results folder is served.
 */
function renderPager(dt: string, history: readonly MetricRow[]): SafeHtml {
  const earlier = history.reduce<string | undefined>(
    (best, r) => (r.dt < dt && (best === undefined || r.dt > best) ? r.dt : best),
    undefined,
  );
  const here = reportHtmlKey(dt);
  const previous =
    earlier === undefined ? '' : html`<a href="${relativeLink(here, reportHtmlKey(earlier))}">← ${formatDay(earlier)}</a> · `;
  return html`<nav class="pager sub" aria-label="Other nights">${previous}<a href="${relativeLink(here, LATEST_HTML_KEY)}">All nights</a></nav>`;
}

export { REPORT_CSP } from './page';

/**
 * Renders the page for `report.dt`.
 *
 * @param report the night's report document
 * @param history earlier nights' metric rows (any order; the charts use `D-90 … D-1`, see
 *   `REPORT_HISTORY_NIGHTS`); rows for `report.dt` itself are taken from `report.metrics`
 */
export function renderReportHtml(report: NightReport, history: MetricRow[]): string {
  const series = buildSeries(history, report.metrics, addDays(report.dt, -REPORT_HISTORY_NIGHTS), report.dt);
  // The charts' time axis starts at the first night with results, so a young results store does
  // not draw weeks of empty axis before its first night.
  const from = firstNight(series) ?? report.dt;
  const title = `North Star report · ${formatDay(report.dt)}`;
  return renderPage(
    title,
    html`<header class="top"><h1>North Star report · ${formatDay(report.dt).replaceAll(' ', '\u00a0')}</h1><span class="sub">${report.engine} · generated ${formatInstant(report.generated_at)}</span></header>
${renderPager(report.dt, history)}
${renderHeadline(report)}
${renderWarnings(report)}
${renderTrend(report, series, from)}
${renderTreeSection(report)}
${renderWatched(report, series, from)}
${renderSegments(report)}
${renderCandidates(report)}
${renderSweep(report)}
${renderNorthStarCheck(report)}
${renderAlerts(report)}
${renderRun(report)}
<footer>nsm-nightly · night of ${report.dt} · a self-contained page: no scripts, no network requests.</footer>`,
  );
}
