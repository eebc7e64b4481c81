/**
 * What the night noticed and handled without failing (run.json `warnings`): a damaged history
 * night left out of the baselines, a state file rebuilt, an alert possibly sent twice, an event name
 * the config uses that the lake has not seen (a typo counts 0). Shown near
 * the top, because some of them change how to read the numbers below; absent when there are none.
 */
import type { NightReport } from '../../results/report';
import { html, type SafeHtml } from '../escape';

export function renderWarnings(report: NightReport): SafeHtml | '' {
  const warnings = report.warnings ?? [];
  if (warnings.length === 0) return '';
  const items = warnings.map((w) => html`<li><span class="code">${w.code.replaceAll('_', ' ')}</span> ${w.message}</li>`);
  return html`<section id="warnings" class="warnings"><h2>Noticed tonight</h2>
<p class="note">The run handled ${warnings.length === 1 ? 'this' : 'these'} without failing; docs/operations.md says more.</p>
<ul>${items}</ul>
</section>`;
}
