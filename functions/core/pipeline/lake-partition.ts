/**
 * What night D's own partition looked like: with events, empty (in the lake, no events: empty
 * files, or only markers such as Spark's `_SUCCESS`) or missing. Both of the last two make the
 * night `data_incomplete`; they are told apart so the alert and report send the reader to the
 * right place (a loader that wrote nothing versus one that never ran).
 */
import type { QueryEngine } from '../engine';

export type LakePartitionState = 'present' | 'empty' | 'missing';

/**
 * The state of D's partition from the night's event count, asking the engine about the lake only
 * when there are no events. An engine that cannot list the lake (null) leaves the partition
 * `missing`, as before the distinction existed.
 */
export async function lakePartitionState(engine: QueryEngine, dt: string, dayEvents: number): Promise<LakePartitionState> {
  if (dayEvents > 0) return 'present';
  return (await engine.hasLakePartition(dt)) === true ? 'empty' : 'missing';
}
