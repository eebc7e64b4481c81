import { descendantsOf } from '../config/tree';
import type { NsmConfig } from '../config/types';
import type { Driver, MetricRow } from '../results/rows';

/** How big a move is, for ordering: |change_pct|, with "cannot tell" (null) below every number. */
function moveSize(d: Driver): number {
  return d.change_pct === null ? -1 : Math.abs(d.change_pct);
}

function toDriver(row: MetricRow, depth: number): Driver {
  return {
    metric_id: row.metric_id,
    name: row.name,
    depth,
    value: row.value,
    baseline: row.baseline,
    change_pct: row.change_pct,
    status: row.status,
    contribution: row.contribution,
    contribution_pct: row.contribution_pct,
  };
}

/**
 * The drill-down of a drop (docs/design.md §2): every descendant of `metricId` in the config's tree,
 * recursively, with its value, baseline, change and status, so the reader sees which driver moved.
 *
 * Order: **largest move first across the whole subtree** — `|change_pct|` descending, falling and
 * rising alike (a denominator that jumps explains a falling ratio as well as a numerator that
 * falls); a null change (no baseline, zero baseline) sorts last; ties keep the tree's depth-first
 * order, so a parent precedes its children. Global rather than per-level because the question the
 * reader asks is "what moved most", wherever it sits; `depth` still says where it sits.
 *
 * A `ratio` driver carries `parts`: its numerator's and denominator's moves (one level, at
 * `depth + 1`), because a ratio can fall through either side.
 *
 * @param rows tonight's judged rows, by metric id (every configured metric)
 */
export function driversFor(config: NsmConfig, metricId: string, rows: ReadonlyMap<string, MetricRow>): Driver[] {
  const byId = new Map(config.metrics.map((m) => [m.id, m]));
  const drivers: Driver[] = [];
  for (const { id, depth } of descendantsOf(config, metricId)) {
    const row = rows.get(id);
    if (row === undefined) continue;
    const driver = toDriver(row, depth);
    const metric = byId.get(id);
    if (metric?.type === 'ratio') {
      const num = rows.get(metric.numerator);
      const den = rows.get(metric.denominator);
      if (num !== undefined && den !== undefined) {
        driver.parts = { numerator: toDriver(num, depth + 1), denominator: toDriver(den, depth + 1) };
      }
    }
    drivers.push(driver);
  }
  // Array.prototype.sort is stable (ES2019), so equal moves keep depth-first order.
  return drivers.sort((a, b) => moveSize(b) - moveSize(a));
}
