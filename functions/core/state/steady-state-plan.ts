/**
 * The queries a steady night runs with incremental state — every earlier rollup and last-but-one
 * night's snapshot already in place — for `nsm sql` to print. It drives the real
 * `prepareNightState` against a store that answers "built, current shape" for every manifest
 * older than the lookback, so what is printed is what the code does, not a second description of it.
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
import { LOOKBACK_DAYS, prepareNightState } from './night-state';
import { entriesShape, rollupShape } from './state-shape';

/** @param dialect a dialect with state SQL (`dialectFor` gives one where the engine keeps state) */
export async function steadyStatePlan(config: NsmConfig, dialect: Dialect, dt: string): Promise<Query[]> {
  const sql = dialect.state;
  if (!sql) throw new InputError(`${config.source}: the ${dialect.name} engine keeps no state for ${config.results.location}`);
  const printed: Query[] = [];
  const dry: StateCapability = {
    sql,
    materialize: async (query, kind, day) => {
      printed.push({ name: query.name, sql: sql.materialize(query.sql, kind, day) });
      return { stats: { name: query.name, query_id: null, ms: 0, bytes_scanned: null, rows: 0 }, rowsWritten: null };
    },
  };
  const deps = { state: dry, dialect, store: steadyStore(config, dt), now: () => new Date(0), warn: () => undefined };
  const prepared = await prepareNightState(config, dt, deps);
  return [...printed, ...planNightFromState(config, dialect, dt, prepared)];
}

/** Manifests of the current shape for every day before the lookback window; writes are dropped. */
function steadyStore(config: NsmConfig, dt: string): ResultStore {
  const firstRebuilt = addDays(dt, -LOOKBACK_DAYS);
  const shapes = { daily: rollupShape(config), entries: entriesShape(config, config.candidates?.cohort.entry_event ?? '') };
  return {
    location: '<steady state>',
    put: async () => undefined,
    putIfAbsent: async () => true,
    list: async () => [],
    listObjects: async () => [],
    deletePrefix: async () => undefined,
    uriFor: (key) => key,
    get: async (key) => {
      for (const kind of ['daily', 'entries'] as const) {
        const day = manifestDay(kind, key);
        if (day !== undefined && day < firstRebuilt) {
          return manifestText({ dt: day, shape: shapes[kind], built_at: '', built_by: day, rows: null });
        }
      }
      return null;
    },
  };
}
