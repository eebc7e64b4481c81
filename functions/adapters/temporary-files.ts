/**
 * Temporary files of the local adapters: a write goes to a temporary file beside its target and is
 * renamed (or linked) into place, so a reader — or a crash — never sees half a file. A process
 * killed between the two leaves the temporary file behind; the next run under the lease removes
 * such files (`LocalResultStore.removeTemporaries`), which is why they all share one naming rule.
 */
import { randomBytes } from 'node:crypto';

/** A fresh temporary name beside `path`: `<path>.<pid>.<random>.tmp`. */
export function temporaryPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * True for a temporary file's name: ours (`.tmp`), and the `.partial-<pid>` Parquet files that
 * releases before the run lease wrote.
 */
export function isTemporaryName(name: string): boolean {
  return name.endsWith('.tmp') || /\.partial-\d+$/.test(name);
}
