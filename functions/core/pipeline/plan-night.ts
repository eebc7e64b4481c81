/** Every query a night runs, for a dialect: what `nsm run` executes and `nsm sql` prints. */
import type { EventMetric, NsmConfig } from '../config/types';
import type { Query } from '../engine';
import type { Dialect } from '../sql/dialect';
import { buildCandidatesQuery } from '../sql/candidates-query';
import { buildMetricsQuery } from '../sql/metrics-query';

/** The night's queries, independent of each other (they may run concurrently). */
export function planNight(config: NsmConfig, dialect: Dialect, dt: string): Query[] {
  const eventMetrics = config.metrics.filter((m): m is EventMetric => m.type !== 'ratio');
  const queries: Query[] = [buildMetricsQuery(dialect, config.lake, eventMetrics, dt)];
  if (config.candidates) queries.push(buildCandidatesQuery(dialect, config.lake, config.candidates, dt));
  return queries;
}

/** Queries as a script: each preceded by `-- <name>` and ended by `;` at a line end. */
export function formatQueries(queries: readonly Query[]): string {
  return queries.map((q) => `-- ${q.name}\n${q.sql.trimEnd()};\n`).join('\n');
}
