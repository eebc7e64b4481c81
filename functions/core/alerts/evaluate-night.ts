import { attributeTree } from '../attribution/tree-attribution';
import { baselineFor } from '../baseline/baseline';
import { changePct } from '../baseline/change';
import { baselineNights, baselineValues } from '../baseline/clean-nights';
import { judgeFreshness } from '../baseline/freshness';
import { eventHistory, type NightHistory } from '../baseline/history';
import { judgeMetric } from '../baseline/judge';
import { thresholdsFor } from '../baseline/thresholds';
import { parentIndex, relationOf } from '../config/tree';
import type { NsmConfig } from '../config/types';
import type { DataCompleteness } from '../results/report';
import type { AlertKind, AlertRow, Driver, MetricRow, RunWarning, SegmentRow } from '../results/rows';
import { metricSegmentRows, topSegments } from '../segments/segment-rows';
import type { SegmentValues } from '../segments/segment-values';
import { segmentedMetrics } from '../segments/segmented-metrics';
import type { AlertText } from './alert-text';
import { driversFor } from './drill-down';
import { formatDropAlert } from './format-drop';
import { formatRecoveredAlert, formatStillDownAlert } from './format-incident';
import { formatIncompleteAlert } from './format-incomplete';
import { type IncidentAlert, type IncidentHistory, incidentBefore, stepIncident } from './incidents';

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
  /** From `readHistory(store, dt, config.alerts.baseline_weeks)` (with segments when the config has them); each metric's baseline takes its clean nights from it. */
  readonly history: NightHistory;
  /**
   * Earlier nights' metric rows (the report's D-90 … D-1, `readReportHistory`) and the nights among
   * them that could not be read: each metric's open incident is derived from them.
   */
  readonly earlier: IncidentHistory;
  /** Tonight's segment values (`segmentValuesFromRows`); absent without `segments` in the config. */
  readonly segmentValues?: SegmentValues | undefined;
  /** Where the night's report is, for the alert texts. */
  readonly reportUri: string;
  readonly consoleUrl?: string | undefined;
  /** The night is re-judged by a later run because its data landed late: its alerts say so (`AlertRow.late`). */
  readonly late?: boolean;
}

/** The judged night: rows for `metrics.jsonl` and `segments.jsonl`, the report's `data` section, and the alerts to send. */
export interface NightEvaluation {
  metrics: MetricRow[];
  /** Every broken-down metric's segments (empty without `segments` in the config). */
  segments: SegmentRow[];
  data: DataCompleteness;
  /** The alerts to send tonight: the kinds `alerts.notify` chooses. */
  alerts: AlertRow[];
  /** What the night noticed about its incidents (an unusable earlier night that may decide one). */
  warnings: RunWarning[];
}

/**
 * Judges one night (docs/design.md §2 "Drop detection and drill-down"), purely:
 *
 * 1. the freshness guard compares the night's event count with the same-weekday baseline of counts;
 * 2. every configured metric gets a row with its baseline, change, robust z and status (config order),
 *    and its part of its parent's change where the tree declares a `product` or `sum`;
 * 3. an incomplete night marks every metric `data_incomplete` and yields exactly one
 *    `data_incomplete` alert (metric_id null; value/baseline/change are the event counts) and no drop;
 * 4. otherwise each metric's incident steps (`stepIncident`): a watched metric whose drop starts an
 *    incident yields one drop alert (in `watch` order) whose `drivers` are its descendants in the
 *    tree, largest move first; a continuing incident yields a `still_down` reminder when one is due,
 *    and the first `ok` night after one a `recovered` alert.
 *
 * Statuses (and drop nights' `incident_id`) are recorded for every metric; alerts only for
 * `alerts.watch`, and only of the kinds in `alerts.notify`.
 */
export function evaluateNight(input: NightInput): NightEvaluation {
  const { config, dt, history } = input;
  const a = config.alerts;
  const data = judgeFreshness({
    dayEvents: input.dayEvents,
    partitionMissing: input.partitionMissing,
    partitionEmpty: input.partitionEmpty,
    earlierDayEvents: eventHistory(history, a.baseline_weeks),
    minRatio: a.freshness.min_ratio,
    baselineWeeks: a.baseline_weeks,
  });
  const incomplete = data.status === 'incomplete';
  const parents = parentIndex(config);

  const judged = new Map(
    config.metrics.map((m) => {
      const value = input.values.get(m.id) ?? null;
      const baseline = baselineFor(baselineValues(history, m.id, a.baseline_weeks));
      return [m.id, { value, ...judgeMetric(value, baseline, thresholdsFor(a, m)) }] as const;
    }),
  );
  // Attribution through the tree: each child's part of its product/sum parent's change.
  const attribution = attributeTree(config, judged);
  const earlierRows = groupByMetric(input.earlier.rows);
  const incidents = new Map(
    config.metrics.map((m) => {
      const before = incidentBefore(m.id, dt, { rows: earlierRows.get(m.id) ?? [], unusable: input.earlier.unusable });
      const verdict = judged.get(m.id)!;
      const tonight = { status: incomplete ? ('data_incomplete' as const) : verdict.status, change_pct: verdict.change_pct };
      return [m.id, { before, step: stepIncident(before.open, m.id, dt, tonight, a.remind_every_days) }] as const;
    }),
  );
  const metrics: MetricRow[] = config.metrics.map((m) => {
    const { value, ...verdict } = judged.get(m.id)!;
    const attributed = attribution.get(m.id);
    return {
      dt,
      metric_id: m.id,
      name: m.name,
      type: m.type,
      value,
      is_north_star: m.id === config.north_star,
      parent_id: parents.get(m.id) ?? null,
      baseline: verdict.baseline,
      change_pct: verdict.change_pct,
      robust_z: verdict.robust_z,
      status: incomplete ? 'data_incomplete' : verdict.status,
      contribution: attributed?.contribution ?? null,
      contribution_pct: attributed?.contribution_pct ?? null,
      identity_residual_pct: attributed?.identity_residual_pct ?? null,
      incident_id: incidents.get(m.id)!.step.incidentId,
    };
  });
  // Only judged nights (ok, drop) start, continue or end an incident: those are the ones a damaged night may mislead.
  const judgedTonight = new Set(metrics.filter((r) => r.status === 'ok' || r.status === 'drop').map((r) => r.metric_id));
  const warnings = uncertainIncidents(
    a.watch.filter((id) => judgedTonight.has(id)),
    incidents,
  );
  const notify = new Set<AlertKind>(a.notify);

  const segments = input.segmentValues ? segmentRows(config, dt, metrics, input.segmentValues, history) : [];

  if (incomplete) {
    const text = formatIncompleteAlert({
      dt,
      data,
      minRatio: a.freshness.min_ratio,
      baselineWeeks: a.baseline_weeks,
      recheckNights: a.freshness.recheck_nights,
      partitionKey: config.lake.partition,
      reportUri: input.reportUri,
      consoleUrl: input.consoleUrl,
    });
    const alert: AlertRow = {
      dt,
      kind: 'data_incomplete',
      metric_id: null,
      incident_id: null,
      night_of_incident: null,
      value: data.day_events,
      baseline: data.baseline_events,
      change_pct: changePct(data.day_events, data.baseline_events),
      robust_z: null,
      drivers: [],
      segments: [],
      ...text,
      late: input.late === true,
    };
    return { metrics, segments, data, alerts: notify.has('data_incomplete') ? [alert] : [], warnings };
  }

  const rows = new Map(metrics.map((r) => [r.metric_id, r]));
  const configured = new Map(config.metrics.map((m) => [m.id, m]));
  const alerts: AlertRow[] = [];
  for (const id of a.watch) {
    const row = rows.get(id);
    const due = incidents.get(id)?.step.alert;
    if (row === undefined || !due || !notify.has(due.kind)) continue;
    if (due.kind !== 'drop') {
      alerts.push(incidentAlert(row, due, input));
      continue;
    }
    const drivers = driversFor(config, id, rows);
    const top = topSegments(segments, segmentedParts(config, id));
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
      relation: relationOf(config, id),
      identity_residual_pct: row.identity_residual_pct,
      segments: top,
      thresholds: thresholdsFor(a, configured.get(id) ?? {}),
      reportUri: input.reportUri,
      consoleUrl: input.consoleUrl,
      late: input.late === true,
    });
    alerts.push(incidentRow(row, due, text, input.late === true, drivers, top));
  }
  return { metrics, segments, data, alerts, warnings };
}

/** A `still_down` or `recovered` alert: short texts, no drivers (the drop alert had them). */
function incidentAlert(row: MetricRow, due: IncidentAlert, input: NightInput): AlertRow {
  const text = (due.kind === 'recovered' ? formatRecoveredAlert : formatStillDownAlert)({
    dt: row.dt,
    metricId: row.metric_id,
    name: row.name,
    incident: due.incident,
    nightOfIncident: due.nightOfIncident,
    value: row.value,
    baseline: row.baseline,
    change_pct: row.change_pct,
    reportUri: input.reportUri,
    consoleUrl: input.consoleUrl,
  });
  return incidentRow(row, due, text, input.late === true);
}

/** The alert row of an incident's alert: tonight's figures of the metric, the incident, the texts. */
function incidentRow(
  row: MetricRow,
  due: IncidentAlert,
  text: AlertText,
  late: boolean,
  drivers: Driver[] = [],
  segments: SegmentRow[] = [],
): AlertRow {
  return {
    dt: row.dt,
    kind: due.kind,
    metric_id: row.metric_id,
    incident_id: due.incident.id,
    night_of_incident: due.nightOfIncident,
    value: row.value,
    baseline: row.baseline,
    change_pct: row.change_pct,
    robust_z: row.robust_z,
    drivers,
    segments,
    ...text,
    late,
  };
}

/** Metric rows by metric id, one pass over the earlier nights. */
function groupByMetric(rows: readonly MetricRow[]): Map<string, MetricRow[]> {
  const out = new Map<string, MetricRow[]>();
  for (const r of rows) {
    const list = out.get(r.metric_id);
    if (list) list.push(r);
    else out.set(r.metric_id, [r]);
  }
  return out;
}

/**
 * One `incident_uncertain` warning per unusable earlier night that may decide the incident of
 * some of `ids` (metrics with something incident-related tonight): the incident was judged from
 * the nights before it, which is right unless that night ended or started one.
 */
function uncertainIncidents(
  ids: readonly string[],
  incidents: ReadonlyMap<string, { before: { uncertainSince: string | null } }>,
): RunWarning[] {
  const byNight = new Map<string, string[]>();
  for (const id of ids) {
    const night = incidents.get(id)?.before.uncertainSince;
    if (night) byNight.set(night, [...(byNight.get(night) ?? []), id]);
  }
  return [...byNight].map(([night, metrics]) => ({
    code: 'incident_uncertain',
    message: `night ${night} cannot be read, so the incidents of ${metrics.join(', ')} are judged from the nights before it (an alert may repeat or be missed; repair it: nsm run --date ${night})`,
    dt: night,
    key: null,
  }));
}

/** Every broken-down metric's segment rows, from tonight's values, judged rows and the history's segments. */
function segmentRows(
  config: NsmConfig,
  dt: string,
  metrics: readonly MetricRow[],
  tonight: SegmentValues,
  history: NightHistory,
): SegmentRow[] {
  const dimensions = config.segments?.dimensions ?? [];
  const rows = new Map(metrics.map((r) => [r.metric_id, r]));
  return segmentedMetrics(config).flatMap((m) => {
    const row = rows.get(m.id);
    return metricSegmentRows({
      dt,
      metricId: m.id,
      dimensions,
      value: row?.value ?? null,
      baseline: row?.baseline ?? null,
      tonight: tonight.get(m.id) ?? new Map(),
      // The metric's own clean baseline nights: the segments' usual shares come from the nights its baseline B does.
      history: baselineNights(history, m.id, config.alerts.baseline_weeks).map((n) => ({
        metric: n.metrics?.get(m.id) ?? null,
        segments: n.segments?.get(m.id) ?? null,
      })),
    });
  });
}

/** The metrics whose segments explain `id`'s move: itself, or a ratio's broken-down parts. */
function segmentedParts(config: NsmConfig, id: string): string[] {
  const metric = config.metrics.find((m) => m.id === id);
  if (metric?.type !== 'ratio') return [id];
  return segmentedMetrics({ metrics: config.metrics, alerts: { ...config.alerts, watch: [id] } }).map((m) => m.id);
}
