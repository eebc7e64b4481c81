/**
 * The threshold sweep of one action as a heatmap: rows are min_count (n), columns within_days (k),
 * each cell filled by its phi — accent for a positive association, red for a negative one, the
 * stronger the more opaque (relative to the largest |phi| of the grid) — with the value written in
 * it. The best cell is outlined. A cell without phi (nobody or everybody hit) is left blank with a dash.
 */
import type { SweepRow } from '../results/rows';
import { html } from './escape';
import { type ChartFrame, num, svgRoot } from './svg';

export interface HeatmapOptions extends ChartFrame {
  readonly minCount: readonly number[];
  readonly withinDays: readonly number[];
}

/** phi with two decimals, `−` for negatives, `—` for none. */
export function formatPhi(phi: number | null): string {
  if (phi === null) return '—';
  const text = phi.toFixed(2);
  return text === '-0.00' ? '0.00' : text.replace('-', '−');
}

export function renderSweepHeatmap(rows: readonly SweepRow[], opts: HeatmapOptions): string {
  const cellW = 62;
  const cellH = 30;
  const left = 64;
  const top = 34;
  const W = left + opts.withinDays.length * cellW + 8;
  const H = top + opts.minCount.length * cellH + 8;
  const byCell = new Map(rows.map((r) => [`${r.min_count}|${r.within_days}`, r]));
  const maxAbs = Math.max(1e-9, ...rows.map((r) => Math.abs(r.phi ?? 0)));
  const parts: string[] = [];
  parts.push(html`<text class="hm-axis" x="${num(left)}" y="12">within k days →</text>`.value);
  opts.withinDays.forEach((k, c) => {
    parts.push(
      html`<text class="tick" x="${num(left + c * cellW + cellW / 2)}" y="${num(top - 6)}" text-anchor="middle">${k} d</text>`.value,
    );
  });
  parts.push(html`<text class="hm-axis" x="4" y="${num(top - 6)}">≥ n times</text>`.value);
  let best = '';
  opts.minCount.forEach((n, r) => {
    const y = top + r * cellH;
    parts.push(html`<text class="tick" x="${num(left - 8)}" y="${num(y + cellH / 2 + 4)}" text-anchor="end">≥ ${n}</text>`.value);
    opts.withinDays.forEach((k, c) => {
      const x = left + c * cellW;
      const row = byCell.get(`${n}|${k}`);
      const phi = row?.phi ?? null;
      const cls = phi === null ? 'hm-none' : phi >= 0 ? 'hm-pos' : 'hm-neg';
      // At most 0.55, so the value written in --fg stays readable on the fill in both schemes.
      const opacity = phi === null ? 1 : 0.08 + 0.47 * (Math.abs(phi) / maxAbs);
      const tip = row
        ? `at least ${n} in ${k} days: phi ${formatPhi(phi)}, ${row.share === null ? 'no users' : `${Math.round(row.share * 100)}% of users`}${row.q_value === null ? '' : `, q ${row.q_value.toPrecision(2)}`}`
        : `at least ${n} in ${k} days: no row`;
      parts.push(
        html`<g class="hm-cell"><title>${tip}</title><rect class="${cls}" x="${num(x + 1)}" y="${num(y + 1)}" width="${num(cellW - 2)}" height="${num(cellH - 2)}" fill-opacity="${num(opacity)}"/><text class="hm-value${row?.best ? ' hm-strong' : ''}" x="${num(x + cellW / 2)}" y="${num(y + cellH / 2 + 4)}" text-anchor="middle">${formatPhi(phi)}</text></g>`
          .value,
      );
      if (row?.best) {
        best = html`<rect class="hm-best" x="${num(x + 1.5)}" y="${num(y + 1.5)}" width="${num(cellW - 3)}" height="${num(cellH - 3)}"/>`
          .value;
      }
    });
  });
  // The outline last, so no neighbouring cell paints over it.
  parts.push(best);
  return svgRoot(opts, 'heatmap', W, H, parts.join(''));
}
