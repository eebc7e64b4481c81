/**
 * Where the watched metrics moved: for each broken-down metric that moved tonight (a drop, or a
 * change of at least {@link MOVED_PCT}% either way), a small bar chart of its top segments'
 * contributions to the move (docs/report.md). Absent when the config has no `segments`.
 */
import type { NightReport } from '../../results/report';
import type { SegmentRow } from '../../results/rows';
import { html, raw, type SafeHtml } from '../escape';
import { formatChangePct } from '../format';
import { formatPart, renderSegmentBars, segmentName } from '../segment-bars';
import { changeHtml, metricsById } from './parts';

/** A metric "moved" when its change is at least this many percent either way (or it dropped). */
export const MOVED_PCT = 5;
/** Segments per chart. */
export const CHART_SEGMENTS = 5;

/** The ranked segments of `metricId`, best first, at most {@link CHART_SEGMENTS}. */
function topOf(rows: readonly SegmentRow[], metricId: string): SegmentRow[] {
  return rows
    .filter((r) => r.metric_id === metricId && r.rank !== null)
    .sort((a, b) => (a.rank as number) - (b.rank as number))
    .slice(0, CHART_SEGMENTS);
}

export function renderSegments(report: NightReport): SafeHtml | string {
  const segments = report.segments;
  if (!segments) return '';
  const byId = metricsById(report);
  const ids = [...new Set(segments.map((s) => s.metric_id))];
  const moved = ids.filter((id) => {
    const m = byId.get(id);
    return m !== undefined && (m.status === 'drop' || (m.change_pct !== null && Math.abs(m.change_pct) >= MOVED_PCT));
  });
  const cards = moved.map((id, i) => {
    const m = byId.get(id)!;
    const top = topOf(segments, id);
    const name = m.name || id;
    const desc = top.length
      ? `${name} ${formatChangePct(m.change_pct)}. ${top.map((s) => `${segmentName(s)} ${formatPart(s.contribution_pct ?? 0)} of the move (${formatChangePct(s.change_pct)})`).join('; ')}.`
      : `${name}: no segment history yet.`;
    const chart = renderSegmentBars(top, { id: `segments-${i}`, title: `${name}: segments' parts of the move`, desc });
    return html`<div class="card${m.status === 'drop' ? ' is-drop' : ''}">
<div class="card-name">${name}</div><div class="card-id">${id}</div>
<div class="card-row"><span class="sub">part of the move by segment</span>${changeHtml(m.change_pct)}</div>
${raw(chart)}
</div>`;
  });
  const body = cards.length
    ? html`<div class="cards">${cards}</div>`
    : html`<p class="note">No broken-down metric moved by ${MOVED_PCT}% or more tonight.</p>`;
  return html`<section id="segments"><h2>Where it moved</h2>${body}
<p class="note">Each bar is a segment’s part of its metric’s move: its change from its usual share of the metric, over the metric’s change (contributions of a count or sum add up to 100%). Top ${CHART_SEGMENTS} by score; all segments are in segments.jsonl.</p></section>`;
}
