/** The input tree: a diagram (boxes and connectors) and the same numbers as a table. */

import { RESIDUAL_NOTE_PCT } from '../../alerts/format-drop';
import type { NightReport } from '../../results/report';
import type { MetricRow } from '../../results/rows';
import { html, type SafeHtml } from '../escape';
import { formatNumber, formatPercent, formatZ, MISSING } from '../format';
import { highlightRoles } from '../highlight';
import { renderTreeDiagram, shareText, type TreeBox } from '../tree-diagram';
import { changeHtml, metricsById, statusPill, variants } from './parts';

/**
 * The configured tree as boxes: the north star first, then any other root of the tree. A child
 * without a metric row this night still gets a box (no value, "not enough history").
 */
export function buildTreeBoxes(report: NightReport): TreeBox[] {
  const byId = metricsById(report);
  const roles = highlightRoles(report);
  const children = new Set(Object.values(report.tree).flat());
  const seen = new Set<string>();
  const box = (id: string): TreeBox | null => {
    if (seen.has(id)) return null;
    seen.add(id);
    const m = byId.get(id);
    return {
      id,
      name: m?.name || id,
      value: m?.value ?? null,
      change_pct: m?.change_pct ?? null,
      status: m?.status ?? 'insufficient_history',
      northStar: id === report.north_star,
      role: roles.get(id) ?? null,
      share_pct: m?.contribution_pct ?? null,
      children: (report.tree[id] ?? []).map(box).filter((b): b is TreeBox => b !== null),
    };
  };
  const roots = [report.north_star, ...Object.keys(report.tree).filter((id) => id !== report.north_star && !children.has(id))];
  return roots.map(box).filter((b): b is TreeBox => b !== null);
}

function describeTree(roots: readonly TreeBox[]): string {
  const lines: string[] = [];
  const walk = (b: TreeBox, depth: number) => {
    const share = typeof b.share_pct === 'number' ? `, ${shareText(b.share_pct)}` : '';
    lines.push(`${'  '.repeat(depth)}${b.name}: ${formatNumber(b.value)}${share}${b.role ? ` (${b.role})` : ''}`);
    for (const c of b.children) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return `Metric tree, parents before their inputs. ${lines.join('; ')}.`;
}

/** Rows in tree order (depth-first), then metrics outside the tree. */
function orderedRows(report: NightReport, roots: readonly TreeBox[]): { row: MetricRow | null; id: string; depth: number }[] {
  const byId = metricsById(report);
  const out: { row: MetricRow | null; id: string; depth: number }[] = [];
  const walk = (b: TreeBox, depth: number) => {
    out.push({ row: byId.get(b.id) ?? null, id: b.id, depth });
    for (const c of b.children) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  const listed = new Set(out.map((o) => o.id));
  for (const m of report.metrics) if (!listed.has(m.metric_id)) out.push({ row: m, id: m.metric_id, depth: 0 });
  return out;
}

/**
 * A child's share of its `product`/`sum` parent's change; on such a parent, its identity residual
 * when the declared formula is off by more than the alert's threshold (docs/alerts.md).
 */
function partCell(row: MetricRow | null): SafeHtml | string {
  if (row?.contribution_pct !== null && row?.contribution_pct !== undefined) {
    return `${formatPercent(row.contribution_pct / 100)} (${formatNumber(row.contribution)})`;
  }
  const residual = row?.identity_residual_pct;
  if (residual !== null && residual !== undefined && Math.abs(residual) > RESIDUAL_NOTE_PCT) {
    return html`<span class="sub">identity off by ${formatPercent(residual / 100)}</span>`;
  }
  return MISSING;
}

export function renderTreeSection(report: NightReport): SafeHtml {
  const roots = buildTreeBoxes(report);
  const hasRelations = report.metrics.some((m) => typeof m.contribution_pct === 'number');
  const frame = { title: 'Input metric tree', desc: describeTree(roots) };
  const wide = renderTreeDiagram(roots, { ...frame, id: 'tree-wide', layout: 'layered', width: 760 });
  const narrow = renderTreeDiagram(roots, { ...frame, id: 'tree-narrow', layout: 'indented', width: 380 });
  const rows = orderedRows(report, roots).map(
    ({ row, id, depth }) =>
      html`<tr class="lvl${Math.min(depth, 5)}"><td class="head">${row?.name || id}<span class="id">${id}</span></td><td class="n" data-label="Value">${formatNumber(row?.value ?? null)}</td><td class="n" data-label="Baseline">${formatNumber(row?.baseline ?? null)}</td><td class="n" data-label="Change">${changeHtml(row?.change_pct ?? null)}</td><td class="n" data-label="Robust z">${formatZ(row?.robust_z ?? null)}</td><td class="n" data-label="Part of parent's change">${partCell(row)}</td><td data-label="Status">${row ? statusPill(row.status) : '—'}</td></tr>`,
  );
  return html`<section id="tree"><h2>Input tree</h2>
<figure>${variants(wide, narrow)}
<figcaption class="legend"><span>▲/▼ change vs baseline</span><span><i class="key key-alert"></i>drop alert tonight</span><span><i class="key key-driver"></i>driver: largest fall beneath it</span>${
    hasRelations ? html`<span>“% of parent’s change”: a child’s share of its product/sum parent’s move</span>` : ''
  }</figcaption>
</figure>
<div class="table-wrap"><table class="stack"><caption class="note">All metrics this night</caption><thead><tr><th>Metric</th><th class="n">Value</th><th class="n">Baseline</th><th class="n">Change</th><th class="n">Robust z</th><th class="n">Part of parent’s change</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></div>
</section>`;
}
