/**
 * Brings the incremental state (docs/design.md §5) up to date for night D before its queries run, so
 * that a night reads its own partition plus compact state instead of re-reading history: what to
 * build is `planNightState`'s decision (state-plan.ts), how it is built `StateBuilder`'s
 * (build-state.ts). Old first-entry snapshots are pruned afterwards.
 */
import type { NsmConfig } from '../config/types';
import type { QueryStats } from '../engine';
import type { RunWarning } from '../results/rows';
import type { ResultStore } from '../results/store';
import { StateBuilder, type StateDeps } from './build-state';
import { pruneSnapshots } from './prune-snapshots';
import { type NightStatePlan, type PlanLimits, planNightState } from './state-plan';

/** What the night's queries read, once the state is ready. */
export interface NightState {
  /** A relation over the rollups of `days` (each built or current). */
  rollups(days: readonly string[]): string;
  /** A relation over the first-entry snapshot of D, or null without candidates. */
  readonly entries: string | null;
  /** The materializations this night ran, for run.json. */
  readonly stats: QueryStats[];
  /** Pieces that did not match their manifests and were rebuilt (or not used), for run.json. */
  readonly repairs: readonly RunWarning[];
}

/** The lake limits of a config and an engine: where history starts, how many days one query reads. */
export function planLimits(config: NsmConfig, engineFirstDay: string | null | undefined): PlanLimits {
  // An engine that lists the lake knows its real first day; Athena has lake.first_day, where its
  // partition projection starts (it reads no earlier day).
  return { lakeStart: engineFirstDay ?? config.lake.first_day ?? null, maxDays: config.lake.max_days_per_query };
}

/**
 * Plans and builds night `dt`'s state, then prunes old snapshots (failures there only warn).
 * @param stats receives each materialization's stats as it finishes
 */
export async function prepareNightState(
  config: NsmConfig,
  dt: string,
  deps: StateDeps,
  limits: PlanLimits,
  stats: QueryStats[] = [],
): Promise<NightState> {
  const plan = await planNightState(config, dt, deps.store, limits);
  return buildNightState(config, plan, deps, stats);
}

/** Builds what `plan` names, in order: the rollups side by side, then the snapshot chain. */
export async function buildNightState(
  config: NsmConfig,
  plan: NightStatePlan,
  deps: StateDeps,
  stats: QueryStats[] = [],
): Promise<NightState> {
  const builder = new StateBuilder(config, plan.dt, deps, plan.current, stats);
  await builder.rollups(plan.rollups);
  for (const build of plan.entries) await builder.entries(build);
  const entries = plan.entries.length > 0 ? builder.relation('entries', [plan.dt]) : null;
  if (entries !== null) await prune(deps.store, plan.dt, deps);
  return { rollups: (days) => builder.relation('daily', days), entries, stats: builder.stats, repairs: plan.repairs };
}

/**
 * Housekeeping, not the night's result: a failure here leaves old snapshots for the next night's
 * pruning to find again, and must not fail a night whose state is complete.
 */
async function prune(store: ResultStore, dt: string, deps: StateDeps): Promise<void> {
  await pruneSnapshots(store, dt, deps.now).catch((err: unknown) =>
    deps.warn(`${dt}  old first-entry snapshots not pruned (the next night tries again): ${(err as Error).message ?? String(err)}`),
  );
}
