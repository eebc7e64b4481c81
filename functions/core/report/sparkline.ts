/**
 * Sparkline: a metric's recent nights as a small line with no axes, the baseline band behind it,
 * drop nights as red dots ringed in the background colour, and tonight's point emphasised. Sized
 * by its viewBox and scaled by the page; strokes keep their width (`vector-effect`).
 */
import { html } from './escape';
import { bandPts, fin, type LinePoint, nightWindow, seriesPts } from './night-series';
import { scaleLinear } from './scale-linear';
import { scaleTime } from './scale-time';
import { bandPath, type ChartFrame, isolated, linePath, num, svgRoot } from './svg';

export interface SparklineOptions extends ChartFrame {
  from: string;
  to: string;
  /** viewBox size; default 200 × 44. */
  width?: number;
  height?: number;
}

export function renderSparkline(points: readonly LinePoint[], opts: SparklineOptions): string {
  const W = opts.width ?? 200;
  const H = opts.height ?? 44;
  const pad = 5;
  const nights = nightWindow(points, opts.from, opts.to);
  const { from, to, days, byDay } = nights;

  const ys: number[] = [];
  for (const p of byDay.values()) for (const v of [p.value, p.low, p.high]) if (fin(v)) ys.push(v);
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const x = scaleTime(from, to, [pad, W - pad]);
  const y = scaleLinear([lo, hi], [H - pad, pad]);

  const line = seriesPts(nights, x, y, (p) => p.value);
  const band = bandPts(nights, x, y);
  const bandD = bandPath(band, 1.5);
  const lineD = linePath(line);
  const dots = isolated(line)
    .map((p) => html`<circle class="series-dot" cx="${num(p.x)}" cy="${num(p.y)}" r="2"/>`.value)
    .join('');
  const drops = days
    .map((d) => {
      const p = byDay.get(d);
      return p?.drop && fin(p.value) ? html`<circle class="drop-dot" cx="${num(x(d))}" cy="${num(y(p.value))}" r="3"/>`.value : '';
    })
    .join('');
  const last = byDay.get(to);
  const today = last && fin(last.value) ? html`<circle class="today" cx="${num(x(to))}" cy="${num(y(last.value))}" r="3.5"/>`.value : '';
  const body = [
    bandD ? html`<path class="band" d="${bandD}"/>`.value : '',
    lineD ? html`<path class="series" d="${lineD}"/>`.value : '',
    dots,
    drops,
    today,
  ].join('');
  return svgRoot(opts, 'sparkline', W, H, body);
}
