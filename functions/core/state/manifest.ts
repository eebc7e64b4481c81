/**
 * The manifest beside each piece of incremental state (`state/manifests/<kind>/dt=D.json`, see
 * results/layout.ts). It names the build folder that counts (`state/<kind>/<D>.<build>/`) and is
 * written only after that build is complete: replacing the manifest is the switch from the old
 * build to the new one (one PUT, atomic on S3 and, through a rename, in a local folder). Until the
 * switch, readers see the old build whole; a crash before it leaves the old manifest, and the new
 * build's folder, which nothing names, is deleted when the day is next built.
 *
 * A manifest also records the files its build wrote — key, size and fingerprint (S3's ETag; the
 * MD5 of a local file) — as the store listed them right after the build. A night checks every
 * piece it reuses against them (`stateProblem`) and rebuilds a piece that does not match: a state
 * file copied over another day's, cut short or replaced by hand is never read as that day's state.
 */
import { STATE_BUILD_ID, type StateKind, stateBuildFolder } from '../results/layout';
import type { ObjectInfo, ResultStore } from '../results/store';

/** What a manifest records; state of another `shape` (the config changed) is rebuilt. */
export interface StateManifest {
  readonly dt: string;
  /** The state's shape (`state-shape.ts`), or `pruning` while the build is being deleted. */
  readonly shape: string;
  /** The build folder of this state (`stateBuildFolder(kind, dt, build)`). */
  readonly build: string;
  readonly built_at: string;
  /** The night whose run built it. */
  readonly built_by: string;
  /** Rows written, where the engine says (DuckDB; on Athena only 0 for an UNLOAD that scanned nothing). */
  readonly rows: number | null;
  /**
   * The files of the build, as listed right after it. Absent in manifests written before state was
   * verified: such a piece cannot be checked, so it is rebuilt once.
   */
  readonly files?: readonly ObjectInfo[];
}

/** The manifest text of `manifest`. */
export const manifestText = (manifest: StateManifest) => `${JSON.stringify(manifest)}\n`;

/** What is at a manifest's key. */
export type ManifestRead =
  | { readonly status: 'missing' }
  /** Not a manifest of this layout: unreadable, or from the layout before build folders (no `build`). */
  | { readonly status: 'unusable'; readonly legacy: boolean }
  | { readonly status: 'ok'; readonly manifest: StateManifest };

/** The manifest at `key`, told apart from a missing or unusable one (either way: the state is rebuilt). */
export async function readManifestEntry(store: ResultStore, key: string): Promise<ManifestRead> {
  const text = await store.get(key);
  if (text === null) return { status: 'missing' };
  let m: Partial<StateManifest>;
  try {
    m = JSON.parse(text) as Partial<StateManifest>;
  } catch {
    return { status: 'unusable', legacy: false };
  }
  if (typeof m !== 'object' || m === null || typeof m.shape !== 'string') return { status: 'unusable', legacy: false };
  if (typeof m.build !== 'string') return { status: 'unusable', legacy: m.build === undefined };
  // A build id outside the pattern would name a folder outside the state's own: never read it.
  if (!STATE_BUILD_ID.test(m.build)) return { status: 'unusable', legacy: false };
  return { status: 'ok', manifest: { rows: null, ...m } as StateManifest };
}

/** A usable manifest, or null when it is missing or unusable (either way: the state is rebuilt). */
export async function readManifest(store: ResultStore, key: string): Promise<StateManifest | null> {
  const read = await readManifestEntry(store, key);
  return read.status === 'ok' ? read.manifest : null;
}

/**
 * Why the build `manifest` names for `kind`/`day` does not match what the manifest recorded, as a
 * clause for messages (`… has 812 bytes, its manifest says 1045`), or undefined when every file is
 * there as written and nothing else is in the build's folder.
 */
export async function stateProblem(store: ResultStore, kind: StateKind, day: string, manifest: StateManifest): Promise<string | undefined> {
  const files = manifest.files;
  if (files === undefined) return 'its manifest records no files (written before state was verified)';
  const listed = await store.listObjects(stateBuildFolder(kind, day, manifest.build));
  const found = new Map(listed.map((o) => [o.key, o]));
  for (const f of files) {
    const o = found.get(f.key);
    if (o === undefined) return `${f.key} is missing`;
    if (o.size !== f.size) return `${f.key} has ${o.size} bytes, its manifest says ${f.size}`;
    if (o.etag !== f.etag) return `${f.key} is not the file its build wrote (checksum ${o.etag}, manifest ${f.etag})`;
  }
  const expected = new Set(files.map((f) => f.key));
  const extra = listed.find((o) => !expected.has(o.key));
  return extra ? `${extra.key} was not written by its build` : undefined;
}
