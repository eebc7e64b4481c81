/**
 * The North Star check as a chart: the correlation of the North Star's weekly changes with revenue's
 * changes `lag` weeks later, one point per lag with its 95% interval as a vertical line, on a fixed
 * −1 … 1 axis with a line at 0. The best lag is drawn in the accent colour.
 */
import type { LagCorrelation } from '../north-star-check/lag-correlations';
import { html } from './escape';
import { type ChartFrame, num, svgRoot } from './svg';

export function renderLagChart(lags: readonly LagCorrelation[], bestLag: number | null, frame: ChartFrame): string {
  const left = 40;
  const right = 12;
  const top = 10;
  const plotH = 150;
  const step = Math.max(28, Math.min(70, 560 / Math.max(1, lags.length)));
  const W = left + lags.length * step + right;
  const H = top + plotH + 34;
  const y = (r: number) => top + ((1 - r) / 2) * plotH;
  const parts: string[] = [];
  for (const t of [-1, -0.5, 0, 0.5, 1]) {
    parts.push(
      html`<line class="${t === 0 ? 'ref-one' : 'grid'}" x1="${num(left)}" x2="${num(W - right)}" y1="${num(y(t))}" y2="${num(y(t))}"/><text class="tick" x="${num(left - 6)}" y="${num(y(t) + 4)}" text-anchor="end">${t === 0 ? '0' : t.toFixed(1).replace('-', '−')}</text>`
        .value,
    );
  }
  lags.forEach((l, i) => {
    const x = left + i * step + step / 2;
    parts.push(html`<text class="tick" x="${num(x)}" y="${num(top + plotH + 16)}" text-anchor="middle">${l.lag}</text>`.value);
    const cls = l.lag === bestLag ? 'pt-strong' : 'pt-weak';
    const tip = `lag ${l.lag} weeks: ${l.r === null ? 'no correlation' : `r ${l.r.toFixed(2)}`}${l.ci_low !== null && l.ci_high !== null ? ` (95% CI ${l.ci_low.toFixed(2)} to ${l.ci_high.toFixed(2)})` : ''}, ${l.n} pairs`;
    let mark = '';
    if (l.ci_low !== null && l.ci_high !== null) {
      mark += html`<line class="ci" x1="${num(x)}" x2="${num(x)}" y1="${num(y(l.ci_low))}" y2="${num(y(l.ci_high))}"/>`.value;
    }
    if (l.r !== null) mark += html`<circle class="${cls}" cx="${num(x)}" cy="${num(y(l.r))}" r="5"/>`.value;
    else mark += html`<text class="row-note" x="${num(x)}" y="${num(y(0) - 6)}" text-anchor="middle">–</text>`.value;
    parts.push(html`<g class="lag"><title>${tip}</title>${mark}</g>`.value);
  });
  parts.push(
    html`<text class="hm-axis" x="${num(left)}" y="${num(H - 2)}">lag (weeks from the North Star's change to revenue's)</text>`.value,
  );
  return svgRoot(frame, 'lags', W, H, parts.join(''));
}
