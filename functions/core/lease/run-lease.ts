/**
 * The run lease: one writer at a time per results location (docs/operations.md, "The run lease").
 *
 * Two runs on one results location — a backfill beside the nightly run, two overlapping ranges, a
 * second deployment — used to prune each other's state and judge nights on each other's half-written
 * history. Now every run (`runNights`) first takes the lease, keeps it while it lives, and gives it
 * back when it ends; every write goes through a store fenced by it (`fenced-store.ts`).
 *
 * The lease is a sequence of generations, `lease/g<N>.json`, each created with the store's
 * conditional write (`putIfAbsent`: `If-None-Match: *` on S3, an exclusive create in a folder) and
 * afterwards written only by its holder. The newest generation is the lease:
 *
 * - **take**: list `lease/`; if there is no generation, or the newest one has *ended*, create the
 *   next one. Of two runs that both saw generation N end, only one creates N+1 — the other's
 *   conditional write fails and it looks again. No run ever creates N+1 while N is live, and
 *   nothing deletes the newest generation, so there is never more than one holder.
 * - **ended**: released by its holder; or expired (`expires_at` passed: the holder died or hung);
 *   or, on a local results folder, its holder is a process of this machine that no longer exists
 *   (`isDead`), recognised at once instead of waited out.
 * - **renew**: while the run lives, the holder rewrites its generation with a later `expires_at`
 *   every `renewEveryMs` (a quarter of the TTL), then checks that no later generation exists.
 * - **fence**: before each write the holder checks that its lease is still its own and not within
 *   `marginMs` of expiring by its own clock (`assertHeld`); otherwise it stops with
 *   `LeaseLostError`. What this cannot stop: a process that passes the check and then pauses for
 *   longer than the lease's remaining life before its write lands (S3 offers no fencing tokens).
 * - **wait**: a run that finds the lease held waits up to `waitMs`, polling, then fails with
 *   `LeaseHeldError` naming the holder: which run, where, since when, until when.
 *
 * Old generations beyond the last `keepGenerations` are deleted by the holder (housekeeping: a
 * failure there is a warning).
 */
import { LeaseHeldError, LeaseLostError } from '../errors';
import { LEASE_PREFIX, leaseGeneration, leaseKey } from '../results/layout';
import { CONTENT_TYPE, type ResultStore } from '../results/store';

/** Who holds a lease, for messages and for the local liveness check. */
export interface LeaseHolder {
  /** Machine identity (host name, plus boot and PID namespace where known); null when not told. */
  readonly host: string | null;
  readonly pid: number | null;
  /** What the run is doing, such as `nsm run --from 2024-01-01 --to 2024-03-31`. */
  readonly what: string | null;
}

/** The body of `lease/g<N>.json`. */
export interface LeaseRecord {
  readonly generation: number;
  readonly run_id: string;
  readonly state: 'held' | 'released';
  readonly acquired_at: string;
  readonly renewed_at: string;
  readonly expires_at: string;
  readonly holder: LeaseHolder;
}

/** How a run takes, keeps and waits for the lease. Defaults in brackets. */
export interface LeaseSettings {
  /** How long a lease lives without renewal [60 s]: a dead holder's lease ends this long after its last renewal. */
  readonly ttlMs?: number;
  /** How long to wait for a lease another run holds [10 min]; 0 fails at once. */
  readonly waitMs?: number;
  /** Who this run is (host, pid, what it does). */
  readonly holder?: Partial<LeaseHolder>;
  /**
   * True when `record`'s holder is certainly dead (a process of this machine that no longer
   * exists): its lease ends at once. Undefined (or false) means "cannot tell": wait for expiry.
   */
  readonly isDead?: (record: LeaseRecord) => boolean;
}

export interface RunLeaseOptions extends LeaseSettings {
  readonly runId: string;
  /** Renewal period [ttl / 4]. */
  readonly renewEveryMs?: number;
  /** A holder stops writing this long before its lease would expire [ttl / 6]. */
  readonly marginMs?: number;
  /** Pause between looks at a held lease [2 s]. */
  readonly pollMs?: number;
  /** Generations kept for people reading the store [5]. */
  readonly keepGenerations?: number;
  /** Clock, epoch ms [Date.now]. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Calls `fn` every `ms` until the returned function is called [setInterval, unref'd]. */
  readonly every?: (fn: () => void, ms: number) => () => void;
  /** One line when the run starts waiting for another run's lease. */
  readonly onWait?: (line: string) => void;
  /** Housekeeping that failed (old generations not deleted). */
  readonly warn?: (line: string) => void;
}

/** What a run under the lease shows in what it writes (alert claims name it): which run, which lease. */
export interface LeaseToken {
  readonly runId: string;
  /** The lease generation's key, `lease/g<N>.json`. */
  readonly lease: string;
}

/** A lease this run holds. */
export interface RunLease {
  readonly token: LeaseToken;
  /** When this run took it. */
  readonly acquiredAt: Date;
  /** How long this run waited for it, ms. */
  readonly waitedMs: number;
  /** @throws LeaseLostError when this run may no longer write (see the module comment) */
  assertHeld(): void;
  /** Gives the lease back (the next run takes it at once). Never throws: a lease not released expires. */
  release(): Promise<void>;
}

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_WAIT_MS = 10 * 60_000;

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const everyMs = (fn: () => void, ms: number) => {
  const timer = setInterval(fn, ms);
  // A lease must never keep a process alive on its own.
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
};

function parseRecord(text: string | null): LeaseRecord | null {
  if (text === null) return null;
  try {
    const r = JSON.parse(text) as Partial<LeaseRecord>;
    return (r.state === 'held' || r.state === 'released') && typeof r.expires_at === 'string' && typeof r.run_id === 'string'
      ? (r as LeaseRecord)
      : null;
  } catch {
    return null;
  }
}

/** `run r1 (nsm run --date …, host h, pid 12) since … (renewed …, expires …)`. */
export function describeHolder(r: LeaseRecord): string {
  const where = [r.holder?.what, r.holder?.host && `host ${r.holder.host}`, r.holder?.pid != null && `pid ${r.holder.pid}`].filter(Boolean);
  return `run ${r.run_id}${where.length ? ` (${where.join(', ')})` : ''} holds it since ${r.acquired_at} (renewed ${r.renewed_at}, expires ${r.expires_at} unless renewed)`;
}

/**
 * Takes the run lease on `store`, waiting up to `waitMs` for another run's (see the module comment).
 * @throws LeaseHeldError when another run still holds it after the wait
 */
export async function acquireRunLease(store: ResultStore, options: RunLeaseOptions): Promise<RunLease> {
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const pollMs = options.pollMs ?? 2_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepMs;
  const holder: LeaseHolder = { host: options.holder?.host ?? null, pid: options.holder?.pid ?? null, what: options.holder?.what ?? null };
  const started = now();
  const deadline = started + waitMs;
  // A generation we cannot read (damaged by hand, or half-written by a store without atomic
  // conditional writes) counts as live from the moment we first saw it, and as ended one TTL later.
  const unreadableSince = new Map<number, number>();
  let announced = false;

  for (;;) {
    const generations = (await store.list(LEASE_PREFIX)).map(leaseGeneration).filter((g): g is number => g !== undefined);
    const top = generations.length ? Math.max(...generations) : -1;
    let current: LeaseRecord | null = null;
    let ended = true;
    const t = now();
    if (top >= 0) {
      current = parseRecord(await store.get(leaseKey(top)));
      if (current === null) {
        const since = unreadableSince.get(top) ?? t;
        unreadableSince.set(top, since);
        ended = t - since >= ttl;
      } else {
        ended = current.state === 'released' || t >= Date.parse(current.expires_at) || options.isDead?.(current) === true;
      }
    }
    if (ended) {
      const generation = top + 1;
      const record = (state: LeaseRecord['state'], at: number, expires: number): LeaseRecord => ({
        generation,
        run_id: options.runId,
        state,
        acquired_at: new Date(t).toISOString(),
        renewed_at: new Date(at).toISOString(),
        expires_at: new Date(expires).toISOString(),
        holder,
      });
      const key = leaseKey(generation);
      if (await store.putIfAbsent(key, `${JSON.stringify(record('held', t, t + ttl))}\n`, CONTENT_TYPE.json)) {
        const lease = holdLease(store, options, { key, generation, acquiredAt: t, ttl, waitedMs: t - started, record });
        await pruneGenerations(store, generation, options.keepGenerations ?? 5).catch((err: unknown) =>
          options.warn?.(`old run lease generations not deleted (the next run tries again): ${(err as Error).message}`),
        );
        return lease;
      }
      continue; // another run took generation N+1 first: look again
    }
    const who = current ? describeHolder(current) : `an unreadable ${leaseKey(top)} holds it`;
    if (t >= deadline) {
      throw new LeaseHeldError(
        store.location,
        `another run holds the lease: ${who}; try again when it has finished${waitMs > 0 ? ` (waited ${Math.round((t - started) / 1000)} s)` : ''}`,
      );
    }
    if (!announced) {
      options.onWait?.(`waiting up to ${Math.round(waitMs / 1000)} s for the results lease: ${who}`);
      announced = true;
    }
    const untilExpiry = current ? Date.parse(current.expires_at) - t + 1 : pollMs;
    await sleep(Math.max(1, Math.min(pollMs, deadline - t, untilExpiry)));
  }
}

interface Held {
  readonly key: string;
  readonly generation: number;
  readonly acquiredAt: number;
  readonly ttl: number;
  readonly waitedMs: number;
  readonly record: (state: LeaseRecord['state'], at: number, expires: number) => LeaseRecord;
}

function holdLease(store: ResultStore, options: RunLeaseOptions, held: Held): RunLease {
  const now = options.now ?? Date.now;
  const margin = options.marginMs ?? Math.floor(held.ttl / 6);
  let expiresAt = held.acquiredAt + held.ttl;
  let lost: string | undefined;
  let released = false;
  let renewing = false;

  const renew = async () => {
    if (released || lost !== undefined || renewing) return;
    renewing = true;
    const t = now();
    try {
      await store.put(held.key, `${JSON.stringify(held.record('held', t, t + held.ttl))}\n`, CONTENT_TYPE.json);
      // A later generation exists only if another run saw ours expire: then ours is gone for good.
      const later = (await store.list(LEASE_PREFIX)).map(leaseGeneration).some((g) => g !== undefined && g > held.generation);
      if (later) lost = `another run took the lease over after ${new Date(expiresAt).toISOString()}`;
      else expiresAt = t + held.ttl;
    } catch {
      // Not renewed this time; assertHeld stops the run once the lease gets too close to expiring.
    } finally {
      renewing = false;
    }
  };
  const cancel = (options.every ?? everyMs)(() => void renew(), options.renewEveryMs ?? Math.floor(held.ttl / 4));

  return {
    token: { runId: options.runId, lease: held.key },
    acquiredAt: new Date(held.acquiredAt),
    waitedMs: held.waitedMs,
    assertHeld() {
      if (released) throw new LeaseLostError(store.location, 'this run has released its lease');
      if (lost !== undefined) throw new LeaseLostError(store.location, lost);
      const t = now();
      if (t >= expiresAt - margin) {
        throw new LeaseLostError(
          store.location,
          `not renewed since ${new Date(expiresAt - held.ttl).toISOString()}, it expires ${new Date(expiresAt).toISOString()}`,
        );
      }
    },
    async release() {
      if (released) return;
      released = true;
      cancel();
      if (lost !== undefined) return;
      const t = now();
      await store.put(held.key, `${JSON.stringify(held.record('released', t, t))}\n`, CONTENT_TYPE.json).catch(() => undefined);
    },
  };
}

/** Deletes generations older than the newest `keep` (never the newest: see the module comment). */
async function pruneGenerations(store: ResultStore, newest: number, keep: number): Promise<void> {
  const old = (await store.list(LEASE_PREFIX))
    .map((key) => ({ key, generation: leaseGeneration(key) }))
    .filter((g) => g.generation !== undefined && g.generation <= newest - Math.max(1, keep));
  for (const g of old) await store.deletePrefix(g.key);
}
