/** The north star over the last nights: line, baseline band, drops. */
import type { NightReport } from '../../results/report';
import { html, type SafeHtml } from '../escape';
import { formatChangePct, formatNumber } from '../format';
import { formatDay } from '../format-date';
import type { SeriesPoint } from '../history';
import { renderLineChart } from '../line-chart';
import { metricName, metricsById, variants } from './parts';

/** The chart's text alternative: the window, the range, tonight, and the drop nights. */
export function trendDescription(name: string, points: readonly SeriesPoint[], from: string, to: string): string {
  const vals = points.map((p) => p.value).filter((v): v is number => v !== null);
  if (vals.length === 0) return `${name}: no values between ${formatDay(from)} and ${formatDay(to)}.`;
  const drops = points.filter((p) => p.drop).map((p) => formatDay(p.dt));
  const last = points.find((p) => p.dt === to);
  return [
    `${name} on ${vals.length} night${vals.length === 1 ? '' : 's'} from ${formatDay(from)} to ${formatDay(to)},`,
    `between ${formatNumber(Math.min(...vals))} and ${formatNumber(Math.max(...vals))}.`,
    last
      ? `Tonight ${formatNumber(last.value)}, ${formatChangePct(last.change_pct)} vs baseline ${formatNumber(last.baseline)}.`
      : 'No value tonight.',
    drops.length ? `Drops on ${drops.join(', ')}.` : 'No drops.',
  ].join(' ');
}

export function renderTrend(report: NightReport, series: Map<string, SeriesPoint[]>, from: string): SafeHtml {
  const name = metricName(metricsById(report), report.north_star);
  const points = series.get(report.north_star) ?? [];
  const frame = {
    title: `${name}: last ${points.length} night${points.length === 1 ? '' : 's'}`,
    desc: trendDescription(name, points, from, report.dt),
  };
  const wide = renderLineChart(points, { ...frame, id: 'trend-wide', from, to: report.dt });
  const narrow = renderLineChart(points, {
    ...frame,
    id: 'trend-narrow',
    from,
    to: report.dt,
    width: 380,
    height: 250,
    xTicks: 4,
    yTicks: 4,
  });
  return html`<section id="trend"><h2>North Star trend</h2>
<figure>${variants(wide, narrow)}
<figcaption class="legend"><span><i class="key key-series"></i>${name}</span><span><i class="key key-baseline"></i>baseline (same-weekday median)</span><span><i class="key key-band"></i>baseline ± spread</span><span><i class="key key-drop">▼</i> drop</span></figcaption>
</figure></section>`;
}
