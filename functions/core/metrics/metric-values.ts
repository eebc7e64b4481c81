/**
 * Turns the `metrics` query's single row into one value per configured metric: event metrics
 * are read from their column (a `sum` times its `scale`), ratios are computed here from the
 * values of their numerator and denominator for the same night (docs/design.md §2: a double, null
 * when the denominator is 0 or either side is null).
 */
import type { MetricConfig } from '../config/types';
import type { Row } from '../engine';
import { NsmError } from '../errors';
import { metricColumn } from '../sql/metrics-query';

/** Metric id -> value for one night; every configured metric has an entry. */
export type MetricValues = ReadonlyMap<string, number | null>;

export function metricValues(metrics: readonly MetricConfig[], row: Row): MetricValues {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const values = new Map<string, number | null>();

  const metricValue = (id: string, trail: readonly string[]): number | null => {
    if (values.has(id)) return values.get(id) ?? null;
    const m = byId.get(id);
    if (!m) throw new NsmError(`unknown metric '${id}'`);
    if (trail.includes(id)) throw new NsmError(`ratio cycle: ${[...trail, id].join(' -> ')}`);
    let v: number | null;
    if (m.type === 'ratio') {
      const num = metricValue(m.numerator, [...trail, id]);
      const den = metricValue(m.denominator, [...trail, id]);
      v = num === null || den === null || den === 0 ? null : num / den;
    } else {
      const raw = row[metricColumn(m.id)];
      const n = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof n !== 'number' || Number.isNaN(n)) v = null;
      else v = m.type === 'sum' ? n * m.scale : n;
    }
    values.set(id, v);
    return v;
  };

  for (const m of metrics) metricValue(m.id, []);
  return values;
}
