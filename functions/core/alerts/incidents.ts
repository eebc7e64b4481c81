/**
 * Incidents (docs/alerts.md "Incidents"): a watched metric's consecutive `drop` nights are one
 * incident, so a drop that lasts five nights pages people once, not five times. The first night
 * sends the drop alert, later nights send nothing (or a `still_down` reminder every
 * `alerts.remind_every_days` days), and the first `ok` night sends one `recovered` alert.
 *
 * There is no incident table: the state is derived from the results store, from earlier nights'
 * `metrics.jsonl` (statuses and, on drop nights, `incident_id`), which the pipeline reads anyway
 * for the report's charts (D-90 … D-1). Tonight's drop continues the incident of the latest earlier
 * *judged* night of the metric (`ok` or `drop`) if that night was a drop, else starts one. Nights of
 * `insufficient_history` or `data_incomplete` neither end nor extend an incident: they are skipped.
 * Only nights before D are read, so re-running an older night never changes a later incident, and
 * the late-data re-judge of an older night calls the same two functions with that night's history.
 *
 * Both functions are pure.
 */
import { daysBetween } from '../dates';
import type { MetricRow, MetricStatus } from '../results/rows';

/** `<metric_id>:<onset night>`: metric ids never contain a colon (`^[a-z][a-z0-9_]*$`). */
export function incidentId(metricId: string, onset: string): string {
  return `${metricId}:${onset}`;
}

/** The onset night of an incident id (the text after the last colon). */
export function incidentOnset(id: string): string {
  return id.slice(id.lastIndexOf(':') + 1);
}

/** An incident still open before night D. */
export interface OpenIncident {
  readonly id: string;
  readonly metricId: string;
  /** The incident's first drop night. */
  readonly onset: string;
  /** Its latest drop night before D. */
  readonly lastDrop: string;
  /** The lowest `change_pct` of its drop nights within reach (null when none was known). */
  readonly worstChangePct: number | null;
}

/** The earlier nights the incident state is derived from. */
export interface IncidentHistory {
  /** Earlier nights' metric rows, any order (rows of D or later are ignored). */
  readonly rows: readonly MetricRow[];
  /** Earlier nights whose `metrics.jsonl` could not be used (damaged, cut short). */
  readonly unusable: readonly string[];
}

/** The incident state of one metric before night D. */
export interface IncidentBefore {
  /** The open incident, or null when the latest judged night was `ok` (or none is in reach). */
  readonly open: OpenIncident | null;
  /**
   * The newest unusable night newer than the latest judged night, if any: it might have ended or
   * started an incident, so `open` is a guess from the nights before it (the caller warns).
   */
  readonly uncertainSince: string | null;
}

const JUDGED: ReadonlySet<MetricStatus> = new Set<MetricStatus>(['ok', 'drop']);

/**
 * Metric `metricId`'s incident before night `dt`: walking back from D-1 over the judged nights,
 * the run of drop nights up to the latest `ok`. Rows that carry `incident_id` name their onset;
 * rows written before incidents existed have none, and then the oldest drop of the run is the
 * onset. A drop row of another incident ends the run (it can only be there after an older night
 * was re-run).
 */
export function incidentBefore(metricId: string, dt: string, history: IncidentHistory): IncidentBefore {
  const rows = history.rows
    .filter((r) => r.metric_id === metricId && r.dt < dt && JUDGED.has(r.status))
    .sort((a, b) => (a.dt < b.dt ? 1 : -1));
  const latestJudged = rows[0]?.dt;
  const uncertainSince =
    history.unusable
      .filter((u) => u < dt && (latestJudged === undefined || u > latestJudged))
      .sort()
      .pop() ?? null;
  const drops: MetricRow[] = [];
  let id: string | null = null;
  for (const r of rows) {
    if (r.status !== 'drop') break;
    const own = r.incident_id ?? null;
    if (drops.length === 0) id = own;
    else if (own !== null && id !== null && own !== id) break;
    if (id !== null && r.dt < incidentOnset(id)) break;
    drops.push(r);
  }
  const newest = drops[0];
  if (newest === undefined) return { open: null, uncertainSince };
  const onset = id === null ? drops[drops.length - 1]!.dt : incidentOnset(id);
  const changes = drops.map((r) => r.change_pct).filter((c): c is number => typeof c === 'number' && Number.isFinite(c));
  return {
    open: {
      id: id ?? incidentId(metricId, onset),
      metricId,
      onset,
      lastDrop: newest.dt,
      worstChangePct: changes.length > 0 ? Math.min(...changes) : null,
    },
    uncertainSince,
  };
}

/** What tonight's status does to the metric's incident. */
export interface IncidentStep {
  /** Tonight's row's `incident_id`: set on a drop night, null otherwise. */
  readonly incidentId: string | null;
  /** The alert due tonight for the incident, or null. */
  readonly alert: IncidentAlert | null;
}

/** An incident alert due tonight (before `alerts.notify` chooses what is sent). */
export interface IncidentAlert {
  readonly kind: 'drop' | 'still_down' | 'recovered';
  readonly incident: OpenIncident;
  /** Tonight's night of the incident: 1 on the onset, `D − onset + 1` after. */
  readonly nightOfIncident: number;
}

/**
 * Tonight's step of the state machine for one metric, from its incident before tonight:
 *
 * - `drop` with no open incident: a new one starts tonight; the drop alert is due (night 1).
 * - `drop` with an open incident: it continues; a `still_down` reminder is due on nights
 *   `1 + N, 1 + 2N, …` when `remindEveryDays` N is above 0 (nights are calendar days since the
 *   onset, so a night of `data_incomplete` in between still counts as a day of the drop).
 * - `ok` with an open incident: it is over; the `recovered` alert is due.
 * - `insufficient_history`, `data_incomplete`: nothing changes, nothing is due.
 */
export function stepIncident(
  before: OpenIncident | null,
  metricId: string,
  dt: string,
  tonight: { readonly status: MetricStatus; readonly change_pct: number | null },
  remindEveryDays: number,
): IncidentStep {
  if (tonight.status === 'drop') {
    const change = typeof tonight.change_pct === 'number' && Number.isFinite(tonight.change_pct) ? tonight.change_pct : null;
    if (before === null) {
      const incident: OpenIncident = { id: incidentId(metricId, dt), metricId, onset: dt, lastDrop: dt, worstChangePct: change };
      return { incidentId: incident.id, alert: { kind: 'drop', incident, nightOfIncident: 1 } };
    }
    const night = daysBetween(before.onset, dt) + 1;
    const worst =
      before.worstChangePct === null ? change : change === null ? before.worstChangePct : Math.min(before.worstChangePct, change);
    const incident: OpenIncident = { ...before, lastDrop: dt, worstChangePct: worst };
    const due = remindEveryDays > 0 && night > 1 && (night - 1) % remindEveryDays === 0;
    return { incidentId: before.id, alert: due ? { kind: 'still_down', incident, nightOfIncident: night } : null };
  }
  if (tonight.status === 'ok' && before !== null) {
    return { incidentId: null, alert: { kind: 'recovered', incident: before, nightOfIncident: daysBetween(before.onset, dt) + 1 } };
  }
  return { incidentId: null, alert: null };
}
