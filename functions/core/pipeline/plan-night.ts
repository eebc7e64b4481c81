/** Every query a night runs, for a dialect: what `nsm run` executes and `nsm sql` prints. */
import type { EventMetric, NsmConfig } from '../config/types';
import type { Query } from '../engine';
import type { Dialect } from '../sql/dialect';
import { dayRange } from '../dates';
import { buildCandidatesQuery, candidateScanRanges } from '../sql/candidates-query';
import { buildMetricsQuery } from '../sql/metrics-query';
import { buildCandidatesStateQuery } from '../state/candidates-state-query';
import type { NightState } from '../state/night-state';
import { rollupSource } from '../state/rollup-source';

/** The night's queries, independent of each other (they may run concurrently). */
export function planNight(config: NsmConfig, dialect: Dialect, dt: string): Query[] {
  const eventMetrics = config.metrics.filter((m): m is EventMetric => m.type !== 'ratio');
  const queries: Query[] = [buildMetricsQuery(dialect, config.lake, eventMetrics, dt)];
  if (config.candidates) queries.push(buildCandidatesQuery(dialect, config.lake, config.candidates, dt));
  return queries;
}

/** The same queries over the incremental state (prepared by `prepareNightState`) instead of the lake. */
export function planNightFromState(config: NsmConfig, dialect: Dialect, dt: string, state: NightState): Query[] {
  const eventMetrics = config.metrics.filter((m): m is EventMetric => m.type !== 'ratio');
  const queries: Query[] = [buildMetricsQuery(dialect, config.lake, eventMetrics, dt, rollupSource(state.rollups))];
  if (config.candidates && state.entries) {
    const r = candidateScanRanges(config.candidates, dt);
    const days = [...new Set([...dayRange(r.hits.start, r.hits.end), ...dayRange(r.outcome.start, r.outcome.end)])].sort();
    queries.push(buildCandidatesStateQuery(dialect, config.candidates, dt, state.rollups(days), state.entries));
  }
  return queries;
}

/** Queries as a script: each preceded by `-- <name>` and ended by `;` at a line end. */
export function formatQueries(queries: readonly Query[]): string {
  return queries.map((q) => `-- ${q.name}\n${q.sql.trimEnd()};\n`).join('\n');
}
