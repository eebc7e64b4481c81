/**
 * Which tree boxes the report highlights for tonight's drops.
 *
 * - `alert`: a metric with a drop alert this night.
 * - `driver`: beneath each alerted metric, the path of largest falls: among its children the one
 *   whose change is most negative (if any fell), then the same beneath that child, and so on; plus
 *   any metric listed as a driver that is itself a drop. Changes come from the alert's drivers
 *   (the drill-down the email showed), falling back to the night's metric rows.
 *
 * Following the largest fall level by level points at where the drop came from without painting
 * every small dip; the full list of drivers stays in the alerts section.
 */
import type { NightReport } from '../results/report';
import type { Driver } from '../results/rows';

export type Role = 'alert' | 'driver';

function flattenDrivers(ds: readonly Driver[], out: Map<string, Driver>): void {
  for (const d of ds) {
    if (!out.has(d.metric_id)) out.set(d.metric_id, d);
    if (d.parts) flattenDrivers([d.parts.numerator, d.parts.denominator], out);
  }
}

export function highlightRoles(report: NightReport): Map<string, Role> {
  const roles = new Map<string, Role>();
  const rows = new Map(report.metrics.map((m) => [m.metric_id, m]));
  for (const alert of report.alerts) {
    if (alert.kind !== 'drop' || alert.metric_id === null) continue;
    roles.set(alert.metric_id, 'alert');
    const drivers = new Map<string, Driver>();
    flattenDrivers(alert.drivers ?? [], drivers);
    const change = (id: string) => (drivers.has(id) ? drivers.get(id)?.change_pct : rows.get(id)?.change_pct) ?? null;
    for (const d of drivers.values()) if (d.status === 'drop' && !roles.has(d.metric_id)) roles.set(d.metric_id, 'driver');
    const seen = new Set<string>([alert.metric_id]);
    let at = alert.metric_id;
    for (;;) {
      let best: string | null = null;
      let bestChange = 0;
      for (const c of report.tree[at] ?? []) {
        const ch = change(c);
        if (ch !== null && Number.isFinite(ch) && ch < bestChange) {
          best = c;
          bestChange = ch;
        }
      }
      if (best === null || seen.has(best)) break;
      seen.add(best);
      if (!roles.has(best)) roles.set(best, 'driver');
      at = best;
    }
  }
  return roles;
}
