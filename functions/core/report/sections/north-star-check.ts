/** Does the North Star lead revenue? The correlation by lag with its interval, and the verdict in words. */
import type { NightReport, NorthStarCheckSection } from '../../results/report';
import { html, raw, type SafeHtml } from '../escape';
import { formatDay } from '../format-date';
import { renderLagChart } from '../lag-chart';

/** The verdict as one sentence a reader can act on. */
export function northStarVerdictSentence(c: NorthStarCheckSection): string {
  const ns = c.north_star;
  const rev = c.revenue;
  const best = c.lags.find((l) => l.lag === c.best_lag);
  const r =
    best?.r === null || best?.r === undefined
      ? ''
      : ` (r ${best.r.toFixed(2)}, 95% CI ${best.ci_low?.toFixed(2)} to ${best.ci_high?.toFixed(2)}, ${best.n} weeks)`;
  switch (c.verdict) {
    case 'leading':
      return `Leading: weeks when ${ns} rose were followed ${c.best_lag === 1 ? 'a week' : `${c.best_lag} weeks`} later by weeks when ${rev} rose${r}. The North Star moves before revenue does.`;
    case 'coincident':
      return `Coincident: ${ns} and ${rev} change in the same weeks${r}, but no later revenue change follows the North Star more closely. It tracks revenue; it does not announce it.`;
    case 'not_predictive':
      return `Not predictive: at no lag from 0 to ${c.max_lag_weeks} weeks does a change in ${ns} go with a change in ${rev} in the same direction beyond chance (every 95% interval includes 0 or lies below it).`;
    case 'insufficient_history':
      return `Not enough history yet: ${c.changes} of the ${c.min_changes} weeks with a week-over-week change of both metrics that the check needs are in the results store.`;
    default: {
      const unknown: never = c.verdict;
      return String(unknown);
    }
  }
}

export function renderNorthStarCheck(report: NightReport): SafeHtml {
  const c = report.north_star_check;
  if (!c) return html``;
  const sentence = northStarVerdictSentence(c);
  const desc = `${sentence} By lag: ${c.lags.map((l) => `${l.lag} weeks r ${l.r === null ? 'none' : l.r.toFixed(2)}${l.ci_low !== null && l.ci_high !== null ? ` (${l.ci_low.toFixed(2)} to ${l.ci_high.toFixed(2)})` : ''}, ${l.n} pairs`).join('; ')}.`;
  const chart = renderLagChart(c.lags, c.best_lag, {
    id: 'north-star-check',
    title: `Correlation of ${c.north_star}'s weekly changes with ${c.revenue}'s, by lag`,
    desc,
  });
  return html`<section id="north-star-check"><h2>Does the North Star lead revenue?</h2><p class="verdict-${c.verdict}"><strong>${sentence}</strong></p><figure>${raw(chart)}<figcaption>Pearson correlation of the week-over-week change of <code>${c.north_star}</code> with the change of <code>${c.revenue}</code> the given number of weeks later, with its 95% interval (Fisher z), from weekly values since ${c.first_week === null ? '—' : formatDay(c.first_week)} (same weekday as tonight). Correlation, not causation: a shared season or a price change moves both.</figcaption></figure></section>`;
}
