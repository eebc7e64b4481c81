/** What every query builder asks of the configured metrics: which scan events, which sum a property. */
import type { EventMetric, MetricConfig } from '../config/types';

/** The metrics computed by scanning events (every type but `ratio`). */
export function eventMetrics(metrics: readonly MetricConfig[]): EventMetric[] {
  return metrics.filter((m): m is EventMetric => m.type !== 'ratio');
}

/** Properties the `sum` metrics read, deduplicated and sorted. */
export function summedProperties(metrics: readonly MetricConfig[]): string[] {
  return [...new Set(metrics.flatMap((m) => (m.type === 'sum' ? [m.property] : [])))].sort();
}

/** Column of a summed property, in the scanned rows of the metrics query and in rollups. */
export const propertyColumn = (property: string) => `p__${property}`;
