/**
 * Forest plot of candidate lifts: one row per action, the lift as a square and its 95% confidence
 * interval as a line, on a log axis (so 0.5× and 2× sit equally far from 1×). A dashed line marks
 * "no effect" (1×) and an accented line marks `min_lift`, the threshold of a `strong` verdict.
 *
 * The verdict shows as the marker's fill (solid = strong, tinted = weak, hollow = insufficient
 * data) and as a word beside the label. Intervals beyond the axis end in an arrow. An action with
 * no lift (nobody retained without it, so the ratio is undefined) gets a sentence instead of a mark.
 */
import type { Verdict } from '../results/rows';
import { html, raw } from './escape';
import { formatLift, formatLiftTick } from './format';
import { scaleLog } from './scale-log';
import { type ChartFrame, num, svgRoot, textWidth, truncate } from './svg';
import { logCeil125, logFloor125, logTicks } from './ticks';

export interface ForestRow {
  id: string;
  label: string;
  lift: number | null;
  low: number | null;
  high: number | null;
  verdict: Verdict;
  /** Shown in the plot area when there is no lift to draw. */
  note?: string;
}

export interface ForestPlotOptions extends ChartFrame {
  /** The `min_lift` threshold; drawn when > 0. */
  minLift: number;
  /** `wide` (labels in a column on the left) or `narrow` (label above each row); default `wide`. */
  layout?: 'wide' | 'narrow';
  /** viewBox width; default 760 (wide) or 380 (narrow). */
  width?: number;
}

/** The axis never spans more than 1/1000× … 1000×; anything beyond is clipped with an arrow. */
const AXIS_MIN = 1e-3;
const AXIS_MAX = 1e3;

const VERDICT_WORD: Record<Verdict, string> = { strong: 'strong', weak: 'weak', insufficient_data: 'too few users' };

const pos = (x: number | null): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** The log-axis domain: every finite positive lift and bound, 1× and min_lift, widened to 1-2-5 values. */
export function forestDomain(rows: readonly ForestRow[], minLift: number): [number, number] {
  const vs = [1];
  if (pos(minLift)) vs.push(minLift);
  for (const r of rows) for (const v of [r.lift, r.low, r.high]) if (pos(v)) vs.push(v);
  let lo = Math.max(AXIS_MIN, logFloor125(Math.max(AXIS_MIN, Math.min(...vs))));
  let hi = Math.min(AXIS_MAX, logCeil125(Math.min(AXIS_MAX, Math.max(...vs))));
  if (!(hi > lo)) {
    lo = logFloor125(lo / 2);
    hi = logCeil125(hi * 2);
  }
  return [lo, hi];
}

export function renderForestPlot(rows: readonly ForestRow[], opts: ForestPlotOptions): string {
  const narrow = opts.layout === 'narrow';
  const W = opts.width ?? (narrow ? 380 : 760);
  const fs = narrow ? 13 : 12;
  if (rows.length === 0) {
    return svgRoot(
      opts,
      'forest',
      W,
      60,
      html`<text class="empty" x="${num(W / 2)}" y="34" text-anchor="middle">No candidate actions</text>`,
    );
  }
  const labelW = narrow ? 0 : Math.min(280, Math.max(160, W * 0.32));
  const x0 = narrow ? 14 : labelW + 16;
  const x1 = W - 22;
  const top = 26;
  const rowH = narrow ? 46 : 30;
  const H = top + rows.length * rowH + fs + 16;
  const [lo, hi] = forestDomain(rows, opts.minLift);
  const x = scaleLog([lo, hi], [x0, x1]);
  const ticks = logTicks(lo, hi);
  const axisY = top + rows.length * rowH;

  const parts: string[] = [];
  rows.forEach((_, i) => {
    if (i % 2 === 1)
      parts.push(html`<rect class="row-band" x="0" y="${num(top + i * rowH)}" width="${num(W)}" height="${num(rowH)}"/>`.value);
  });
  // Vertical lines: whole height on wide plots; on narrow ones only beside the marks, so that
  // they never cross the labels written above each row.
  const vline = (cls: string, px: number, from: number) =>
    narrow
      ? rows
          .map(
            (_, i) =>
              html`<line class="${cls}" x1="${num(px)}" x2="${num(px)}" y1="${num(top + i * rowH + 21)}" y2="${num(top + (i + 1) * rowH)}"/>`
                .value,
          )
          .join('')
      : html`<line class="${cls}" x1="${num(px)}" x2="${num(px)}" y1="${num(from)}" y2="${num(axisY)}"/>`.value;
  for (const t of ticks) {
    parts.push(
      vline('grid', x(t), top),
      html`<text class="tick" x="${num(x(t))}" y="${num(axisY + fs + 6)}" text-anchor="middle">${formatLiftTick(t)}</text>`.value,
    );
  }
  parts.push(html`<line class="axis" x1="${num(x0)}" x2="${num(x1)}" y1="${num(axisY)}" y2="${num(axisY)}"/>`.value);
  parts.push(vline('ref-one', x(1), top - 4));
  if (pos(opts.minLift) && opts.minLift >= lo && opts.minLift <= hi) {
    const mx = x(opts.minLift);
    const label = `min lift ${formatLift(opts.minLift)}`;
    const half = textWidth(label, fs) / 2;
    const anchor = mx + half > W - 2 ? 'end' : mx - half < 2 ? 'start' : 'middle';
    parts.push(
      narrow ? html`<line class="ref-min" x1="${num(mx)}" x2="${num(mx)}" y1="${num(top - 6)}" y2="${num(top)}"/>`.value : '',
      vline('ref-min', mx, top - 6),
      html`<text class="ref-label" x="${num(mx)}" y="${num(top - 10)}" text-anchor="${anchor}">${label}</text>`.value,
    );
  }

  rows.forEach((r, i) => {
    const y0 = top + i * rowH;
    const cy = narrow ? y0 + 32 : y0 + rowH / 2;
    const word = VERDICT_WORD[r.verdict] ?? r.verdict;
    const labelText = narrow
      ? html`<text class="row-label" x="${num(x0)}" y="${num(y0 + 15)}">${truncate(r.label, W - x0 - textWidth(word, 11) - 24, fs)}</text><text class="row-verdict verdict-${r.verdict}" x="${num(W - 8)}" y="${num(y0 + 15)}" text-anchor="end">${word}</text>`
      : html`<text class="row-label" x="8" y="${num(cy + fs * 0.35)}">${truncate(r.label, labelW - textWidth(word, 11) - 20, fs)}</text><text class="row-verdict verdict-${r.verdict}" x="${num(labelW + 4)}" y="${num(cy + fs * 0.35)}" text-anchor="end">${word}</text>`;
    const ci = pos(r.low) && pos(r.high) ? `95% CI ${formatLift(r.low)}–${formatLift(r.high)}` : 'no confidence interval';
    const tip = `${r.label}: lift ${formatLift(r.lift)}, ${ci}, ${word}`;
    let mark = '';
    if (pos(r.low) && pos(r.high)) {
      const a = x(r.low);
      const b = x(r.high);
      const clipLo = r.low < lo;
      const clipHi = r.high > hi;
      mark += html`<line class="ci" x1="${num(a)}" x2="${num(b)}" y1="${num(cy)}" y2="${num(cy)}"/>`.value;
      mark += clipLo
        ? html`<path class="ci-arrow" d="M${num(a)},${num(cy)}l7,-4v8z"/>`.value
        : html`<line class="ci" x1="${num(a)}" x2="${num(a)}" y1="${num(cy - 5)}" y2="${num(cy + 5)}"/>`.value;
      mark += clipHi
        ? html`<path class="ci-arrow" d="M${num(b)},${num(cy)}l-7,-4v8z"/>`.value
        : html`<line class="ci" x1="${num(b)}" x2="${num(b)}" y1="${num(cy - 5)}" y2="${num(cy + 5)}"/>`.value;
    }
    if (pos(r.lift)) {
      const px = x(r.lift);
      mark += html`<rect class="pt pt-${r.verdict}" x="${num(px - 5)}" y="${num(cy - 5)}" width="10" height="10"/>`.value;
    } else if (r.lift === 0) {
      const text = `lift ${formatLift(0)} (nobody retained with the action)`;
      mark +=
        html`<rect class="note-bg${i % 2 ? ' note-bg-odd' : ''}" x="${num(x0)}" y="${num(cy - 9)}" width="${num(Math.min(x1 - x0, textWidth(text, 11) + 16))}" height="16"/><path class="ci-arrow" d="M${num(x0)},${num(cy)}l7,-4v8z"/><text class="row-note" x="${num(x0 + 12)}" y="${num(cy + 4)}">${text}</text>`
          .value;
    } else {
      const note = r.note ?? 'no lift: nobody without the action was retained';
      const text = truncate(note, x1 - x0 - 8, 11);
      // A backing the colour of the row keeps the sentence readable over the grid lines.
      mark +=
        html`<rect class="note-bg${i % 2 ? ' note-bg-odd' : ''}" x="${num(x0)}" y="${num(cy - 9)}" width="${num(Math.min(x1 - x0, textWidth(text, 11) + 8))}" height="16"/><text class="row-note" x="${num(x0 + 4)}" y="${num(cy + 4)}">${text}</text>`
          .value;
    }
    parts.push(html`<g class="forest-row"><title>${tip}</title>${labelText}${raw(mark)}</g>`.value);
  });
  return svgRoot(opts, 'forest', W, H, parts.join(''));
}
