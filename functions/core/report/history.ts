/**
 * The window of nights the report's charts cover, and the per-metric series drawn in them.
 */
import { addDays } from '../dates';
import type { MetricRow } from '../results/rows';
import { spreadOf } from './spread';

/**
 * How many earlier nights of `metrics/dt=…/metrics.jsonl` the pipeline reads for the report's
 * charts. The charts show those nights plus the report's own night: `D-90 … D`.
 */
export const REPORT_HISTORY_NIGHTS = 90;

/** The nights the pipeline should read as history for night `dt`: `D-90 … D-1`, both included. */
export function reportHistoryRange(dt: string): { from: string; to: string } {
  return { from: addDays(dt, -REPORT_HISTORY_NIGHTS), to: addDays(dt, -1) };
}

/** The earliest night of any series (they are sorted oldest first), or undefined when all are empty. */
export function firstNight(series: ReadonlyMap<string, readonly SeriesPoint[]>): string | undefined {
  let first: string | undefined;
  for (const points of series.values()) {
    const dt = points[0]?.dt;
    if (dt !== undefined && (first === undefined || dt < first)) first = dt;
  }
  return first;
}

/** One night of one metric, ready to draw. */
export interface SeriesPoint {
  dt: string;
  value: number | null;
  baseline: number | null;
  /** baseline ± spread (see `./spread`); null when the spread is unknown. */
  low: number | null;
  high: number | null;
  change_pct: number | null;
  drop: boolean;
}

const finiteOrNull = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/**
 * Per metric id, its points in the window `from … to` (oldest first, one per night that has a
 * row). Tonight's rows win over history rows of the same night; rows outside the window and
 * non-finite numbers are dropped.
 */
export function buildSeries(
  history: readonly MetricRow[],
  tonight: readonly MetricRow[],
  from: string,
  to: string,
): Map<string, SeriesPoint[]> {
  const byKey = new Map<string, MetricRow>();
  for (const r of [...history, ...tonight]) {
    if (typeof r?.dt !== 'string' || r.dt < from || r.dt > to) continue;
    byKey.set(`${r.metric_id}\u0000${r.dt}`, r);
  }
  const out = new Map<string, SeriesPoint[]>();
  for (const r of byKey.values()) {
    const value = finiteOrNull(r.value);
    const baseline = finiteOrNull(r.baseline);
    const spread = spreadOf({ value, baseline, robust_z: r.robust_z });
    const point: SeriesPoint = {
      dt: r.dt,
      value,
      baseline,
      low: baseline !== null && spread !== null ? baseline - spread : null,
      high: baseline !== null && spread !== null ? baseline + spread : null,
      change_pct: finiteOrNull(r.change_pct),
      drop: r.status === 'drop',
    };
    const list = out.get(r.metric_id) ?? [];
    list.push(point);
    out.set(r.metric_id, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
  return out;
}
