/** The threshold sweep: per action, the phi heatmap over the grid with the best cell outlined, and what it means. */
import type { CandidatesSection, NightReport } from '../../results/report';
import type { SweepRow } from '../../results/rows';
import { html, raw, type SafeHtml } from '../escape';
import { formatLift, formatP, formatPercent } from '../format';
import { formatPhi, renderSweepHeatmap } from '../sweep-heatmap';

/** A share as a whole percentage, as people say it ("31% of new users"); `—` for none. */
const wholePercent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/**
 * "Users who do payment_completed at least 3 times in their first 7 days are 2.9× as likely to be
 * retained at day 90; 31% of new users do." — or why there is no such cell.
 */
export function bestCellSentence(best: SweepRow | undefined, c: CandidatesSection, candidateId: string): string {
  if (!best) {
    return `No cell of ${candidateId} qualifies as a target: none has q below ${formatP(c.max_p)}, a positive phi and a share between ${wholePercent(c.sweep?.min_share)} and ${wholePercent(c.sweep?.max_share)}.`;
  }
  const times = best.min_count === 1 ? 'at least once' : `at least ${best.min_count} times`;
  const days = best.within_days === 1 ? 'on their first day' : `in their first ${best.within_days} days`;
  const likely =
    best.lift === null
      ? `retained at ${formatPercent(best.rate_hit)}`
      : `${formatLift(best.lift)} as likely to be retained at day ${c.retention_day}`;
  return `Users who do ${best.event} ${times} ${days} are ${likely}; ${wholePercent(best.share)} of new users do.`;
}

export function renderSweep(report: NightReport): SafeHtml {
  const c = report.candidates;
  const sweep = c?.sweep;
  if (!c || !sweep) return html``;
  const actions = [...new Set(sweep.rows.map((r) => r.candidate_id))];
  const panels = actions.map((id) => {
    const rows = sweep.rows.filter((r) => r.candidate_id === id);
    const best = rows.find((r) => r.best);
    const sentence = bestCellSentence(best, c, id);
    const desc = `phi of "${rows[0]?.event ?? id} at least n times within k days" for n in ${sweep.min_count.join(', ')} and k in ${sweep.within_days.join(', ')}: ${rows.map((r) => `(${r.min_count}, ${r.within_days}) ${formatPhi(r.phi)}`).join('; ')}. ${sentence}`;
    const svg = renderSweepHeatmap(rows, {
      id: `sweep-${id}`,
      title: `Threshold sweep of ${id}: phi by count and window`,
      desc,
      minCount: sweep.min_count,
      withinDays: sweep.within_days,
    });
    return html`<figure class="sweep-card"><h3><code>${id}</code></h3>${raw(svg)}<figcaption>${sentence}</figcaption></figure>`;
  });
  const family = sweep.rows.length;
  return html`<section id="sweep"><h2>Threshold sweep: the magic number</h2><p class="note">Each cell: users who did the action at least <i>n</i> times in their first <i>k</i> days against the rest of the same cohort; colour and number are phi, the correlation of crossing the threshold with being retained. The outlined cell is the action's best: the highest phi among cells with q below ${formatP(c.max_p)} (Benjamini–Hochberg over all ${family} cells of all actions) that between ${wholePercent(sweep.min_share)} and ${wholePercent(sweep.max_share)} of users cross. A predictor, not a cause: see docs/candidates.md.</p><div class="sweep-grid">${panels}</div></section>`;
}
