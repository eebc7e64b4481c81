/** Small HTML pieces the report's sections share. */

import type { NightReport } from '../../results/report';
import type { MetricRow } from '../../results/rows';
import { html, raw, type SafeHtml } from '../escape';
import { arrow, direction, formatChangePct } from '../format';
import { statusText } from '../status';

/** A change vs baseline: arrow, signed percentage and a colour class. */
export function changeHtml(pct: number | null): SafeHtml {
  const d = direction(pct);
  return html`<span class="chg chg-${d}">${d === 'none' ? '' : `${arrow(d)} `}${formatChangePct(pct)}</span>`;
}

/** A metric status as a pill with symbol and words. */
export function statusPill(status: string): SafeHtml {
  const s = statusText(status);
  return html`<span class="pill st-${status.replace(/[^a-z_]/g, '')}">${s.icon} ${s.label}</span>`;
}

/**
 * The same chart in two renderings: `wide` for screens over 700px and print, `narrow` for phones.
 * CSS shows exactly one, so text inside the SVG stays readable at both sizes.
 */
export function variants(wide: string, narrow: string): SafeHtml {
  return html`<div class="v-wide">${raw(wide)}</div><div class="v-narrow">${raw(narrow)}</div>`;
}

/** Metric rows of the night by id. */
export function metricsById(report: NightReport): Map<string, MetricRow> {
  return new Map(report.metrics.map((m) => [m.metric_id, m]));
}

/** A metric's human name, or its id when the night has no row for it. */
export function metricName(byId: Map<string, MetricRow>, id: string): string {
  return byId.get(id)?.name || id;
}
