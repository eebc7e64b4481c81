/**
 * Where the incremental state (issue 9) lives inside the results store. Not part of the public
 * results contract: the state is rebuilt from the lake whenever it is missing, stale, or of another
 * shape, so deleting `state/` is always safe (the next night pays one full read of the entry history).
 *
 *   state/daily/dt=D/…                  day D's rollup: one row per (user, account, event), n, property sums
 *   state/entries/dt=D/…                every user's first entry day, for entry days up to D
 *   state/manifests/<kind>/dt=D.json    written after the data: its shape and when it was built
 *
 * A data folder holds Parquet only (DuckDB writes `data.parquet`, Athena's UNLOAD its own file
 * names), so a Glue table over `state/<kind>/` reads nothing else; manifests live apart.
 */

/** The two kinds of state. */
export type StateKind = 'daily' | 'entries';

/** The folder (with a trailing `/`) holding the state of `kind` for day `dt`. */
export const stateFolderKey = (kind: StateKind, dt: string) => `state/${kind}/dt=${dt}/`;

/** The manifest of the state of `kind` for day `dt`. */
export const stateManifestKey = (kind: StateKind, dt: string) => `state/manifests/${kind}/dt=${dt}.json`;

/** The day of a manifest key of `kind`, or undefined for another key. */
export function manifestDay(kind: StateKind, key: string): string | undefined {
  return new RegExp(`^state/manifests/${kind}/dt=(\\d{4}-\\d{2}-\\d{2})\\.json$`).exec(key)?.[1];
}

/** What a manifest records; state of another `shape` (the config changed) is rebuilt. */
export interface StateManifest {
  readonly dt: string;
  readonly shape: string;
  readonly built_at: string;
  /** The night whose run built it. */
  readonly built_by: string;
  /** Rows written, where the engine says (null on Athena). */
  readonly rows: number | null;
}
