/** The run's facts: engine, timings, queries, bytes scanned and cost. */
import type { NightReport } from '../../results/report';
import { html, type SafeHtml } from '../escape';
import { formatBytes, formatDuration, formatInteger, formatUsd } from '../format';
import { formatInstant } from '../format-date';

export function renderRun(report: NightReport): SafeHtml {
  const run = report.run;
  const queries = run.queries ?? [];
  const anyBytes = run.bytes_scanned !== null || queries.some((q) => q.bytes_scanned !== null);
  const anyCost = run.cost_usd !== null || queries.some((q) => q.cost_usd !== null);
  const rows = queries.map(
    (q) =>
      html`<tr><td class="head"><code>${q.name}</code>${q.query_id ? html`<span class="id">${q.query_id}</span>` : ''}</td><td class="n" data-label="Time">${formatDuration(q.ms)}</td><td class="n" data-label="Rows">${formatInteger(q.rows)}</td>${anyBytes ? html`<td class="n" data-label="Scanned">${formatBytes(q.bytes_scanned)}</td>` : ''}${anyCost ? html`<td class="n" data-label="Cost">${formatUsd(q.cost_usd)}</td>` : ''}</tr>`,
  );
  return html`<section id="run"><h2>Run</h2>
<dl class="facts">
<dt>Engine</dt><dd>${report.engine}</dd>
<dt>Run</dt><dd><code>${run.run_id}</code></dd>
<dt>Generated</dt><dd>${formatInstant(report.generated_at)}</dd>
<dt>Time</dt><dd>${formatDuration(run.ms)} for ${formatInteger(queries.length)} quer${queries.length === 1 ? 'y' : 'ies'}</dd>
${run.bytes_scanned !== null ? html`<dt>Scanned</dt><dd>${formatBytes(run.bytes_scanned)}</dd>` : ''}
${run.cost_usd !== null ? html`<dt>Cost</dt><dd>${formatUsd(run.cost_usd)} <span class="sub">(Athena, estimated from bytes scanned)</span></dd>` : ''}
<dt>Results</dt><dd><code>${report.results_location}</code></dd>
</dl>
${queries.length ? html`<div class="table-wrap"><table class="stack"><thead><tr><th>Query</th><th class="n">Time</th><th class="n">Rows</th>${anyBytes ? html`<th class="n">Scanned</th>` : ''}${anyCost ? html`<th class="n">Cost</th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>` : ''}
</section>`;
}
