/**
 * Sending alerts at most once per (day, metric, kind) — and never losing one (docs/design.md §2).
 *
 * Two durable objects in the results store per alert:
 *
 * - the **marker** (`alertSentKey`, under `alerts-sent/`): written with `put` only *after* the notifier accepted the alert,
 *   holding the alert row as sent. Its presence means "sent"; nothing ever sends an alert whose
 *   marker exists. A crash between the send and the marker loses nothing: the next run sends the
 *   alert again (at most once more).
 * - **claims** (`<marker>.claim-N`): taken with `putIfAbsent` (O_EXCL on a folder, an S3 conditional
 *   write `If-None-Match: *` in the cloud) *before* sending, so that of two runs of the same night
 *   racing each other only one sends. A claim lives `claimTtlMs` (default 2 minutes, far above the
 *   seconds a publish takes). Claims are never deleted — the store has no delete — they end instead:
 *   a failed send overwrites its claim as `released`; a crashed run's claim expires. An ended claim
 *   N is followed by claim N+1, again taken with `putIfAbsent`, so each retry is as race-free as the
 *   first attempt.
 *
 * A run that finds a live claim of another run waits (polling every `pollMs`) until the marker
 * appears (→ already sent) or the claim ends (→ it takes the next claim and sends). Waiting rather
 * than skipping matters for "never lose": an automatic retry right after a crash finds the crashed
 * run's claim still live, and must not give up on the alert.
 *
 * After taking a claim the marker is read again: a run whose expired claim we outlived may have
 * finished meanwhile. The one remaining way to send twice is a publish that outlasts the TTL.
 */
import { NotifyError, StoreError } from '../errors';
import { alertClaimKey } from '../results/layout';
import type { AlertRow } from '../results/rows';
import { CONTENT_TYPE, type ResultStore } from '../results/store';
import { alertMarkerKey, legacyAlertMarkerKey } from './marker';
import type { Notifier } from './notifier';

/** Tuning and test seams of {@link sendAlertsOnce}. */
export interface SendOnceOptions {
  /** How long a claim protects a send in progress. Default 120 000 ms. */
  readonly claimTtlMs?: number;
  /** Pause between looks at another run's live claim. Default 1 000 ms. */
  readonly pollMs?: number;
  /** Clock, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Who holds a claim, for people reading the store. Default a random id. */
  readonly owner?: string;
}

/** What happened to each alert handed to {@link sendAlertsOnce}. */
export interface SendOnceResult {
  /** Delivered by this call (in the order given). */
  sent: AlertRow[];
  /** Not sent because a marker says it was sent before; the rows are the markers' (as sent then). */
  alreadySent: AlertRow[];
}

/** Body of a claim object. */
interface Claim {
  owner: string;
  state: 'claimed' | 'released';
  claimed_at: string;
  expires_at: string;
}

/** Claims an alert may go through before something is clearly wrong with the store. */
const MAX_GENERATIONS = 1000;

function parseClaim(text: string | null): Claim | null {
  if (text === null) return null;
  try {
    const c = JSON.parse(text) as Partial<Claim>;
    return (c.state === 'claimed' || c.state === 'released') && typeof c.expires_at === 'string' ? (c as Claim) : null;
  } catch {
    return null;
  }
}

/** The marker's alert row, or null when the alert was not sent. */
async function readMarker(store: ResultStore, key: string, alert: AlertRow): Promise<AlertRow | null> {
  const text = await store.get(key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as AlertRow;
  } catch {
    // The marker's existence is the fact that counts; a damaged body must not cause a resend.
    return alert;
  }
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes each alert through `notifier` unless its marker says it was sent before; see the module
 * comment for the protocol. Alerts are handled one after another, in order. A failure of one alert
 * does not stop the others: every alert is attempted, then the first failure is thrown (a
 * `NotifyError` naming every failed marker key when several failed). Delivered alerts keep their
 * markers either way, so a retry sends only what is missing; {@link readSentAlerts} lists them.
 *
 * @throws NotifyError when the notifier rejected an alert (its claim is released: a retry can send)
 * @throws StoreError when the store failed (a marker write after a successful send included: that
 *   alert's claim is kept, so only a retry after the TTL may send it once more)
 */
export async function sendAlertsOnce(
  store: ResultStore,
  notifier: Notifier,
  alerts: readonly AlertRow[],
  options: SendOnceOptions = {},
): Promise<SendOnceResult> {
  const ttl = options.claimTtlMs ?? 120_000;
  const pollMs = options.pollMs ?? 1_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepMs;
  const owner = options.owner ?? globalThis.crypto.randomUUID();

  const claimBody = (state: Claim['state'], at: number): string =>
    JSON.stringify({
      owner,
      state,
      claimed_at: new Date(at).toISOString(),
      expires_at: new Date(at + ttl).toISOString(),
    } satisfies Claim);

  /** Takes a claim for `marker`, or learns that the alert was sent meanwhile. */
  async function acquire(marker: string, alert: AlertRow): Promise<{ claim: string } | { sent: AlertRow }> {
    // A claim we cannot read (being written this instant, or left empty by a crash) counts as live
    // from the moment we first saw it, and as ended one TTL later.
    const unreadableSince = new Map<string, number>();
    let generation = 0;
    for (;;) {
      if (generation >= MAX_GENERATIONS) throw new StoreError(marker, `${MAX_GENERATIONS} claims ended without a send`);
      const key = alertClaimKey(marker, generation);
      const t = now();
      if (await store.putIfAbsent(key, claimBody('claimed', t), CONTENT_TYPE.json)) {
        const sent = await readMarker(store, marker, alert);
        return sent ? { sent } : { claim: key };
      }
      const held = parseClaim(await store.get(key));
      let ended: boolean;
      if (held === null) {
        const since = unreadableSince.get(key) ?? t;
        unreadableSince.set(key, since);
        ended = t - since >= ttl;
      } else {
        ended = held.state === 'released' || t >= Date.parse(held.expires_at);
      }
      if (ended) {
        generation += 1;
        continue;
      }
      const sent = await readMarker(store, marker, alert);
      if (sent) return { sent };
      await sleep(pollMs);
    }
  }

  const result: SendOnceResult = { sent: [], alreadySent: [] };
  const failures: { key: string; error: Error }[] = [];
  for (const alert of alerts) {
    const marker = alertMarkerKey(alert);
    try {
      // A marker where an earlier release kept it (under state/) counts too: an upgrade must not resend.
      const before = (await readMarker(store, marker, alert)) ?? (await readMarker(store, legacyAlertMarkerKey(alert), alert));
      if (before) {
        result.alreadySent.push(before);
        continue;
      }
      const got = await acquire(marker, alert);
      if ('sent' in got) {
        result.alreadySent.push(got.sent);
        continue;
      }
      try {
        await notifier.publish(alert);
      } catch (err) {
        // Release so that a retry need not wait for the TTL; if even that write fails, the claim
        // simply expires.
        await store.put(got.claim, claimBody('released', now()), CONTENT_TYPE.json).catch(() => undefined);
        throw err instanceof NotifyError ? err : new NotifyError(marker, (err as Error).message, { cause: err });
      }
      await store.put(marker, JSON.stringify(alert), CONTENT_TYPE.json);
      result.sent.push(alert);
    } catch (err) {
      failures.push({ key: marker, error: err as Error });
    }
  }

  const [first] = failures;
  if (first === undefined) return result;
  if (failures.length === 1) throw first.error;
  throw new NotifyError(
    failures.map((f) => f.key).join(', '),
    `${failures.length} of ${alerts.length} alerts not delivered; first: ${first.error.message}`,
    { cause: first.error },
  );
}
