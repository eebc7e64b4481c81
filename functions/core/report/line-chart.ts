/**
 * Line chart of one metric over calendar days: the value as a line, the baseline as a dashed line
 * inside its band (baseline ± spread), drop nights marked with a downward triangle (shape as well
 * as colour), tonight's point ringed. Missing nights break the line; a night with no neighbours
 * is drawn as a dot. Data → SVG string, no DOM.
 */
import { daysBetween } from '../dates';
import { dayTicks } from './day-ticks';
import { html } from './escape';
import { formatChangePct, formatNumber, formatTicks } from './format';
import { formatDay } from './format-date';
import { bandPts, fin, type LinePoint, nightWindow, seriesPts } from './night-series';
import { scaleLinear } from './scale-linear';
import { scaleTime } from './scale-time';
import { bandPath, type ChartFrame, isolated, linePath, num, svgRoot, textWidth } from './svg';
import { niceTicks } from './ticks';

export type { LinePoint } from './night-series';

export interface LineChartOptions extends ChartFrame {
  /** First and last day of the x axis (`YYYY-MM-DD`, `from <= to`); points outside are ignored. */
  from: string;
  to: string;
  /** viewBox size; default 760 × 300. */
  width?: number;
  height?: number;
  /** At most this many date labels; default 8. */
  xTicks?: number;
  /** About this many value intervals; default 5. */
  yTicks?: number;
  /** Label size in viewBox units; default 12. */
  fontSize?: number;
}

export function renderLineChart(points: readonly LinePoint[], opts: LineChartOptions): string {
  const W = opts.width ?? 760;
  const H = opts.height ?? 300;
  const fs = opts.fontSize ?? 12;
  const nights = nightWindow(points, opts.from, opts.to);
  const { from, to, days, byDay } = nights;

  const ys: number[] = [];
  for (const p of byDay.values()) for (const v of [p.value, p.baseline, p.low, p.high]) if (fin(v)) ys.push(v);
  const { domain, ticks } = ys.length ? niceTicks(Math.min(...ys), Math.max(...ys), opts.yTicks ?? 5) : niceTicks(0, 1, 2);
  const labels = formatTicks(ticks);

  const left = Math.ceil(Math.max(...labels.map((l) => textWidth(l, fs)), 10) + 12);
  const right = 14;
  const top = 12;
  const bottom = Math.ceil(fs * 2 + 6);
  const x = scaleTime(from, to, [left, W - right]);
  // 8 units of air above and below the data so markers never sit on the axis.
  const y = scaleLinear(domain, [H - bottom - 8, top + 8]);
  const dayWidth = (W - left - right) / Math.max(1, daysBetween(from, to));

  const grid = ticks
    .map(
      (t, i) =>
        html`<line class="grid" x1="${num(left)}" x2="${num(W - right)}" y1="${num(y(t))}" y2="${num(y(t))}"/><text class="tick" x="${num(left - 6)}" y="${num(y(t) + fs * 0.35)}" text-anchor="end">${labels[i]}</text>`,
    )
    .map(String)
    .join('');

  const xt = dayTicks(from, to, opts.xTicks ?? 8);
  const xAxis = xt
    .map((t) => {
      const px = x(t.day);
      const half = textWidth(t.label, fs) / 2;
      const anchor = px - half < 2 ? 'start' : px + half > W - 2 ? 'end' : 'middle';
      const tx = anchor === 'start' ? Math.max(2, px - 4) : anchor === 'end' ? Math.min(W - 2, px + 4) : px;
      return html`<line class="axis" x1="${num(px)}" x2="${num(px)}" y1="${num(H - bottom)}" y2="${num(H - bottom + 4)}"/><text class="tick" x="${num(tx)}" y="${num(H - bottom + 6 + fs)}" text-anchor="${anchor}">${t.label}</text>`
        .value;
    })
    .join('');

  const band = bandPts(nights, x, y);
  const baseline = seriesPts(nights, x, y, (p) => p.baseline);
  const line = seriesPts(nights, x, y, (p) => p.value);

  const bandD = bandPath(band, Math.max(2, dayWidth / 2));
  const baseD = linePath(baseline);
  const lineD = linePath(line);
  const dots = isolated(line)
    .map((p) => html`<circle class="series-dot" cx="${num(p.x)}" cy="${num(p.y)}" r="3"/>`.value)
    .join('');
  const baseDots = isolated(baseline)
    .map((p) => html`<line class="baseline" x1="${num(p.x - 4)}" x2="${num(p.x + 4)}" y1="${num(p.y)}" y2="${num(p.y)}"/>`.value)
    .join('');

  const drops = days
    .map((d) => {
      const p = byDay.get(d);
      if (!p?.drop || !fin(p.value)) return '';
      const px = x(d);
      const py = y(p.value);
      return html`<g class="drop-marker"><title>Drop on ${formatDay(d)}: ${formatNumber(p.value)} (${formatChangePct(p.change_pct)} vs baseline)</title><path d="M${num(px - 6)},${num(py - 5)}H${num(px + 6)}L${num(px)},${num(py + 6)}Z"/></g>`
        .value;
    })
    .join('');

  // Tonight: a ring around the point (around the drop marker when tonight is a drop).
  const last = byDay.get(to);
  const today =
    last && fin(last.value)
      ? html`<g class="today-mark"><title>${formatDay(to)}: ${formatNumber(last.value)}</title>${last.drop ? '' : html`<circle class="today" cx="${num(x(to))}" cy="${num(y(last.value))}" r="4"/>`}<circle class="today-ring" cx="${num(x(to))}" cy="${num(y(last.value))}" r="${last.drop ? 10 : 7}"/></g>`
          .value
      : '';

  const body = [
    grid,
    html`<line class="axis" x1="${num(left)}" x2="${num(W - right)}" y1="${num(H - bottom)}" y2="${num(H - bottom)}"/>`.value,
    xAxis,
    bandD ? html`<path class="band" d="${bandD}"/>`.value : '',
    baseD ? html`<path class="baseline" d="${baseD}"/>`.value : '',
    baseDots,
    lineD ? html`<path class="series" d="${lineD}"/>`.value : '',
    dots,
    drops,
    today,
    byDay.size === 0
      ? html`<text class="empty" x="${num(W / 2)}" y="${num(H / 2)}" text-anchor="middle">No data for these nights</text>`.value
      : '',
  ].join('');
  return svgRoot(opts, 'line', W, H, body);
}
