/**
 * Finds a local lake's data files: every file under `<location>/<partition>=<day>/`, in subfolders
 * too, except those Athena skips — any name (of the file or of a folder on the way) that starts
 * with `_` or `.` (Hadoop's hidden files: `_SUCCESS`, `_temporary/`, `.part-0.crc`). Athena reads
 * everything else under a partition's prefix whatever its extension, so the local reader does the
 * same: a stray file is read (and its lines counted as malformed, or the night failed) by both
 * engines or by neither. Compression is told by the extension (`.gz`), as Athena tells it.
 */
import { readdirSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeError } from '../core/errors';

/** True for a file or folder name Athena (Hadoop) treats as hidden. */
export const isHiddenName = (name: string) => name.startsWith('_') || name.startsWith('.');

/** What a listing of a local lake found. */
export interface LakeListing {
  /** Absolute paths of the data files, sorted. */
  readonly files: string[];
  /**
   * The days that have a `<partition>=<day>` folder, whatever it holds: a folder with no data
   * files, or with empty ones, is an empty partition, not a missing one.
   */
  readonly partitionDays: ReadonlySet<string>;
}

/** Absolute paths of the lake's data files, sorted; throws LakeError when there are none. */
export async function listLakeFiles(location: string, partition: string, format: 'json' | 'parquet'): Promise<string[]> {
  return (await listLake(location, partition, format)).files;
}

/** The lake's data files and partition folders; throws LakeError when there is no data file. */
export async function listLake(location: string, partition: string, format: 'json' | 'parquet'): Promise<LakeListing> {
  const info = await stat(location).catch(() => null);
  if (!info) throw new LakeError(location, 'folder does not exist');
  if (!info.isDirectory()) throw new LakeError(location, 'is not a folder');

  const prefix = `${partition}=`;
  const files: string[] = [];
  // Synchronous on purpose: one readdir per partition folder, hundreds of them, each a few
  // microseconds; awaited one by one through the thread pool they took ~60 ms at 460 days.
  const collect = (dir: string): void => {
    for (const f of readdirSync(dir, { withFileTypes: true })) {
      if (isHiddenName(f.name)) continue;
      if (f.isDirectory()) collect(join(dir, f.name));
      else if (f.isFile()) files.push(join(dir, f.name));
    }
  };
  const partitionDays = new Set<string>();
  for (const entry of await readdir(location, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(prefix)) continue;
    partitionDays.add(entry.name.slice(prefix.length));
    collect(join(location, entry.name));
  }
  if (files.length === 0) {
    throw new LakeError(
      location,
      `no ${format} data files under ${prefix}YYYY-MM-DD/ folders (names starting with _ or . are skipped, as Athena skips them)`,
    );
  }
  return { files: files.sort(), partitionDays };
}

/** The partition value in a lake file's path (`…/dt=2024-06-30/part-0.parquet` → `2024-06-30`), or null. */
export function partitionOf(file: string, partition: string): string | null {
  const prefix = `${partition}=`;
  const folder = file
    .split(/[\\/]/)
    .reverse()
    .find((part) => part.startsWith(prefix));
  return folder === undefined ? null : folder.slice(prefix.length);
}

/** The earliest partition day among `files`, or null when none has one. */
export function firstPartitionDay(files: readonly string[], partition: string): string | null {
  let first: string | null = null;
  for (const file of files) {
    const day = partitionOf(file, partition);
    if (day !== null && (first === null || day < first)) first = day;
  }
  return first;
}

/**
 * The format of a lake nobody has described yet (`nsm init`), told by its files' first bytes:
 * Parquet files begin with `PAR1`; anything else is read as JSON Lines (plain or gzip). The
 * extension cannot tell: Spark writes `part-0000` without one, and every file is read whatever
 * its name. The first non-empty file of `files` decides.
 */
export async function sniffLakeFormat(files: readonly string[]): Promise<'json' | 'parquet'> {
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
      const head = Buffer.alloc(4);
      const { bytesRead } = await handle.read(head, 0, 4, 0);
      if (bytesRead === 0) continue;
      return bytesRead === 4 && head.toString('latin1') === 'PAR1' ? 'parquet' : 'json';
    } finally {
      await handle.close();
    }
  }
  return 'json';
}
