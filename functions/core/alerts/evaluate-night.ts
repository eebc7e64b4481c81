import { baselineFor } from '../baseline/baseline';
import { changePct } from '../baseline/change';
import { judgeFreshness } from '../baseline/freshness';
import { eventHistory, metricHistory, type NightHistory } from '../baseline/history';
import { judgeMetric } from '../baseline/judge';
import { parentIndex } from '../config/tree';
import type { NsmConfig } from '../config/types';
import type { DataCompleteness } from '../results/report';
import type { AlertRow, MetricRow } from '../results/rows';
import { driversFor } from './drill-down';
import { formatDropAlert } from './format-drop';
import { formatIncompleteAlert } from './format-incomplete';

/** One night's numbers and where its report will be. */
export interface NightInput {
  readonly config: NsmConfig;
  readonly dt: string;
  /** Tonight's value of every configured metric (a metric missing here counts as null). */
  readonly values: ReadonlyMap<string, number | null>;
  /** Events in D's partition (0 when missing or empty). */
  readonly dayEvents: number;
  /** D's partition is not in the lake. */
  readonly partitionMissing: boolean;
  /** D's partition is in the lake but holds no events. */
  readonly partitionEmpty: boolean;
  /** From `readHistory(store, dt, config.alerts.baseline_weeks)`. */
  readonly history: NightHistory;
  /** Where the night's report is, for the alert texts. */
  readonly reportUri: string;
  readonly consoleUrl?: string | undefined;
}

/** The judged night: rows for `metrics.jsonl`, the report's `data` section, and the alerts to send. */
export interface NightEvaluation {
  metrics: MetricRow[];
  data: DataCompleteness;
  alerts: AlertRow[];
}

/**
 * Judges one night (docs/design.md §2 "Drop detection and drill-down"), purely:
 *
 * 1. the freshness guard compares the night's event count with the same-weekday baseline of counts;
 * 2. every configured metric gets a row with its baseline, change, robust z and status (config order);
 * 3. an incomplete night marks every metric `data_incomplete` and yields exactly one
 *    `data_incomplete` alert (metric_id null; value/baseline/change are the event counts) and no drop;
 * 4. otherwise each watched metric with status `drop` yields one drop alert (in `watch` order) whose
 *    `drivers` are its descendants in the tree, largest move first.
 *
 * Statuses are recorded for every metric; alerts only for `alerts.watch`.
 */
export function evaluateNight(input: NightInput): NightEvaluation {
  const { config, dt, history } = input;
  const a = config.alerts;
  const data = judgeFreshness({
    dayEvents: input.dayEvents,
    partitionMissing: input.partitionMissing,
    partitionEmpty: input.partitionEmpty,
    earlierDayEvents: eventHistory(history),
    minRatio: a.freshness.min_ratio,
    baselineWeeks: a.baseline_weeks,
  });
  const incomplete = data.status === 'incomplete';
  const parents = parentIndex(config);

  const metrics: MetricRow[] = config.metrics.map((m) => {
    const value = input.values.get(m.id) ?? null;
    const judged = judgeMetric(value, baselineFor(metricHistory(history, m.id)), a);
    return {
      dt,
      metric_id: m.id,
      name: m.name,
      type: m.type,
      value,
      is_north_star: m.id === config.north_star,
      parent_id: parents.get(m.id) ?? null,
      baseline: judged.baseline,
      change_pct: judged.change_pct,
      robust_z: judged.robust_z,
      status: incomplete ? 'data_incomplete' : judged.status,
    };
  });

  if (incomplete) {
    const text = formatIncompleteAlert({
      dt,
      data,
      minRatio: a.freshness.min_ratio,
      baselineWeeks: a.baseline_weeks,
      partitionKey: config.lake.partition,
      reportUri: input.reportUri,
      consoleUrl: input.consoleUrl,
    });
    const alert: AlertRow = {
      dt,
      kind: 'data_incomplete',
      metric_id: null,
      value: data.day_events,
      baseline: data.baseline_events,
      change_pct: changePct(data.day_events, data.baseline_events),
      robust_z: null,
      drivers: [],
      ...text,
    };
    return { metrics, data, alerts: [alert] };
  }

  const rows = new Map(metrics.map((r) => [r.metric_id, r]));
  const alerts: AlertRow[] = [];
  for (const id of a.watch) {
    const row = rows.get(id);
    if (row === undefined || row.status !== 'drop') continue;
    const drivers = driversFor(config, id, rows);
    const text = formatDropAlert({
      dt,
      metricId: id,
      name: row.name,
      isNorthStar: row.is_north_star,
      value: row.value,
      baseline: row.baseline,
      change_pct: row.change_pct,
      robust_z: row.robust_z,
      drivers,
      thresholds: a,
      reportUri: input.reportUri,
      consoleUrl: input.consoleUrl,
    });
    alerts.push({
      dt,
      kind: 'drop',
      metric_id: id,
      value: row.value,
      baseline: row.baseline,
      change_pct: row.change_pct,
      robust_z: row.robust_z,
      drivers,
      ...text,
    });
  }
  return { metrics, data, alerts };
}
