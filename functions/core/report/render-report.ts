/**
 * The night's report as one self-contained HTML page (`reports/dt=D/report.html`, docs/design.md §3):
 * inline CSS and SVG only — no script, no font, no image or stylesheet by URL — so it opens the
 * same from S3, from an email link or from disk, and prints. A Content-Security-Policy meta tag
 * makes that a guarantee rather than a habit: the browser refuses any script or request.
 *
 * Pure: a {@link NightReport} and earlier nights' metric rows in, a string out.
 */

import { addDays } from '../dates';
import type { NightReport } from '../results/report';
import type { MetricRow } from '../results/rows';
import { html, raw } from './escape';
import { formatDay, formatInstant } from './format-date';
import { buildSeries, REPORT_HISTORY_NIGHTS } from './history';
import { renderAlerts } from './sections/alerts';
import { renderCandidates } from './sections/candidates';
import { renderHeadline } from './sections/headline';
import { renderRun } from './sections/run';
import { renderTreeSection } from './sections/tree';
import { renderTrend } from './sections/trend';
import { renderWatched } from './sections/watched';
import { REPORT_CSS } from './styles';

/** No scripts, no connections, no external anything; inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * Renders the page for `report.dt`.
 *
 * @param report the night's report document
 * @param history earlier nights' metric rows (any order; the charts use `D-90 … D-1`, see
 *   `REPORT_HISTORY_NIGHTS`); rows for `report.dt` itself are taken from `report.metrics`
 */
export function renderReportHtml(report: NightReport, history: MetricRow[]): string {
  const from = addDays(report.dt, -REPORT_HISTORY_NIGHTS);
  const series = buildSeries(history, report.metrics, from, report.dt);
  const title = `North Star report · ${formatDay(report.dt)}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="nsm-nightly">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
<main>
<header class="top"><h1>North Star report · ${formatDay(report.dt).replaceAll(' ', '\u00a0')}</h1><span class="sub">${report.engine} · generated ${formatInstant(report.generated_at)}</span></header>
${renderHeadline(report)}
${renderTrend(report, series, from)}
${renderTreeSection(report)}
${renderWatched(report, series, from)}
${renderCandidates(report)}
${renderAlerts(report)}
${renderRun(report)}
<footer>nsm-nightly · night of ${report.dt} · a self-contained page: no scripts, no network requests.</footer>
</main>
</body>
</html>
`.value;
}
