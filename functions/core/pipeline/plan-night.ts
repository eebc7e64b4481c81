/** Every query a night runs, for a dialect: what `nsm run` executes and `nsm sql` prints. */
import { candidateRollupDays } from '../candidates/scan-ranges';
import type { NsmConfig } from '../config/types';
import type { Query } from '../engine';
import { eventMetrics } from '../metrics/event-metrics';
import { segmentPlan } from '../segments/segmented-metrics';
import { buildCandidatesQuery } from '../sql/candidates-query';
import { buildCandidatesStateQuery } from '../sql/candidates-state-query';
import type { Dialect } from '../sql/dialect';
import { buildMetricsQuery } from '../sql/metrics-query';
import { rollupSource } from '../sql/metrics-sources';
import type { SegmentPlan } from '../sql/segmented-metrics-query';
import { buildSweepQuery, buildSweepStateQuery } from '../sql/sweep-query';
import type { NightState } from '../state/night-state';

/**
 * The night's queries, independent of each other (they may run concurrently).
 * @param segments the segment plan (`segmentPlan` with the earlier nights' segments); by default
 *   the config's, with no value kept named from earlier nights (what `nsm sql` prints)
 */
export function planNight(config: NsmConfig, dialect: Dialect, dt: string, segments = segmentPlan(config, [])): Query[] {
  const scanned = eventMetrics(config.metrics);
  const queries: Query[] = [buildMetricsQuery(dialect, config.lake, scanned, dt, undefined, segments)];
  if (config.candidates) queries.push(buildCandidatesQuery(dialect, config.lake, config.candidates, dt));
  if (config.candidates?.sweep) queries.push(buildSweepQuery(dialect, config.lake, config.candidates, dt));
  return queries;
}

/** The same queries over the incremental state (prepared by `prepareNightState`) instead of the lake. */
export function planNightFromState(
  config: NsmConfig,
  dialect: Dialect,
  dt: string,
  state: NightState,
  segments: SegmentPlan | undefined = segmentPlan(config, []),
): Query[] {
  const scanned = eventMetrics(config.metrics);
  const queries: Query[] = [buildMetricsQuery(dialect, config.lake, scanned, dt, rollupSource(state.rollups), segments)];
  if (config.candidates && state.entries) {
    const days = candidateRollupDays(config.candidates, dt);
    queries.push(buildCandidatesStateQuery(dialect, config.candidates, dt, state.rollups(days), state.entries));
    if (config.candidates.sweep) queries.push(buildSweepStateQuery(dialect, config.candidates, dt, state.rollups(days), state.entries));
  }
  return queries;
}

/** Queries as a script: each preceded by `-- <name>` and ended by `;` at a line end. */
export function formatQueries(queries: readonly Query[]): string {
  return queries.map((q) => `-- ${q.name}\n${q.sql.trimEnd()};\n`).join('\n');
}
