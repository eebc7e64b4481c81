/**
 * The queries a night runs with incremental state, for `nsm sql` to print, in the order it runs them:
 *
 * - `steady`: every earlier rollup and last-but-one night's snapshot already in place;
 * - `first-night`: nothing built yet (an empty results location): every rollup the night reads, the
 *   first-entry snapshot as a chain of lake chunks of at most `lake.max_days_per_query` days, then
 *   the night's queries.
 *
 * Both drive the real planner and builder (`planNightState`, `buildNightState`) against a store
 * that answers for the state that situation has, and an engine capability that prints instead of
 * running, so what is printed is what the code does, not a second description of it. Build ids in
 * the printed SQL are the placeholder `plan`: a run draws a fresh one for every build.
 */
import type { NsmConfig } from '../config/types';
import { addDays } from '../dates';
import type { Query, StateCapability } from '../engine';
import { InputError } from '../errors';
import { planNightFromState } from '../pipeline/plan-night';
import { manifestDay } from '../results/layout';
import type { ResultStore } from '../results/store';
import type { Dialect } from '../sql/dialect';
import { manifestText } from './manifest';
import { buildNightState } from './night-state';
import { LOOKBACK_DAYS, type PlanLimits, planNightState } from './state-plan';
import { entriesShape, rollupShape } from './state-shape';

/** Which situation a printed plan is for. */
export type PrintedPlan = 'steady' | 'first-night';

/** The build id printed plans use. */
export const PLANNED_BUILD = 'plan';

/**
 * @param dialect a dialect with state SQL (`dialectFor` gives one where the engine keeps state)
 * @param limits where the lake starts (a first night reads it from there) and `lake.max_days_per_query`
 */
export async function printedStatePlan(
  config: NsmConfig,
  dialect: Dialect,
  dt: string,
  which: PrintedPlan,
  limits: PlanLimits,
): Promise<Query[]> {
  const sql = dialect.state;
  if (!sql) throw new InputError(`${config.source}: the ${dialect.name} engine keeps no state for ${config.results.location}`);
  const printed: Query[] = [];
  const dry: StateCapability = {
    sql,
    materialize: async (query, kind, day) => {
      printed.push({ name: query.name, sql: sql.materialize(query.sql, kind, day, PLANNED_BUILD), ...lakeDaysOf(query) });
      const stats = { name: query.name, query_id: null, ms: 0, bytes_scanned: null, rows: 0 };
      return { stats, rowsWritten: null, build: PLANNED_BUILD };
    },
  };
  const store = which === 'steady' ? steadyStore(config, dt) : emptyStore();
  const deps = { state: dry, dialect, store, now: () => new Date(0), warn: () => undefined };
  const plan = await planNightState(config, dt, store, limits);
  const prepared = await buildNightState(config, plan, deps);
  return [...printed, ...planNightFromState(config, dialect, dt, prepared)];
}

const lakeDaysOf = (query: Query) => (query.lakeDays ? { lakeDays: query.lakeDays } : {});

/** A results location with nothing in it; writes are dropped. */
function emptyStore(): ResultStore {
  return {
    location: '<first night>',
    put: async () => undefined,
    putIfAbsent: async () => true,
    list: async () => [],
    listObjects: async () => [],
    deletePrefix: async () => undefined,
    uriFor: (key) => key,
    get: async () => null,
  };
}

/** Manifests of the current shape (with no files, all present) for every day before the lookback window; writes are dropped. */
function steadyStore(config: NsmConfig, dt: string): ResultStore {
  const firstRebuilt = addDays(dt, -LOOKBACK_DAYS);
  const shapes = { daily: rollupShape(config), entries: entriesShape(config, config.candidates?.cohort.entry_event ?? '') };
  return {
    ...emptyStore(),
    location: '<steady state>',
    get: async (key) => {
      for (const kind of ['daily', 'entries'] as const) {
        const day = manifestDay(kind, key);
        if (day !== undefined && day < firstRebuilt) {
          return manifestText({ dt: day, shape: shapes[kind], build: PLANNED_BUILD, built_at: '', built_by: day, rows: null, files: [] });
        }
      }
      return null;
    },
  };
}
