/** The headline: the north star's value, its change vs baseline, its status, the data's completeness. */
import type { DataCompleteness, NightReport } from '../../results/report';
import { html, joinHtml, type SafeHtml } from '../escape';
import { formatInteger, formatNumber, formatPercent, formatZ } from '../format';
import { weekdayName } from '../format-date';
import { alertAnchor } from './alerts';
import { changeHtml, metricName, metricsById, statusPill } from './parts';

/** One sentence on whether D's data looked complete to the freshness guard. */
export function completenessText(data: DataCompleteness, dt: string): string {
  if (data.partition_missing) return `Incomplete: no data for this night (partition missing).`;
  if (data.partition_empty) return `Incomplete: the partition for this night is in the lake but holds no events (partition empty).`;
  const events = `${formatInteger(data.day_events)} events`;
  if (data.status === 'unknown' || data.ratio === null || data.baseline_events === null) {
    return `${events}; not enough history to compare.`;
  }
  const usual = `${formatPercent(data.ratio)} of the usual ${weekdayName(dt) || 'day'} (${formatInteger(data.baseline_events)})`;
  return data.status === 'incomplete' ? `Incomplete: ${events}, only ${usual}.` : `${events}, ${usual}.`;
}

const DATA_LABEL = { complete: '✓ Complete', incomplete: '! Incomplete', unknown: '? Unknown' } as const;

/**
 * The night's alerts in one line, naming each dropped metric with its change (linked to its alert
 * card), so the headline says what dropped, not only how many: `2 drops: A ▼ −13.4%, B ▼ −9.0%`.
 */
export function alertsSummary(report: NightReport): SafeHtml | string {
  if (report.alerts.length === 0) return 'None this night';
  const byId = metricsById(report);
  const drops = report.alerts.filter((a) => a.kind === 'drop' && a.metric_id !== null);
  const parts: SafeHtml[] = [];
  if (drops.length > 0) {
    const named = drops.map(
      (a) => html`<a href="#${alertAnchor(a)}">${metricName(byId, a.metric_id ?? '')}</a> ${changeHtml(a.change_pct)}`,
    );
    parts.push(html`${drops.length} drop${drops.length === 1 ? '' : 's'}: ${joinHtml(named, ', ')}`);
  }
  for (const [kind, label] of [
    ['still_down', 'still down'],
    ['recovered', 'recovered'],
  ] as const) {
    const of = report.alerts.filter((a) => a.kind === kind && a.metric_id !== null);
    if (of.length > 0)
      parts.push(
        html`${label}: ${joinHtml(
          of.map((a) => html`<a href="#${alertAnchor(a)}">${metricName(byId, a.metric_id ?? '')}</a> ${changeHtml(a.change_pct)}`),
          ', ',
        )}`,
      );
  }
  const data = report.alerts.find((a) => a.kind === 'data_incomplete');
  if (data) parts.push(html`<a href="#${alertAnchor(data)}">data incomplete</a>`);
  return joinHtml(parts, '; ');
}

export function renderHeadline(report: NightReport): SafeHtml {
  const nsm = metricsById(report).get(report.north_star);
  const strong = report.candidates?.rows.filter((r) => r.verdict === 'strong').length ?? null;
  const dataStatus = DATA_LABEL[report.data.status] ?? report.data.status;
  const kpi = nsm
    ? html`<div class="kpi-label">North Star · ${nsm.name}</div>
<div class="kpi-value">${formatNumber(nsm.value)}</div>
<div class="kpi-change">${changeHtml(nsm.change_pct)} <span class="sub">vs baseline ${formatNumber(nsm.baseline)}</span></div>
<div>${statusPill(nsm.status)} <span class="sub">robust z ${formatZ(nsm.robust_z)}</span></div>`
    : html`<div class="kpi-label">North Star · <code>${report.north_star}</code></div><p>No value was computed for the north star this night.</p>`;
  return html`<section class="headline" id="headline" aria-label="Headline">
<div class="kpi">${kpi}</div>
<dl class="facts">
<dt>Data</dt><dd><span class="pill st-${report.data.status}">${dataStatus}</span> ${completenessText(report.data, report.dt)}</dd>
<dt>Alerts</dt><dd>${alertsSummary(report)}</dd>
<dt>Candidates</dt><dd>${report.candidates === null ? 'Not configured' : `${strong} strong of ${report.candidates.rows.length}`}</dd>
</dl>
</section>`;
}
