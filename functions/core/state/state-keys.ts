/**
 * Keys of the incremental state (issue 9) inside the results store. Not part of the public results
 * contract: the state is rebuilt from the lake whenever it is missing, stale, or of another shape.
 *
 *   state/daily/dt=D/rollup.parquet      one row per (user, account, event) of day D: n, property sums
 *   state/daily/dt=D/_manifest.json      written after the rollup: its shape and when it was built
 *   state/entries/dt=D/entries.parquet   every user's first entry day, for entry days up to D
 *   state/entries/dt=D/_manifest.json
 */
export const rollupKey = (dt: string) => `state/daily/dt=${dt}/rollup.parquet`;
export const rollupManifestKey = (dt: string) => `state/daily/dt=${dt}/_manifest.json`;
export const entriesKey = (dt: string) => `state/entries/dt=${dt}/entries.parquet`;
export const entriesManifestKey = (dt: string) => `state/entries/dt=${dt}/_manifest.json`;

/** What a manifest records; a rollup of another `shape` (the config changed) is rebuilt. */
export interface StateManifest {
  readonly dt: string;
  readonly shape: string;
  readonly built_at: string;
  /** The night whose run built it. */
  readonly built_by: string;
}
