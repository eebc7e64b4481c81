/**
 * Who this process is, for the run lease (core/lease/run-lease.ts): a machine identity and a pid,
 * and, for a results folder on this machine, a liveness check that recognises a killed holder at
 * once instead of waiting for its lease to expire.
 *
 * The identity is the host name plus, on Linux, the boot id and the PID namespace: two containers
 * (or two Lambda sandboxes) may share a host name and reuse the same pids, so a pid alone proves
 * nothing about a process elsewhere. A holder is declared dead only when its identity is exactly
 * ours and its pid does not exist here; anything else is "cannot tell", and its lease is waited out.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LeaseRecord } from '../core/lease/run-lease';

function tryRead(read: () => string): string | undefined {
  try {
    return read().trim() || undefined;
  } catch {
    return undefined;
  }
}

let identity: string | undefined;

/** `host` or `host/boot:<id>/pid:[<ns>]` where Linux tells. */
export function machineIdentity(): string {
  identity ??= [
    hostname(),
    tryRead(() => `boot:${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')}`),
    tryRead(() => readlinkSync('/proc/self/ns/pid')),
  ]
    .filter(Boolean)
    .join('/');
  return identity;
}

/** False when no process `pid` exists on this machine (a permission error means it does). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when `record`'s holder is a process of this very machine (full identity, with boot id and
 * PID namespace: a bare host name is not enough) that no longer exists.
 */
export function isDeadLocalHolder(record: LeaseRecord): boolean {
  const { host, pid } = record.holder ?? {};
  if (typeof pid !== 'number' || pid === process.pid || host !== machineIdentity()) return false;
  if (!machineIdentity().includes('/boot:')) return false;
  return !processExists(pid);
}
