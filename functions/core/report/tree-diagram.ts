/**
 * The metric tree as boxes and connectors. Each box shows the metric's name, tonight's value, the
 * change against its baseline (arrow, sign and colour) and its status as a word; boxes of metrics
 * with a drop alert tonight, and of the drivers listed in those alerts, are outlined and tagged,
 * and the connectors leading to drivers are drawn heavier. A child of a `product`/`sum` parent also
 * shows its share of the parent's change (`contribution_pct`), on one more line under the change.
 *
 * Two layouts: `layered` (root on the left, one column per depth, for wide screens and print) and
 * `indented` (one box per row, indented by depth, for phones).
 */
import type { MetricStatus } from '../results/rows';
import { html } from './escape';
import { arrow, direction, formatChangePct, formatNumber, MINUS } from './format';
import { statusText } from './status';
import { type ChartFrame, num, svgRoot, textWidth, truncate, wrap } from './svg';

export interface TreeBox {
  id: string;
  name: string;
  value: number | null;
  change_pct: number | null;
  status: MetricStatus;
  northStar?: boolean;
  /** `alert`: tonight's drop alert is about this metric; `driver`: listed as a driver that moved down. */
  role?: 'alert' | 'driver' | null;
  /** Its share of its `product`/`sum` parent's change, in percent (null/absent: none). */
  share_pct?: number | null;
  children: TreeBox[];
}

export interface TreeDiagramOptions extends ChartFrame {
  /** Default `layered`. */
  layout?: 'layered' | 'indented';
  /** viewBox width; default 760 (layered) or 380 (indented). The layered layout grows if it must. */
  width?: number;
}

interface Placed {
  box: TreeBox;
  depth: number;
  x: number;
  y: number;
  parent: Placed | null;
}

const PAD = 8;
const NAME_FS = 13;
/** Names are semi-bold: measure them a little wider than regular text. */
const NAME_W = NAME_FS * 1.1;
const LINE = 16;

/** Box height for `lines` name lines, plus a share line when any box of the tree has a share. */
function boxHeight(lines: number, shares = false): number {
  return 74 + LINE * (lines - 1) + (shares ? SHARE_LINE : 0);
}

const SHARE_LINE = 16;

/** `55% of parent's change`; negative when the child moved against its parent. */
export function shareText(share: number): string {
  return `${formatShare(share)} of parent's change`;
}

function formatShare(share: number): string {
  return `${share < 0 ? MINUS : ''}${Math.abs(share).toFixed(0)}%`;
}

function roleTag(b: TreeBox): string {
  if (b.role === 'alert') return b.northStar ? '★ ALERT' : 'ALERT';
  if (b.role === 'driver') return 'DRIVER';
  return b.northStar ? '★ NORTH STAR' : '';
}

function describe(b: TreeBox): string {
  const change = b.change_pct === null ? 'no baseline yet' : `${formatChangePct(b.change_pct)} vs baseline`;
  const role = b.role === 'alert' ? '; drop alert tonight' : b.role === 'driver' ? '; driver of tonight’s drop' : '';
  const share = isShare(b.share_pct) ? `; ${shareText(b.share_pct)}` : '';
  return `${b.name} (${b.id}): ${formatNumber(b.value)}, ${change}, ${statusText(b.status).label}${share}${role}`;
}

function isShare(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function drawBox(p: Placed, w: number, h: number, lines: number): string {
  const { box: b, x, y } = p;
  const name = wrap(b.name, w - 22, NAME_W, lines);
  const dir = direction(b.change_pct);
  const valueY = y + 20 + LINE * (lines - 1) + 24;
  const changeY = valueY + 20;
  const st = statusText(b.status);
  const tag = roleTag(b);
  const cls = ['node', `node-${b.status}`, b.role ? `node-${b.role}` : '', b.northStar ? 'node-nsm' : ''].filter(Boolean).join(' ');
  const change = b.change_pct === null ? 'no baseline' : `${arrow(dir)} ${formatChangePct(b.change_pct)}`;
  return html`<g class="${cls}"><title>${describe(b)}</title><rect class="box" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="6"/>${
    b.role ? html`<rect class="box-accent" x="${num(x)}" y="${num(y)}" width="5" height="${num(h)}" rx="2"/>` : ''
  }${name.map((l, i) => html`<text class="node-name" x="${num(x + 12)}" y="${num(y + 20 + LINE * i)}">${l}</text>`)}<text class="node-value" x="${num(x + 12)}" y="${num(valueY)}">${formatNumber(b.value)}</text><text class="node-status status-${b.status}" x="${num(x + w - 10)}" y="${num(valueY)}" text-anchor="end">${st.tag}</text><text class="change change-${dir}" x="${num(x + 12)}" y="${num(changeY)}">${change}</text>${
    tag ? html`<text class="node-role" x="${num(x + w - 10)}" y="${num(changeY)}" text-anchor="end">${tag}</text>` : ''
  }${
    isShare(b.share_pct)
      ? html`<text class="node-share" x="${num(x + 12)}" y="${num(changeY + SHARE_LINE + 2)}">${truncate(shareText(b.share_pct), w - 22, 12)}</text>`
      : ''
  }</g>`.value;
}

function flatten(roots: readonly TreeBox[]): { box: TreeBox; depth: number; parent: number | null }[] {
  const out: { box: TreeBox; depth: number; parent: number | null }[] = [];
  const seen = new Set<TreeBox>();
  const visit = (b: TreeBox, depth: number, parent: number | null) => {
    if (seen.has(b)) return; // a cycle in bad input must not hang the renderer
    seen.add(b);
    out.push({ box: b, depth, parent });
    const me = out.length - 1;
    for (const c of b.children) visit(c, depth + 1, me);
  };
  for (const r of roots) visit(r, 0, null);
  return out;
}

export function renderTreeDiagram(roots: readonly TreeBox[], opts: TreeDiagramOptions): string {
  const layout = opts.layout ?? 'layered';
  const flat = flatten(roots);
  if (flat.length === 0) {
    const W = opts.width ?? 380;
    return svgRoot(
      opts,
      'tree',
      W,
      60,
      html`<text class="empty" x="${num(W / 2)}" y="34" text-anchor="middle">No metrics in the tree</text>`,
    );
  }
  const maxDepth = Math.max(...flat.map((f) => f.depth));
  const shares = flat.some((f) => isShare(f.box.share_pct));
  let W: number;
  let boxW: (depth: number) => number;
  const placed: Placed[] = [];
  // Name lines: as many as the longest name needs at the narrowest box, at most 2.
  const lines = (w: (d: number) => number) => Math.max(1, ...flat.map((f) => (textWidth(f.box.name, NAME_W) > w(f.depth) - 22 ? 2 : 1)));

  let H: number;
  let h: number;
  const links: string[] = [];
  const hot: string[] = [];
  // Heavy connectors (into drivers) are drawn after the plain ones so that shared segments show them.
  const link = (child: TreeBox, d: string) =>
    (child.role ? hot : links).push(html`<path class="link${child.role ? ' link-hot' : ''}" d="${d}"/>`.value);
  if (layout === 'layered') {
    const gap = 36;
    const cols = maxDepth + 1;
    const want = opts.width ?? 760;
    const bw = Math.min(260, Math.max(160, (want - 2 * PAD - (cols - 1) * gap) / cols));
    W = Math.max(want, 2 * PAD + cols * bw + (cols - 1) * gap);
    boxW = () => bw;
    const L = lines(boxW);
    h = boxHeight(L, shares);
    const rowH = h + 14;
    // Leaves take consecutive rows; a parent sits midway between its first and last child.
    const rowOf = new Map<number, number>();
    let next = 0;
    const assign = (i: number): number => {
      const kids = flat.map((f, j) => (f.parent === i ? j : -1)).filter((j) => j >= 0);
      const r =
        kids.length === 0
          ? next++
          : (() => {
              const rows = kids.map(assign);
              return ((rows[0] as number) + (rows[rows.length - 1] as number)) / 2;
            })();
      rowOf.set(i, r);
      return r;
    };
    flat.forEach((f, i) => {
      if (f.parent === null) assign(i);
    });
    flat.forEach((f, i) => {
      placed.push({
        box: f.box,
        depth: f.depth,
        x: PAD + f.depth * (bw + gap),
        y: PAD + (rowOf.get(i) ?? 0) * rowH,
        parent: f.parent === null ? null : (placed[f.parent] ?? null),
      });
    });
    H = 2 * PAD + next * rowH - 14;
    for (const p of placed) {
      if (!p.parent) continue;
      const x0 = p.parent.x + bw;
      const y0 = p.parent.y + h / 2;
      const x1 = p.x;
      const y1 = p.y + h / 2;
      const mx = x0 + gap / 2;
      link(p.box, `M${num(x0)},${num(y0)}H${num(mx)}V${num(y1)}H${num(x1)}`);
    }
    const L2 = L;
    const nodes = placed.map((p) => drawBox(p, bw, h, L2)).join('');
    return svgRoot(opts, 'tree', W, H, links.join('') + hot.join('') + nodes);
  }

  // Indented: one row per metric in depth-first order; the connector runs down a gutter under
  // the parent and turns right into the child.
  W = opts.width ?? 380;
  const indent = 20;
  const widthAt = (d: number) => Math.max(120, W - 2 * PAD - d * indent);
  boxW = widthAt;
  const L = lines(boxW);
  h = boxHeight(L, shares);
  flat.forEach((f, i) => {
    placed.push({
      box: f.box,
      depth: f.depth,
      x: PAD + f.depth * indent,
      y: PAD + i * (h + 10),
      parent: f.parent === null ? null : (placed[f.parent] ?? null),
    });
  });
  H = 2 * PAD + flat.length * (h + 10) - 10;
  for (const p of placed) {
    if (!p.parent) continue;
    const gx = p.parent.x + indent / 2;
    link(p.box, `M${num(gx)},${num(p.parent.y + h)}V${num(p.y + h / 2)}H${num(p.x)}`);
  }
  const nodes = placed.map((p) => drawBox(p, boxW(p.depth), h, L)).join('');
  return svgRoot(opts, 'tree', W, H, links.join('') + hot.join('') + nodes);
}
