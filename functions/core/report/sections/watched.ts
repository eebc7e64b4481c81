/** Small multiples: one card with a sparkline per watched metric. */
import type { NightReport } from '../../results/report';
import { html, raw, type SafeHtml } from '../escape';
import { formatNumber } from '../format';
import { formatDay } from '../format-date';
import type { SeriesPoint } from '../history';
import { renderSparkline } from '../sparkline';
import { changeHtml, metricsById, statusPill } from './parts';

export function renderWatched(report: NightReport, series: Map<string, SeriesPoint[]>, from: string): SafeHtml {
  const byId = metricsById(report);
  const ids = [...new Set(report.watch)];
  if (ids.length === 0) return html`<section id="watched"><h2>Watched metrics</h2><p class="note">No metric is watched.</p></section>`;
  const cards = ids.map((id, i) => {
    const m = byId.get(id);
    const name = m?.name || id;
    const points = series.get(id) ?? [];
    const vals = points.map((p) => p.value).filter((v): v is number => v !== null);
    const drops = points.filter((p) => p.drop).length;
    const spark = renderSparkline(points, {
      id: `spark-${i}`,
      title: `${name}: last ${points.length} night${points.length === 1 ? '' : 's'}`,
      desc: vals.length
        ? `From ${formatDay(from)} to ${formatDay(report.dt)}: between ${formatNumber(Math.min(...vals))} and ${formatNumber(Math.max(...vals))}, tonight ${formatNumber(m?.value ?? null)}; ${drops} drop night${drops === 1 ? '' : 's'}.`
        : 'No values in this window.',
      from,
      to: report.dt,
    });
    return html`<div class="card${m?.status === 'drop' ? ' is-drop' : ''}">
<div class="card-name">${name}</div><div class="card-id">${id}</div>
<div class="card-row"><span class="card-value">${formatNumber(m?.value ?? null)}</span>${changeHtml(m?.change_pct ?? null)}</div>
${raw(spark)}
<div class="card-row"><span class="sub">baseline ${formatNumber(m?.baseline ?? null)}</span>${m ? statusPill(m.status) : html`<span class="sub">not computed</span>`}</div>
</div>`;
  });
  return html`<section id="watched"><h2>Watched metrics</h2><div class="cards">${cards}</div>
<p class="note">Each line covers the same nights as the trend; red dots are drop nights, the large dot is tonight, the shade is baseline ± spread.</p></section>`;
}
