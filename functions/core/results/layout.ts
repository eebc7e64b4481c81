/** Keys of the results layout (DESIGN.md §3). One function per file kind; nothing else builds keys. */

export const metricsKey = (dt: string) => `metrics/dt=${dt}/metrics.jsonl`;
export const candidatesKey = (dt: string) => `candidates/dt=${dt}/candidates.jsonl`;
export const alertsKey = (dt: string) => `alerts/dt=${dt}/alerts.jsonl`;
export const reportJsonKey = (dt: string) => `reports/dt=${dt}/report.json`;
export const reportHtmlKey = (dt: string) => `reports/dt=${dt}/report.html`;
export const runKey = (dt: string) => `runs/dt=${dt}/run.json`;
export const LATEST_KEY = 'latest.json';
/** Marker that an alert of `kind` for `metricId` on `dt` was sent; written after the send. */
export const alertSentKey = (dt: string, metricId: string, kind: string) => `state/alerts-sent/dt=${dt}/${kind}--${metricId}.json`;

/** JSON Lines text: one compact JSON object per line, newline-terminated. */
export function toJsonLines(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/** Parses JSON Lines text; blank lines are ignored. */
export function fromJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
