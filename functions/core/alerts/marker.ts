/**
 * The id of one alert for exactly-once delivery (see `send-once.ts`). General on purpose: any alert
 * kind, any subject key (a metric id today; an incident or a segment later) — the key can be as
 * long or as odd as it likes, because it appears in no file name. Names carry only the kind and a
 * short hash (results/layout.ts):
 *
 *   alerts-sent/dt=D/<kind>-<16 hex>.json        the marker: the alert as sent
 *   alerts-sent/dt=D/<kind>-<16 hex>.claim-<N>   the N-th attempt's claim (its intent to send)
 *
 * The hash is the first 64 bits of SHA-256 over the night, the kind and the key, so two alerts of a
 * night share a name only by a 1-in-2^64 chance; the marker's body says what it is. (A 300-character
 * metric id once made the marker's name too long for the file system: every later run failed and
 * the alert was never sent.)
 */
import type { AlertRow } from '../results/rows';

/**
 * The subject key of an alert about the whole night (`data_incomplete`, whose `metric_id` is
 * null). Metric ids start with a letter, so this can never name a metric.
 */
export const NIGHT_SCOPE = '_night';

/** What identifies one alert for exactly-once delivery: its night, its kind and its subject. */
export interface AlertIdentity {
  readonly dt: string;
  /** A short token (`drop`, `data_incomplete`, …): it appears in file names. */
  readonly kind: string;
  /** Any text: a metric id, an incident key, … */
  readonly key: string;
}

/**
 * The identity of an alert row: its night, its kind and what it is about —
 *
 * - `drop`: the metric. A drop alert goes out only on its incident's onset night, so (night,
 *   metric) is the incident; and it is the key earlier releases hashed, so their markers still
 *   count after an upgrade.
 * - `recovered`: the incident.
 * - `still_down`: the incident and its night (`<incident>#<night of incident>`): one reminder per
 *   due night.
 * - `data_incomplete`: the whole night.
 * - `digest`: its period (`weekly:2024-05-13..2024-05-19`).
 */
export function alertIdentity(
  alert: Pick<AlertRow, 'dt' | 'metric_id' | 'kind'> & Partial<Pick<AlertRow, 'incident_id' | 'night_of_incident' | 'period'>>,
): AlertIdentity {
  if (alert.kind === 'digest') return { dt: alert.dt, kind: alert.kind, key: alert.period ?? NIGHT_SCOPE };
  const about = alert.metric_id ?? NIGHT_SCOPE;
  const incident = alert.incident_id ?? about;
  const key = alert.kind === 'recovered' ? incident : alert.kind === 'still_down' ? `${incident}#${alert.night_of_incident ?? ''}` : about;
  return { dt: alert.dt, kind: alert.kind, key };
}

const KIND = /^[a-z][a-z0-9_]{0,31}$/;
const HASH_BYTES = 8;

/** `<kind>-<16 hex>`: the alert's id, the name of its marker, and the SNS message attribute `alert_id`. */
export async function alertId(identity: AlertIdentity): Promise<string> {
  if (!KIND.test(identity.kind)) throw new RangeError(`alert kind ${JSON.stringify(identity.kind)} is not a short lowercase token`);
  const bytes = new TextEncoder().encode(JSON.stringify([identity.dt, identity.kind, identity.key]));
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return `${identity.kind}-${[...digest.slice(0, HASH_BYTES)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
