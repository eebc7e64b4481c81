/**
 * Which metrics `segments` breaks down, and the plan the metrics query needs for it
 * (docs/configuration.md "Segments"): every watched metric, except that a watched `ratio` is
 * broken down through its numerator and denominator (a ratio of segment sums is not a sum of
 * segment ratios, so its own segments would not explain its move).
 */
import type { EventMetric, MetricConfig, NsmConfig } from '../config/types';
import type { SegmentPlan } from '../sql/segmented-metrics-query';
import { NONE_SEGMENT, OTHER_SEGMENT } from '../sql/segmented-metrics-query';
import type { SegmentValues } from './segment-values';

/** The event metrics broken down by segment, in config order: the watched ones and the parts of watched ratios. */
export function segmentedMetrics(config: Pick<NsmConfig, 'metrics' | 'alerts'>): EventMetric[] {
  const byId = new Map(config.metrics.map((m) => [m.id, m] as const));
  const wanted = new Set<string>();
  const visit = (m: MetricConfig | undefined, trail: readonly string[]): void => {
    if (!m || trail.includes(m.id)) return;
    if (m.type !== 'ratio') wanted.add(m.id);
    else for (const part of [m.numerator, m.denominator]) visit(byId.get(part), [...trail, m.id]);
  };
  for (const id of config.alerts.watch) visit(byId.get(id), []);
  return config.metrics.filter((m): m is EventMetric => m.type !== 'ratio' && wanted.has(m.id));
}

/**
 * The events whose count tonight is a value's volume (what decides which values are named): those
 * the broken-down metrics count, or null when one of them counts every event.
 */
export function volumeEvents(metrics: readonly EventMetric[]): string[] | null {
  if (metrics.some((m) => m.events === undefined)) return null;
  return [...new Set(metrics.flatMap((m) => m.events ?? []))].sort();
}

/**
 * The segment plan of night D: the config's dimensions, each keeping named the values that had a
 * non-zero value for some broken-down metric on an earlier night of `earlier` (the baseline
 * nights), so that a value that vanishes tonight is reported at 0 rather than folded into
 * `(other)`. A value that stays at 0 leaves the list once it is out of the baseline nights.
 */
export function segmentPlan(
  config: Pick<NsmConfig, 'metrics' | 'alerts' | 'segments'>,
  earlier: readonly (SegmentValues | null)[],
): SegmentPlan | undefined {
  const segments = config.segments;
  if (!segments) return undefined;
  const metrics = segmentedMetrics(config);
  return {
    dimensions: segments.dimensions.map((column) => {
      const named = new Set<string>();
      for (const night of earlier) {
        for (const m of metrics) {
          for (const [label, value] of night?.get(m.id)?.get(column) ?? []) {
            if (value !== 0 && label !== NONE_SEGMENT && label !== OTHER_SEGMENT) named.add(label);
          }
        }
      }
      return { column, named: [...named].sort() };
    }),
    maxValues: segments.max_values,
    volumeEvents: volumeEvents(metrics),
  };
}
