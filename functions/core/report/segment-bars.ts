/**
 * A small horizontal bar chart of a metric's top segments: one row per segment, its label on the
 * left and a bar of its `contribution_pct` (its part of the metric's move) from a zero line, to
 * the left for a negative part and to the right for a positive one, with the figure beside it.
 * Colours follow the segment's own change (down red, up green) and the figure is always written,
 * so colour is never the only signal.
 */
import type { SegmentRow } from '../results/rows';
import { html } from './escape';
import { direction, formatChangePct, MINUS } from './format';
import { type ChartFrame, num, svgRoot, truncate } from './svg';

export interface SegmentBarsOptions extends ChartFrame {
  /** viewBox width; default 380. */
  width?: number;
}

const ROW = 22;
const PAD = 6;
const LABEL_W = 130;
const FIGURE_W = 52;
const FS = 12;

/** `96%`, `−27%` (a part of a move, in percent, no decimals). */
export function formatPart(pct: number): string {
  return `${pct < 0 ? MINUS : ''}${Math.abs(pct).toFixed(0)}%`;
}

/** `platform=android`. */
export function segmentName(s: Pick<SegmentRow, 'dimension' | 'segment'>): string {
  return `${s.dimension}=${s.segment}`;
}

/** Renders `rows` (already chosen and ordered) as bars of `contribution_pct`; rows without one are skipped. */
export function renderSegmentBars(rows: readonly SegmentRow[], opts: SegmentBarsOptions): string {
  const W = opts.width ?? 380;
  const bars = rows.filter((r): r is SegmentRow & { contribution_pct: number } => typeof r.contribution_pct === 'number');
  if (bars.length === 0) {
    return svgRoot(
      opts,
      'segments',
      W,
      40,
      html`<text class="empty" x="${num(W / 2)}" y="24" text-anchor="middle">No segment explains the move yet</text>`,
    );
  }
  const H = 2 * PAD + bars.length * ROW;
  // The axis spans 0 and every bar; at least ±100% so a small part looks small.
  const lo = Math.min(0, -100, ...bars.map((b) => b.contribution_pct));
  const hi = Math.max(0, 100, ...bars.map((b) => b.contribution_pct));
  const x0 = PAD + LABEL_W;
  const x1 = W - PAD - FIGURE_W;
  const x = (v: number) => x0 + ((v - lo) / (hi - lo)) * (x1 - x0);
  const zero = x(0);
  const body = bars.map((b, i) => {
    const y = PAD + i * ROW;
    const a = x(Math.min(0, b.contribution_pct));
    const w = Math.max(1, Math.abs(x(b.contribution_pct) - zero));
    const dir = direction(b.change_pct);
    const label = truncate(segmentName(b), LABEL_W - 8, FS);
    const title = `${segmentName(b)}: ${formatPart(b.contribution_pct)} of the move, segment change ${formatChangePct(b.change_pct)}`;
    return html`<g class="seg-row"><title>${title}</title><text class="row-label" x="${num(PAD)}" y="${num(y + 15)}">${label}</text><rect class="seg-bar seg-${dir}" x="${num(a)}" y="${num(y + 4)}" width="${num(w)}" height="${num(ROW - 8)}"/><text x="${num(W - PAD)}" y="${num(y + 15)}" text-anchor="end">${formatPart(b.contribution_pct)}</text></g>`;
  });
  const axis = html`<path class="axis" d="M${num(zero)},${num(PAD - 2)}V${num(H - PAD + 2)}"/>`;
  return svgRoot(opts, 'segments', W, H, html`${axis}${body}`);
}
