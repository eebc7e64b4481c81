/**
 * The manifest beside each piece of incremental state (`state/manifests/<kind>/dt=D.json`, see
 * results/layout.ts): written as `building` before the state is rewritten and with the state's
 * shape after, so a crash or a failed write leaves a day that the next night rebuilds.
 */
import type { ResultStore } from '../results/store';

/** What a manifest records; state of another `shape` (the config changed) is rebuilt. */
export interface StateManifest {
  readonly dt: string;
  /** The state's shape (`state-shape.ts`), or `building` / `pruning` while it is being written or deleted. */
  readonly shape: string;
  readonly built_at: string;
  /** The night whose run built it. */
  readonly built_by: string;
  /** Rows written, where the engine says (null on Athena). */
  readonly rows: number | null;
}

/** The manifest text of `manifest`. */
export const manifestText = (manifest: StateManifest) => `${JSON.stringify(manifest)}\n`;

/** A manifest, or null when it is missing or unreadable (either way: the state is rebuilt). */
export async function readManifest(store: ResultStore, key: string): Promise<StateManifest | null> {
  const text = await store.get(key);
  if (text === null) return null;
  try {
    const m = JSON.parse(text) as Partial<StateManifest>;
    return typeof m.shape === 'string' ? ({ rows: null, ...m } as StateManifest) : null;
  } catch {
    return null;
  }
}
