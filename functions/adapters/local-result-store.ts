/**
 * `ResultStore` over a local folder (docs/design.md §3): the same key layout as S3, one file per key.
 * Writes are atomic (temp file in the same folder, then rename) so a reader — or a crash — never
 * sees half a `metrics.jsonl`. `putIfAbsent` writes a temporary file and hard-links it to the key:
 * `link` fails when the target exists, so two concurrent runs cannot both win, and — unlike an
 * exclusive create followed by a write — a crash can never leave the key existing but empty.
 */
import { createHash } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { StoreError } from '../core/errors';
import { assertRelativeKey, type ObjectInfo, type ResultStore } from '../core/results/store';
import { isTemporaryName, temporaryPath } from './temporary-files';

/** Node's error shape for file-system failures. */
function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export class LocalResultStore implements ResultStore {
  /** The absolute folder. */
  readonly location: string;

  /** @param folder the results folder; created on the first write. Relative paths resolve against the cwd. */
  constructor(folder: string) {
    this.location = resolve(folder);
  }

  /**
   * The absolute path of `key`. Keys are relative `/`-separated paths; a key that is absolute, empty
   * or climbs out of the folder (`..`) is a bug upstream, so it throws instead of writing elsewhere.
   */
  uriFor(key: string): string {
    assertRelativeKey(key);
    return join(this.location, ...key.split('/'));
  }

  async put(key: string, body: string, _contentType: string): Promise<void> {
    const path = this.uriFor(key);
    // The temp file sits next to the target: rename is only atomic within one file system.
    const tmp = temporaryPath(path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(tmp, body, 'utf8');
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw new StoreError(key, `cannot write ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  async putIfAbsent(key: string, body: string, _contentType: string): Promise<boolean> {
    const path = this.uriFor(key);
    const tmp = temporaryPath(path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(tmp, body, 'utf8');
      await link(tmp, path);
      return true;
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') return false;
      throw new StoreError(key, `cannot write ${path}: ${(err as Error).message}`, { cause: err });
    } finally {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  async get(key: string): Promise<string | null> {
    const path = this.uriFor(key);
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw new StoreError(key, `cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Every file under `prefix` with its size and MD5 (read in full: state files are small). */
  async listObjects(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    for (const key of await this.list(prefix)) {
      const path = this.uriFor(key);
      try {
        const body = await readFile(path);
        out.push({ key, size: body.length, etag: createHash('md5').update(body).digest('hex') });
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue; // listed, then gone
        throw new StoreError(key, `cannot read ${path}: ${(err as Error).message}`, { cause: err });
      }
    }
    return out;
  }

  /**
   * Removes temporary files (`temporary-files.ts`) anywhere in the folder whose last change is
   * before `olderThan`: a run calls this once it holds the lease, when no other writer can exist,
   * so every older temporary file is a leftover of a killed run.
   */
  async removeTemporaries(olderThan: Date): Promise<string[]> {
    let entries: { parentPath: string; name: string; isFile(): boolean }[];
    try {
      entries = await readdir(this.location, { recursive: true, withFileTypes: true });
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw new StoreError('', `cannot list ${this.location}: ${(err as Error).message}`, { cause: err });
    }
    const removed: string[] = [];
    for (const e of entries) {
      if (!e.isFile() || !isTemporaryName(e.name)) continue;
      const path = join(e.parentPath, e.name);
      const info = await stat(path).catch(() => null);
      if (info === null || info.mtimeMs >= olderThan.getTime()) continue;
      await rm(path, { force: true });
      removed.push(
        path
          .slice(this.location.length + 1)
          .split(sep)
          .join('/'),
      );
    }
    return removed.sort();
  }

  /** Deletes every key under `prefix`, then the folder `prefix` names when it ends with `/` and is left empty. */
  async deletePrefix(prefix: string): Promise<void> {
    for (const key of await this.list(prefix)) {
      await rm(this.uriFor(key), { force: true }).catch((err: unknown) => {
        throw new StoreError(key, `cannot delete ${this.uriFor(key)}: ${(err as Error).message}`, { cause: err });
      });
    }
    // Then the folders left empty, deepest first. rmdir only removes an empty folder: a file
    // written meanwhile is kept, and so is its folder.
    if (prefix.endsWith('/') && prefix.length > 1) await removeEmptyFolders(this.uriFor(prefix.slice(0, -1)));
  }

  /**
   * Every key under `prefix`, sorted. Like S3's ListObjectsV2, `prefix` is a string prefix of the key
   * (`metrics/dt=2024-01` matches `metrics/dt=2024-01-05/metrics.jsonl`), not only a folder.
   * Leftover temporary files of an interrupted write are not keys.
   */
  async list(prefix: string): Promise<string[]> {
    // Walk the deepest folder the prefix names completely, then filter by the full prefix.
    const slash = prefix.lastIndexOf('/');
    const base = slash < 0 ? '' : prefix.slice(0, slash);
    const start = base === '' ? this.location : this.uriFor(base);
    let entries: string[];
    try {
      entries = (await readdir(start, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && !isTemporaryName(e.name))
        .map((e) => join(e.parentPath, e.name));
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw new StoreError(prefix, `cannot list ${start}: ${(err as Error).message}`, { cause: err });
    }
    const keys = entries.map((p) =>
      p
        .slice(this.location.length + 1)
        .split(sep)
        .join('/'),
    );
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }
}

/** Removes `folder` and the folders under it that are (or become) empty; anything else stays. */
async function removeEmptyFolders(folder: string): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) await removeEmptyFolders(join(folder, e.name));
  await rmdir(folder).catch(() => undefined);
}
