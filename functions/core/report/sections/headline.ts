/** The headline: the north star's value, its change vs baseline, its status, the data's completeness. */
import type { DataCompleteness, NightReport } from '../../results/report';
import { html, type SafeHtml } from '../escape';
import { formatInteger, formatNumber, formatPercent, formatZ } from '../format';
import { weekdayName } from '../format-date';
import { changeHtml, metricsById, statusPill } from './parts';

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

export function renderHeadline(report: NightReport): SafeHtml {
  const nsm = metricsById(report).get(report.north_star);
  const drops = report.alerts.filter((a) => a.kind === 'drop').length;
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
<dt>Alerts</dt><dd>${report.alerts.length === 0 ? 'None this night' : `${drops} drop${drops === 1 ? '' : 's'}${report.alerts.length > drops ? `, ${report.alerts.length - drops} data` : ''}`}</dd>
<dt>Candidates</dt><dd>${report.candidates === null ? 'Not configured' : `${strong} strong of ${report.candidates.rows.length}`}</dd>
</dl>
</section>`;
}
