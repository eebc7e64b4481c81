/**
 * A backfill (or a first night) as a sequence of bounded steps, for the Step Functions state
 * machine (infra/backfill-machine.ts) to run one Lambda invocation each, oldest first:
 *
 * 1. state steps: the rollups the first night will read, a batch at a time, then the first-entry
 *    snapshot chain of the first night, one lake chunk (at most `lake.max_days_per_query`
 *    partitions) per step — all but its last chunk, which the night itself builds;
 * 2. nights: every night of the range still to run, oldest first, each its own invocation.
 *
 * The plan is made from what the results location holds: state whose manifest is current is not
 * planned again, and nights whose run.json says `succeeded` are skipped (unless `rerun`). So a
 * failed execution is resumed by starting another with the same input: it plans only what is left.
 */
import { mapLimit } from '../concurrency';
import type { NsmConfig } from '../config/types';
import { addDays, dayRange, daysBetween, parseIsoDay } from '../dates';
import { InputError } from '../errors';
import { runKey, stateManifestKey } from '../results/layout';
import type { RunRecord } from '../results/rows';
import type { ResultStore } from '../results/store';
import { manifestText } from '../state/manifest';
import { type EntriesBuild, LOOKBACK_DAYS, type PlanLimits, planNightState } from '../state/state-plan';
import { entriesShape, rollupShape } from '../state/state-shape';

/**
 * Rollups one state step builds. Each reads one partition; four run side by side, so a step is
 * seven rounds of one-partition UNLOADs: minutes on Athena, well inside Lambda's 15.
 */
export const ROLLUPS_PER_STEP = 28;

/**
 * Nights one execution may run. A Standard execution keeps at most 25,000 history events, and
 * each night costs about 7 (the Map iteration and its Lambda task) plus its retries: 2,000 nights
 * (five and a half years) stay well inside, with the payload of dates far below 256 KB.
 */
export const MAX_NIGHTS_PER_EXECUTION = 2_000;

/** What a state machine execution is started with. */
export interface BackfillInput {
  readonly from: string;
  readonly to: string;
  /** Run nights whose run.json already says `succeeded` again (after a config change, say). */
  readonly rerun: boolean;
}

/** One bounded step that builds state, run by its own Lambda invocation. */
export type StateStep =
  | { readonly step: 'rollups'; readonly night: string; readonly days: readonly string[] }
  | { readonly step: 'entries'; readonly night: string; readonly build: EntriesBuild };

/** What the state machine runs, in order: `state`, then `nights`. */
export interface BackfillPlan {
  readonly from: string;
  readonly to: string;
  readonly state: readonly StateStep[];
  /** Nights to run, oldest first. */
  readonly nights: readonly string[];
  /** The night whose alerts are sent (the range's newest, as in `runNights`); null when it is not run. */
  readonly alerts_for: string | null;
  /** Nights of the range skipped because they already succeeded. */
  readonly skipped: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The execution input `{"from":"YYYY-MM-DD","to":"YYYY-MM-DD"[,"rerun":true]}`, checked.
 * @throws InputError with a one-line message naming the field
 */
export function parseBackfillInput(input: unknown): BackfillInput {
  if (!isObject(input))
    throw new InputError(`backfill input: expected {"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}, got ${JSON.stringify(input)}`);
  const unknown = Object.keys(input).filter((k) => !['from', 'to', 'rerun'].includes(k));
  if (unknown.length)
    throw new InputError(`backfill input: unknown field ${unknown.join(', ')} (expected "from", "to" and optionally "rerun")`);
  if (input.from === undefined || input.to === undefined) throw new InputError('backfill input: "from" and "to" are both required');
  const from = parseIsoDay(String(input.from), 'backfill input.from');
  const to = parseIsoDay(String(input.to), 'backfill input.to');
  if (from > to) throw new InputError(`backfill input: from ${from} is after to ${to}`);
  const count = daysBetween(from, to) + 1;
  if (count > MAX_NIGHTS_PER_EXECUTION) {
    throw new InputError(
      `backfill input: ${from}..${to} is ${count} nights; one execution runs at most ${MAX_NIGHTS_PER_EXECUTION} — start one execution per part, oldest first`,
    );
  }
  if (input.rerun !== undefined && typeof input.rerun !== 'boolean') throw new InputError('backfill input.rerun: expected true or false');
  return { from, to, rerun: input.rerun === true };
}

/**
 * Plans a backfill of `input.from` … `input.to` from what `store` holds (see the module comment).
 * @throws InputError when the first night's snapshot must be read from the lake's start and none is known
 */
export async function planBackfill(config: NsmConfig, input: BackfillInput, store: ResultStore, limits: PlanLimits): Promise<BackfillPlan> {
  const range = dayRange(input.from, input.to);
  const done = input.rerun ? range.map(() => false) : await mapLimit(range, 16, (dt) => succeeded(store, dt));
  const nights = range.filter((_, i) => !done[i]);
  const newest = range[range.length - 1]!;
  const base = {
    from: input.from,
    to: input.to,
    nights,
    alerts_for: nights.includes(newest) ? newest : null,
    skipped: range.length - nights.length,
  };
  const first = nights[0];
  if (first === undefined) return { ...base, state: [] };

  const plan = await planNightState(config, first, store, limits);
  // The chain's last snapshot is night `first`'s own: the night builds it (or, when the chunk
  // before is recent enough, folds it from rollups), so the steps stop one chunk short.
  const chain = plan.entries.filter((e) => e.source === 'lake').slice(0, -1);
  // The night's own plan once the steps are done: the planner's decision over a store that also
  // holds what the steps will have built, so the steps build every rollup the night would.
  const after = await planNightState(config, first, withPlannedState(config, store, plan.rollups, chain), limits);
  // Rollups within the lookback window are rebuilt by every night anyway.
  const fresh = addDays(first, -LOOKBACK_DAYS);
  const rollups = [...new Set([...plan.rollups, ...after.rollups])].filter((d) => d < fresh).sort();
  const state: StateStep[] = [];
  for (let i = 0; i < rollups.length; i += ROLLUPS_PER_STEP) {
    state.push({ step: 'rollups', night: first, days: rollups.slice(i, i + ROLLUPS_PER_STEP) });
  }
  for (const build of chain) state.push({ step: 'entries', night: first, build });
  return { ...base, state };
}

async function succeeded(store: ResultStore, dt: string): Promise<boolean> {
  const text = await store.get(runKey(dt));
  if (text === null) return false;
  try {
    return (JSON.parse(text) as Partial<RunRecord>).status === 'succeeded';
  } catch {
    return false;
  }
}

/**
 * `store` as the planner would read it once the rollups of `rollupDays` and the snapshots of
 * `chain` are built: their manifests are answered (build `planned`), everything else is `store`'s.
 * Read-only: the planner writes nothing.
 */
function withPlannedState(
  config: NsmConfig,
  store: ResultStore,
  rollupDays: readonly string[],
  chain: readonly EntriesBuild[],
): ResultStore {
  const planned = new Map<string, string>();
  const manifest = (dt: string, shape: string) => manifestText({ dt, shape, build: 'planned', built_at: '', built_by: '', rows: null });
  for (const day of rollupDays) planned.set(stateManifestKey('daily', day), manifest(day, rollupShape(config)));
  const entryEvent = config.candidates?.cohort.entry_event;
  if (entryEvent)
    for (const b of chain) planned.set(stateManifestKey('entries', b.night), manifest(b.night, entriesShape(config, entryEvent)));
  const readOnly = async () => {
    throw new Error('the backfill planner writes nothing');
  };
  return {
    location: store.location,
    put: readOnly,
    putIfAbsent: readOnly,
    deletePrefix: readOnly,
    uriFor: (key) => store.uriFor(key),
    get: async (key) => planned.get(key) ?? store.get(key),
    listObjects: (prefix) => store.listObjects(prefix),
    list: async (prefix) =>
      [...new Set([...(await store.list(prefix)), ...[...planned.keys()].filter((k) => k.startsWith(prefix))])].sort(),
  };
}
