/**
 * One bounded step of a backfill as the state machine (infra/backfill-machine.ts) asks for it,
 * other than a night: the plan (backfill-plan.ts) or one state step (backfill-step.ts). A night
 * step runs as a night (run-nights.ts), so it is not here.
 */
import type { NsmConfig } from '../config/types';
import { planLimits } from '../state/night-state';
import { type BackfillPlan, parseBackfillInput, planBackfill, type StateStep } from './backfill-plan';
import { runStateStep, type StateStepOutcome } from './backfill-step';
import type { PipelineDeps } from './deps';

/** A backfill step that is not a night: the plan (its input still unchecked) or one state step. */
export type BackfillWorkStep = { readonly step: 'plan'; readonly input: unknown } | StateStep;

/** What a backfill step returns to Step Functions: the plan, or what a state step built. */
export type BackfillStepResult = BackfillPlan | StateStepOutcome;

/**
 * Runs `step`: plans the backfill (bounded by the lake's first day, when the engine knows it) or
 * builds one state step under the run lease, named `runId`, stopping at `signal`.
 * @throws InputError when the plan's input is not a backfill range
 * @throws LeaseHeldError when another run keeps the lease beyond the wait (see runStateStep)
 */
export async function runBackfillStep(
  config: NsmConfig,
  step: BackfillWorkStep,
  deps: PipelineDeps,
  runId: string,
  signal: AbortSignal | undefined,
): Promise<BackfillStepResult> {
  if (step.step === 'plan') {
    const limits = planLimits(config, deps.engine.firstLakeDay?.());
    return planBackfill(config, parseBackfillInput(step.input), deps.store, limits);
  }
  return runStateStep(config, step, deps, { runId, ...(signal ? { signal } : {}) });
}
