/**
 * The value of an event metric over events, written from docs/design.md §2 "Metric semantics"
 * literally and independently of the SQL: the oracle the DuckDB metrics and segments tests compare
 * the engine's answers with.
 */

import type { EventMetric } from '../../functions/core/config/types';
import { addDays } from '../../functions/core/dates';
import type { LakeEvent } from './lake';

/** The metric over `rows`, which are already the metric's window and events. */
export function metricOver(rows: readonly LakeEvent[], m: EventMetric): number {
  const distinct = (xs: unknown[]) => new Set(xs.filter((x) => x !== null && x !== undefined)).size;
  switch (m.type) {
    case 'count':
      return rows.length;
    case 'sum':
      return rows.reduce((s, e) => s + (typeof e[m.property] === 'number' ? (e[m.property] as number) : 0), 0) * m.scale;
    case 'distinct_users':
      return distinct(rows.map((e) => e.user_id));
    case 'distinct_accounts':
      return distinct(rows.map((e) => e.account_id));
    case 'active_accounts': {
      const users = new Map<string, Set<string>>();
      for (const e of rows) {
        if (e.account_id === null || e.account_id === undefined || e.user_id === null || e.user_id === undefined) continue;
        const set = users.get(String(e.account_id)) ?? new Set<string>();
        set.add(String(e.user_id));
        users.set(String(e.account_id), set);
      }
      return [...users.values()].filter((s) => s.size >= m.min_users).length;
    }
  }
}

/** The events of `m`'s window ending on `dt` (day = partition value) that the metric counts. */
export function metricRows(events: readonly LakeEvent[], m: EventMetric, dt: string): LakeEvent[] {
  const from = addDays(dt, -(m.window_days - 1));
  return events.filter((e) => e.dt >= from && e.dt <= dt && (m.events === undefined || m.events.includes(String(e.event_name))));
}
