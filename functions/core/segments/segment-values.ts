/**
 * The segments' values of one night: from the metrics query's segment rows (tonight) or from an
 * earlier night's `segments.jsonl` (history), as metric id → dimension → segment → value.
 */
import type { EventMetric, NsmConfig } from '../config/types';
import type { Row } from '../engine';
import { NsmError } from '../errors';
import type { SegmentRow } from '../results/rows';
import { metricColumn } from '../sql/metrics-query';
import { SEGMENT_COLUMN, SLOT_COLUMN } from '../sql/segmented-metrics-query';

/** metric id → dimension → segment label → value (a `sum` already scaled). */
export type SegmentValues = ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>>;

/** The whole night's row (slot 0) and the segment rows of a metrics query result. */
export function splitMetricsRows(rows: readonly Row[]): { whole: Row; segmentRows: Row[] } {
  const hasSlots = rows.some((r) => SLOT_COLUMN in r);
  if (!hasSlots) return { whole: rows[0] ?? {}, segmentRows: [] };
  const whole = rows.find((r) => Number(r[SLOT_COLUMN]) === 0) ?? {};
  return { whole, segmentRows: rows.filter((r) => Number(r[SLOT_COLUMN]) !== 0) };
}

function numeric(raw: unknown): number | null {
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/**
 * Tonight's segment values of `metrics` from the query's segment rows (slot i = `dimensions[i-1]`).
 * @throws NsmError on a slot the plan has no dimension for (the query and the config disagree)
 */
export function segmentValuesFromRows(
  rows: readonly Row[],
  metrics: readonly EventMetric[],
  dimensions: NonNullable<NsmConfig['segments']>['dimensions'],
): SegmentValues {
  const out = new Map<string, Map<string, Map<string, number>>>(metrics.map((m) => [m.id, new Map(dimensions.map((d) => [d, new Map()]))]));
  for (const row of rows) {
    const slot = Number(row[SLOT_COLUMN]);
    const dimension = dimensions[slot - 1];
    if (dimension === undefined) throw new NsmError(`metrics query: segment row of unknown slot ${String(row[SLOT_COLUMN])}`);
    const label = String(row[SEGMENT_COLUMN]);
    for (const m of metrics) {
      const raw = numeric(row[metricColumn(m.id)]) ?? 0;
      out
        .get(m.id)!
        .get(dimension)!
        .set(label, m.type === 'sum' ? raw * m.scale : raw);
    }
  }
  return out;
}

/** An earlier night's segment values from its `segments.jsonl` rows. */
export function segmentValuesFromJsonl(rows: readonly Pick<SegmentRow, 'metric_id' | 'dimension' | 'segment' | 'value'>[]): SegmentValues {
  const out = new Map<string, Map<string, Map<string, number>>>();
  for (const r of rows) {
    if (typeof r.value !== 'number' || !Number.isFinite(r.value)) continue;
    const byDimension = out.get(r.metric_id) ?? new Map<string, Map<string, number>>();
    out.set(r.metric_id, byDimension);
    const bySegment = byDimension.get(r.dimension) ?? new Map<string, number>();
    byDimension.set(r.dimension, bySegment);
    bySegment.set(String(r.segment), r.value);
  }
  return out;
}
