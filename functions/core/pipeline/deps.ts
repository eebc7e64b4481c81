/** What the nightly pipeline needs from the outside world: the three ports, a clock and two log sinks. */
import type { Notifier } from '../alerts/notifier';
import type { QueryEngine } from '../engine';
import type { LeaseSettings } from '../lease/run-lease';
import type { ResultStore } from '../results/store';
import type { StateDeps } from '../state/build-state';

export interface PipelineDeps {
  readonly engine: QueryEngine;
  readonly store: ResultStore;
  readonly notifier: Notifier;
  /** One human-readable progress line (the CLI prints it; the Lambda logs it). */
  readonly log: (line: string) => void;
  /**
   * A failure that does not fail the night, such as housekeeping (old snapshots not pruned): said
   * out loud so that it is seen, never dropped. The CLI prints it on standard error; the Lambda logs a warning.
   */
  readonly warn: (line: string) => void;
  /** The clock: run.json's times, the report's `generated_at`, the state manifests, the run lease. */
  readonly now: () => Date;
  /** How runs take the results location's lease: who this run is, how long it waits (core/lease/run-lease.ts). */
  readonly lease?: LeaseSettings;
}

/** What building state needs of `deps`, or null when the engine keeps no state (it reads the lake). */
export function stateDepsOf(deps: PipelineDeps, signal: AbortSignal | undefined): StateDeps | null {
  const { engine } = deps;
  if (!engine.state) return null;
  return {
    state: engine.state,
    dialect: engine.dialect,
    store: deps.store,
    now: deps.now,
    warn: deps.warn,
    ...(signal ? { signal } : {}),
  };
}
