/**
 * Sending alerts at most once per (night, kind, subject) — and never losing one (docs/design.md §2,
 * docs/operations.md "Alerts: exactly once, and what remains at-least-once").
 *
 * Every run that sends holds the results location's run lease (core/lease/run-lease.ts), so no
 * two runs send at the same time. Per alert, in `alerts-sent/dt=D/` (names: `marker.ts`):
 *
 * 1. the **marker** `<id>.json` means "sent": it holds the alert as sent; an alert whose marker
 *    exists (or a marker of the older layouts) is never sent again;
 * 2. otherwise the run first writes its **claim** `<id>.claim-N` — the intent to send, naming the
 *    run and its lease, holding the alert — with the store's conditional write, at the next free
 *    generation N;
 * 3. then it publishes, with the delivery `{ alertId, attempt: <claim key> }`;
 * 4. then it writes the marker. A publish the notifier refused rewrites the claim as `released`.
 *
 * A run killed between 2 and 4 leaves a claim without a marker. The next run recognises it at once
 * — the claim names a lease that is not the current one, and only the lease holder sends — and
 * reconciles it instead of waiting: it asks the notifier whether that attempt was delivered. The
 * local outbox knows (yes: the marker is written from the claim, nothing is sent again; no: the
 * alert is sent now). SNS keeps no such record: the alert is sent again, and that resend — after
 * a kill between SNS accepting the Publish and the marker landing — is the one duplicate left.
 * It is counted in `resent` (run.json warns about it).
 */
import { NotifyError, StoreError } from '../errors';
import type { LeaseToken } from '../lease/run-lease';
import {
  alertClaimGeneration,
  alertClaimKey,
  alertMarkerKey,
  legacyMarkerName,
  legacySentMarkersPrefix,
  sentMarkersPrefix,
} from '../results/layout';
import type { AlertRow } from '../results/rows';
import { CONTENT_TYPE, type ResultStore } from '../results/store';
import { alertId, alertIdentity } from './marker';
import type { Delivery, Notifier } from './notifier';

/** What {@link sendAlertsOnce} needs besides the alerts. */
export interface SendOnceOptions {
  /** The run lease this run holds: claims name it, and a claim naming another lease belongs to a run that is gone. */
  readonly lease: LeaseToken;
  /** Clock, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** What happened to each alert handed to {@link sendAlertsOnce}. */
export interface SendOnceResult {
  /** Delivered by this call (in the order given), the resent ones included. */
  sent: AlertRow[];
  /** Not sent because a marker says it was sent before; the rows are the markers' (as sent then). */
  alreadySent: AlertRow[];
  /** Delivered by a run that was killed before recording it; recorded now, not sent again. */
  reconciled: AlertRow[];
  /** Sent again after a killed run's attempt the notifier could not rule out: possibly twice. */
  resent: AlertRow[];
}

/** Body of a claim. */
interface Claim {
  alert_id: string;
  run_id: string;
  lease: string;
  state: 'claimed' | 'released';
  claimed_at: string;
  /** What this attempt sends (the marker of a reconciled attempt is written from it). */
  alert: AlertRow;
}

function parseClaim(text: string | null): Partial<Claim> | null {
  if (text === null) return null;
  try {
    const c = JSON.parse(text) as Partial<Claim>;
    return typeof c === 'object' && c !== null ? c : {};
  } catch {
    return {};
  }
}

/** The marker's alert row; the alert itself when the marker's body is damaged (its existence is the fact that counts). */
async function readMarker(store: ResultStore, key: string, alert: AlertRow): Promise<AlertRow> {
  const text = await store.get(key);
  if (text === null) return alert;
  try {
    return JSON.parse(text) as AlertRow;
  } catch {
    return alert;
  }
}

/** The keys in a night's marker folders, listed once for all its alerts. */
class NightListing {
  private readonly nights = new Map<string, Promise<{ current: Set<string>; legacy: Set<string> }>>();
  constructor(private readonly store: ResultStore) {}

  of(dt: string) {
    let listed = this.nights.get(dt);
    if (!listed) {
      listed = (async () => {
        const [current, legacy] = await Promise.all([this.store.list(sentMarkersPrefix(dt)), this.store.list(legacySentMarkersPrefix(dt))]);
        return { current: new Set(current), legacy: new Set(legacy) };
      })();
      this.nights.set(dt, listed);
    }
    return listed;
  }
}

/** The key of a marker an older layout wrote for `alert`, if the listing has one. */
function legacyMarker(listed: { current: Set<string>; legacy: Set<string> }, alert: AlertRow): string | undefined {
  const { dt, kind, key } = alertIdentity(alert);
  const name = legacyMarkerName(kind, key);
  for (const [prefix, keys] of [
    [sentMarkersPrefix(dt), listed.current],
    [legacySentMarkersPrefix(dt), listed.legacy],
  ] as const) {
    if (keys.has(`${prefix}${name}`)) return `${prefix}${name}`;
  }
  return undefined;
}

/**
 * Publishes each alert through `notifier` unless a marker says it was sent before; see the module
 * comment for the protocol. Alerts are handled one after another, in order. A failure of one alert
 * does not stop the others: every alert is attempted, then the first failure is thrown (a
 * `NotifyError` naming every failed alert id when several failed). Delivered alerts keep their
 * markers either way, so a retry sends only what is missing; `readSentAlerts` lists them.
 *
 * @throws NotifyError when the notifier rejected an alert (its claim is released: a retry sends it)
 * @throws StoreError when the store failed (a marker write after a send included: the claim stays,
 *   and the next run reconciles it)
 */
export async function sendAlertsOnce(
  store: ResultStore,
  notifier: Notifier,
  alerts: readonly AlertRow[],
  options: SendOnceOptions,
): Promise<SendOnceResult> {
  const now = options.now ?? Date.now;
  const listing = new NightListing(store);
  const result: SendOnceResult = { sent: [], alreadySent: [], reconciled: [], resent: [] };
  const failures: { id: string; error: Error }[] = [];

  for (const alert of alerts) {
    const { dt } = alert;
    const id = await alertId(alertIdentity(alert));
    const marker = alertMarkerKey(dt, id);
    try {
      const listed = await listing.of(dt);
      const earlier = listed.current.has(marker) ? marker : legacyMarker(listed, alert);
      if (earlier !== undefined) {
        result.alreadySent.push(await readMarker(store, earlier, alert));
        continue;
      }
      const generations = [...listed.current].map((k) => alertClaimGeneration(dt, id, k)).filter((g): g is number => g !== undefined);
      const top = generations.length ? Math.max(...generations) : -1;
      let resend = false;
      if (top >= 0) {
        const attempt = alertClaimKey(dt, id, top);
        const claim = parseClaim(await store.get(attempt));
        // A claim that was not released is an attempt whose run never finished it: under the
        // lease, no other run is sending now, so it is over — was it delivered?
        if (claim !== null && claim.state !== 'released') {
          const delivered = await notifier.delivered?.({ alertId: id, attempt });
          if (delivered === true) {
            const sentThen = claim.alert ?? alert;
            await store.put(marker, JSON.stringify(sentThen), CONTENT_TYPE.json);
            listed.current.add(marker);
            result.reconciled.push(sentThen);
            continue;
          }
          resend = delivered === undefined;
        }
      }
      const generation = top + 1;
      const attempt = alertClaimKey(dt, id, generation);
      const claimBody = (state: Claim['state']) =>
        JSON.stringify({
          alert_id: id,
          run_id: options.lease.runId,
          lease: options.lease.lease,
          state,
          claimed_at: new Date(now()).toISOString(),
          alert,
        } satisfies Claim);
      if (!(await store.putIfAbsent(attempt, claimBody('claimed'), CONTENT_TYPE.json))) {
        // Only a run that lost its lease (and does not know yet) can have written it.
        throw new StoreError(attempt, 'claimed by another run although this run holds the lease; not sent (the next run reconciles it)');
      }
      listed.current.add(attempt);
      const delivery: Delivery = { alertId: id, attempt };
      try {
        await notifier.publish(alert, delivery);
      } catch (err) {
        // Released: the next attempt need not ask the notifier. If even this write fails, the
        // claim stays "claimed" and the next run asks `delivered` (or sends again).
        await store.put(attempt, claimBody('released'), CONTENT_TYPE.json).catch(() => undefined);
        throw err instanceof NotifyError ? err : new NotifyError(id, (err as Error).message, { cause: err });
      }
      await store.put(marker, JSON.stringify(alert), CONTENT_TYPE.json);
      listed.current.add(marker);
      result.sent.push(alert);
      if (resend) result.resent.push(alert);
    } catch (err) {
      failures.push({ id, error: err as Error });
    }
  }

  const [first] = failures;
  if (first === undefined) return result;
  if (failures.length === 1) throw first.error;
  throw new NotifyError(
    failures.map((f) => f.id).join(', '),
    `${failures.length} of ${alerts.length} alerts not delivered; first: ${first.error.message}`,
    { cause: first.error },
  );
}
