/** Candidate lifts: the forest plot and the full table. */
import type { CandidatesSection, NightReport } from '../../results/report';
import type { CandidateRow } from '../../results/rows';
import { html, type SafeHtml } from '../escape';
import { type ForestRow, renderForestPlot } from '../forest-plot';
import { formatInteger, formatLift, formatP, formatPercent } from '../format';
import { formatDay } from '../format-date';
import { variants } from './parts';

const VERDICT = { strong: '★ strong', weak: 'weak', insufficient_data: 'insufficient data' } as const;

function forestRows(rows: readonly CandidateRow[]): ForestRow[] {
  return rows.map((r) => ({
    id: r.candidate_id,
    label: r.candidate_id,
    lift: r.lift,
    low: r.lift_ci_low,
    high: r.lift_ci_high,
    verdict: r.verdict,
    note: r.lift === null ? (r.rate_miss === 0 ? 'no lift: nobody without the action was retained' : 'no lift: too few users') : undefined,
  }));
}

function forestDescription(c: CandidatesSection, rows: readonly CandidateRow[]): string {
  const parts = rows.map(
    (r) =>
      `${r.candidate_id} ${formatLift(r.lift)}${r.lift_ci_low !== null && r.lift_ci_high !== null ? ` (95% CI ${formatLift(r.lift_ci_low)}–${formatLift(r.lift_ci_high)})` : ''}, ${VERDICT[r.verdict] ?? r.verdict}`,
  );
  return `Retention lift of each candidate action on a log scale, with the min lift line at ${formatLift(c.min_lift)}: ${parts.join('; ')}.`;
}

export function renderCandidates(report: NightReport): SafeHtml {
  const c = report.candidates;
  if (c === null) {
    return html`<section id="candidates"><h2>Candidate value moments</h2><p class="note">The configuration has no <code>candidates</code> section, so no lifts were computed.</p></section>`;
  }
  const rows = [...c.rows].sort((a, b) => a.rank - b.rank);
  const intro = html`<p class="note">Cohort: users whose first <code>${c.entry_event}</code> fell between ${formatDay(c.cohort_start)} and ${formatDay(c.cohort_end)} (${formatInteger(c.cohort_size)} users). Retained = any event in the ${formatInteger(c.retention_window_days)} days up to day ${formatInteger(c.retention_day)}. Strong = lift above ${formatLift(c.min_lift)} with q below ${formatP(c.max_p)}.</p>`;
  if (rows.length === 0) {
    return html`<section id="candidates"><h2>Candidate value moments</h2>${intro}<p>No candidate actions this night.</p></section>`;
  }
  const fr = forestRows(rows);
  const frame = { title: 'Retention lift by candidate action (log scale)', desc: forestDescription(c, rows) };
  const wide = renderForestPlot(fr, { ...frame, id: 'forest-wide', minLift: c.min_lift, layout: 'wide' });
  const narrow = renderForestPlot(fr, { ...frame, id: 'forest-narrow', minLift: c.min_lift, layout: 'narrow' });
  const body = rows.map(
    (r) =>
      html`<tr class="${r.verdict === 'strong' ? 'is-strong' : ''}"><td class="n" data-label="Rank">${formatInteger(r.rank)}</td><td class="head"><code>${r.candidate_id}</code><span class="id">${r.event} within ${formatInteger(r.within_days)}\u00a0d</span></td><td class="n" data-label="Share (users)">${formatPercent(r.share)}<span class="id">${formatInteger(r.n_hit)} / ${formatInteger(r.n_hit + r.n_miss)}</span></td><td class="n" data-label="Retained, did">${formatPercent(r.rate_hit)}</td><td class="n" data-label="Retained, didn’t">${formatPercent(r.rate_miss)}</td><td class="n" data-label="Lift (95% CI)"><strong>${formatLift(r.lift)}</strong><span class="id">${r.lift_ci_low !== null && r.lift_ci_high !== null ? `${formatLift(r.lift_ci_low)}–${formatLift(r.lift_ci_high)}` : '—'}</span></td><td class="n" data-label="p (Welch)">${formatP(r.p_welch)}</td><td class="n" data-label="q (BH)">${formatP(r.q_value)}</td><td class="v-${r.verdict}" data-label="Verdict">${VERDICT[r.verdict] ?? r.verdict}</td></tr>`,
  );
  return html`<section id="candidates"><h2>Candidate value moments</h2>${intro}
<figure>${variants(wide, narrow)}
<figcaption class="legend"><span>■ lift with its 95% confidence interval (Katz)</span><span><i class="key key-min"></i>min lift</span><span>dashed grey: no effect (1×)</span><span>filled: strong · grey: weak · hollow: too few users</span></figcaption>
</figure>
<div class="table-wrap"><table class="stack"><thead><tr><th class="n">Rank</th><th>Action</th><th class="n">Share</th><th class="n">Retained, did</th><th class="n">Retained, didn’t</th><th class="n">Lift (95%\u00a0CI)</th><th class="n">p (Welch)</th><th class="n">q (BH)</th><th>Verdict</th></tr></thead><tbody>${body}</tbody></table></div>
</section>`;
}
