/**
 * Runs one state step of a backfill (backfill-plan.ts): a batch of rollups, or one chunk of the
 * first-entry snapshot chain. Each build is race-free like a night's (build-state.ts), so a step
 * retried after a failure, a deadline or a lost response simply builds again; what earlier steps
 * built is found through the manifests, never through memory of this process.
 */
import type { NsmConfig } from '../config/types';
import type { QueryStats } from '../engine';
import { NsmError } from '../errors';
import { stateManifestKey } from '../results/layout';
import { StateBuilder } from '../state/build-state';
import { readManifest } from '../state/manifest';
import { buildKey } from '../state/state-plan';
import { entriesShape } from '../state/state-shape';
import type { StateStep } from './backfill-plan';
import { type PipelineDeps, stateDepsOf } from './deps';
import { newRunId, underRunLease } from './under-run-lease';

/** What a state step ran (the Lambda returns it; Step Functions shows it in the execution's history). */
export interface StateStepOutcome {
  readonly step: StateStep['step'];
  readonly night: string;
  readonly queries: readonly QueryStats[];
}

export interface StateStepOptions {
  /** Names the run in the lease's record (the Lambda's request id). */
  readonly runId?: string;
  /** The invocation's deadline. */
  readonly signal?: AbortSignal;
}

/**
 * Builds what `step` names, under the results location's run lease (under-run-lease.ts): a step
 * writes state and manifests and deletes the builds its manifests replace, so it must not run
 * beside a nightly run or a CLI backfill on the same results (one writer at a time: docs/operations.md,
 * "One run at a time: the run lease").
 * @throws LeaseHeldError when another run keeps the lease beyond the wait (nothing was built)
 * @throws NsmError when the engine keeps no state, or the snapshot a chunk folds into is gone
 */
export async function runStateStep(
  config: NsmConfig,
  step: StateStep,
  deps: PipelineDeps,
  options: StateStepOptions = {},
): Promise<StateStepOutcome> {
  return underRunLease(deps, options.runId ?? newRunId(deps.now()), (leased) => buildStep(config, step, leased, options.signal));
}

async function buildStep(
  config: NsmConfig,
  step: StateStep,
  deps: PipelineDeps,
  signal: AbortSignal | undefined,
): Promise<StateStepOutcome> {
  const stateDeps = stateDepsOf(deps, signal);
  if (!stateDeps) throw new NsmError(`backfill step ${step.step}: the ${deps.engine.name} engine keeps no state`);
  const current = new Map<string, string>();
  if (step.step === 'entries' && step.build.base !== null) {
    const entryEvent = config.candidates?.cohort.entry_event ?? '';
    const base = await readManifest(deps.store, stateManifestKey('entries', step.build.base));
    if (base === null || base.shape !== entriesShape(config, entryEvent)) {
      throw new NsmError(
        `backfill step entries ${step.build.night}: the snapshot of ${step.build.base} it folds into is missing or of another config; start the execution again (it plans from what is built)`,
      );
    }
    current.set(buildKey('entries', step.build.base), base.build);
  }
  const builder = new StateBuilder(config, step.night, stateDeps, current);
  if (step.step === 'rollups') await builder.rollups(step.days);
  else await builder.entries(step.build);
  return { step: step.step, night: step.night, queries: builder.stats };
}
