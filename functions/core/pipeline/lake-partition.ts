/**
 * What night D's own partition looked like: with events, empty (in the lake, no events: empty
 * files, or only markers such as Spark's `_SUCCESS`) or missing. Both of the last two make the
 * night `data_incomplete`; they are told apart so the alert and report send the reader to the
 * right place (a loader that wrote nothing versus one that never ran).
 */
import type { QueryEngine } from '../engine';
import type { RunWarning } from '../results/rows';

export type LakePartitionState = 'present' | 'empty' | 'missing';

/**
 * The state of D's partition from the night's event count, asking the engine about the lake only
 * when there are no events. An engine that cannot list the lake (null) leaves the partition
 * `missing`, as before the distinction existed; so does a listing that fails, with a warning: the
 * wording is not worth failing a night whose data_incomplete alert must still go out. The warning
 * goes to `warn` as a `RunWarning`, so it reaches run.json, the report and the log like the others.
 */
export async function lakePartitionState(
  engine: QueryEngine,
  dt: string,
  dayEvents: number,
  warn: (warning: RunWarning) => void,
): Promise<LakePartitionState> {
  if (dayEvents > 0) return 'present';
  try {
    return (await engine.hasLakePartition(dt)) === true ? 'empty' : 'missing';
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    warn({
      code: 'partition_unknown',
      message: `cannot tell whether the partition is empty or missing (reported as missing): ${reason}`,
      dt,
      key: null,
    });
    return 'missing';
  }
}
