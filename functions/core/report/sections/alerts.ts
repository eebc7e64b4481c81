/** Alerts for the night, each with its drivers as the email listed them. */
import type { NightReport } from '../../results/report';
import type { AlertRow, Driver } from '../../results/rows';
import { html, type SafeHtml } from '../escape';
import { formatNumber, formatZ } from '../format';
import { changeHtml, metricName, metricsById, statusPill } from './parts';

/**
 * Drivers in the alert's own order (the drill-down sorts the whole subtree by the size of the
 * move, so rows are not nested by parent); `depth` is shown as a level. A ratio's numerator and
 * denominator follow it, indented.
 */
function driverRows(ds: readonly Driver[], part = ''): SafeHtml[] {
  const out: SafeHtml[] = [];
  for (const d of ds) {
    const where = part ? `${d.metric_id}` : `${d.metric_id} · level ${d.depth}`;
    out.push(
      html`<tr class="lvl${part ? 1 : 0}"><td class="head">${part}${d.name || d.metric_id}<span class="id">${where}</span></td><td class="n" data-label="Value">${formatNumber(d.value)}</td><td class="n" data-label="Baseline">${formatNumber(d.baseline)}</td><td class="n" data-label="Change">${changeHtml(d.change_pct)}</td><td data-label="Status">${statusPill(d.status)}</td></tr>`,
    );
    if (d.parts && !part) {
      out.push(...driverRows([d.parts.numerator], 'numerator: '));
      out.push(...driverRows([d.parts.denominator], 'denominator: '));
    }
  }
  return out;
}

/** The id of an alert's card, which the headline links to: `alert-<metric id>`, or `alert-data`. */
export function alertAnchor(a: Pick<AlertRow, 'kind' | 'metric_id'>): string {
  return a.kind !== 'data_incomplete' && a.metric_id !== null ? `alert-${a.metric_id}` : 'alert-data';
}

function alertCard(a: AlertRow, report: NightReport): SafeHtml {
  const byId = metricsById(report);
  const incident = a.incident_id ? html` Incident <code>${a.incident_id}</code>, night ${String(a.night_of_incident ?? '')}.` : '';
  const what =
    a.kind !== 'data_incomplete' && a.metric_id !== null
      ? html`<p><strong>${metricName(byId, a.metric_id)}</strong> <code>${a.metric_id}</code>: ${formatNumber(a.value)} vs baseline ${formatNumber(a.baseline)}, ${changeHtml(a.change_pct)}, robust z ${formatZ(a.robust_z)}.${incident}</p>`
      : html`<p>The night's data looked incomplete, so no drop alerts were judged.</p>`;
  const drivers = a.drivers?.length
    ? html`<div class="table-wrap"><table class="stack"><caption class="note">Drivers: the inputs beneath it, largest move first</caption><thead><tr><th>Metric</th><th class="n">Value</th><th class="n">Baseline</th><th class="n">Change</th><th>Status</th></tr></thead><tbody>${driverRows(a.drivers)}</tbody></table></div>`
    : '';
  const pill =
    a.kind === 'data_incomplete' ? statusPill('data_incomplete') : a.kind === 'recovered' ? statusPill('ok') : statusPill('drop');
  return html`<article class="alert kind-${a.kind}" id="${alertAnchor(a)}"><h3>${pill} ${a.subject}</h3>${what}${drivers}<p class="note">SMS: ${a.sms}</p></article>`;
}

export function renderAlerts(report: NightReport): SafeHtml {
  const n = report.alerts.length;
  return html`<section id="alerts"><h2>Alerts for this night${n ? ` (${n})` : ''}</h2>${
    n === 0 ? html`<p class="note">No alerts for this night.</p>` : report.alerts.map((a) => alertCard(a, report))
  }</section>`;
}
