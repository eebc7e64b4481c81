/**
 * What a night checks of the lake before it builds anything (the configured columns and event names):
 *
 * - every configured column exists, with a type the queries can use — else a ConfigError (exit 2)
 *   naming the field (`lake.columns.user`, `metrics[3].property`) and the config file;
 * - every configured event name was seen in the lake in the last 28 days — else a warning naming
 *   the field and the closest name the lake has (`'Message posted' not seen in the last 28 days;
 *   did you mean 'Message Posted'?`), because a typo would otherwise be a silent 0 for ever.
 *
 * Cheap on a steady night: the column types come from metadata (a Parquet footer, the Glue table),
 * the event names from the night's own partition (its event column only, on Parquet and Athena);
 * only a configured name that the night lacks costs a look at the 27 days before it.
 */
import { closest } from '../config/messages';
import type { NsmConfig } from '../config/types';
import { addDays } from '../dates';
import type { Query, QueryEngine, QueryStats, Row } from '../engine';
import { ConfigError } from '../errors';
import type { RunWarning } from '../results/rows';
import { LAKE_COLUMNS_QUERY, lakeColumnsQuery, lakeEventsQuery, presentColumn } from '../sql/lake-inspection';

/** Days an event name may go unseen before it is reported. */
export const EVENT_LOOKBACK_DAYS = 28;

/** A lake column and its type, as the engine names it. */
export interface LakeColumn {
  readonly name: string;
  readonly type: string;
}

/** One configured column: the field that names it, the column, and what its values must be. */
interface ColumnUse {
  readonly field: string;
  readonly column: string;
  readonly need: 'id' | 'text' | 'number' | 'scalar';
  /** A sum property: the events whose rows must carry it (undefined: every event). */
  readonly events?: readonly string[] | undefined;
}

/** Every lake column the config names, with the field that names it. */
export function configuredColumns(
  config: Pick<NsmConfig, 'lake' | 'metrics'> & { readonly segments?: NsmConfig['segments'] },
): ColumnUse[] {
  const c = config.lake.columns;
  const uses: ColumnUse[] = [
    { field: 'lake.columns.user', column: c.user, need: 'id' },
    ...(c.account ? [{ field: 'lake.columns.account', column: c.account, need: 'id' } as const] : []),
    { field: 'lake.columns.event', column: c.event, need: 'text' },
    ...(c.time ? [{ field: 'lake.columns.time', column: c.time, need: 'scalar' } as const] : []),
  ];
  config.metrics.forEach((m, i) => {
    if (m.type === 'sum') uses.push({ field: `metrics[${i}].property`, column: m.property, need: 'number', events: m.events });
  });
  config.segments?.dimensions.forEach((column, i) => {
    uses.push({ field: `segments.dimensions[${i}]`, column, need: 'scalar' });
  });
  return uses;
}

/** One configured event name and the field that holds it. */
export interface EventUse {
  readonly field: string;
  readonly event: string;
}

/** Every event name the config names: metrics' events, the candidates' entry event and actions. */
export function configuredEvents(config: Pick<NsmConfig, 'metrics' | 'candidates'>): EventUse[] {
  const uses: EventUse[] = config.metrics.flatMap((m, i) =>
    m.type === 'ratio' ? [] : (m.events ?? []).map((event, j) => ({ field: `metrics[${i}].events[${j}]`, event })),
  );
  const candidates = config.candidates;
  if (candidates) {
    uses.push({ field: 'candidates.cohort.entry_event', event: candidates.cohort.entry_event });
    uses.push(...candidates.actions.map((a, k) => ({ field: `candidates.actions[${k}].event`, event: a.event })));
  }
  return uses;
}

const COMPOSITE = /^(STRUCT|MAP|ROW|ARRAY|LIST|UNION)\b|\[\d*\]$/i;
const TEXT = /^(VARCHAR|STRING|CHAR|TEXT|ENUM)\b/i;
const NUMBER =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL|NUMERIC|REAL|FLOAT|DOUBLE)\b/i;
// Floats pass: pandas writes nullable integer ids as DOUBLE, and DISTINCT counts them alike.
const NOT_AN_ID = /^(BOOLEAN|BLOB|VARBINARY|BINARY|DATE|TIME|TIMESTAMP|INTERVAL)\b/i;

/** Why `type` does not suit `need`, or null when it does. */
function unusable(type: string, need: ColumnUse['need']): string | null {
  if (COMPOSITE.test(type)) return `is ${type}, not a single value`;
  if (need === 'text' && !TEXT.test(type)) return `is ${type}; event names must be text`;
  if (need === 'number' && !NUMBER.test(type) && !TEXT.test(type)) return `is ${type}; a summed property must be a number`;
  if (need === 'id' && NOT_AN_ID.test(type)) return `is ${type}; an id must be text or a number`;
  return null;
}

/**
 * The first configured column the lake lacks or cannot use, as a ConfigError (`columns` from the
 * engine's schema). Names compare case-insensitively, as both engines resolve identifiers.
 */
export function checkColumnTypes(
  config: Pick<NsmConfig, 'lake' | 'metrics' | 'source' | 'segments'>,
  columns: readonly LakeColumn[],
): void {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  for (const use of configuredColumns(config)) {
    const found = byName.get(use.column.toLowerCase());
    if (!found) {
      const names = columns.map((c) => c.name).filter((n) => n !== config.lake.partition);
      const match = closest(use.column, names);
      const listed = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
      throw new ConfigError(
        config.source,
        use.field,
        `column '${use.column}' is not in the lake${match ? ` (did you mean '${match}'?)` : ''}; its columns: ${listed}`,
      );
    }
    const problem = unusable(found.type, use.need);
    if (problem) throw new ConfigError(config.source, use.field, `column '${found.name}' ${problem}`);
  }
}

/** One event name of the lake over some days. */
export interface LakeEventName {
  readonly event: string;
  readonly count: number;
  readonly first: string;
  readonly last: string;
}

/** A configured column that no event of a night has (JSON, Athena), with what the night read. */
interface AbsentColumn {
  readonly use: ColumnUse;
  /** Its index among {@link configuredColumns} (the events query's `nsm_has_<i>`). */
  readonly index: number;
  /** The events of the night it was looked for in. */
  readonly events: number;
}

/** The configured columns that none of `rows`' events has (for a sum property: none of its metric's events). */
function absentColumns(config: Pick<NsmConfig, 'lake' | 'metrics' | 'segments'>, rows: readonly Row[]): AbsentColumn[] {
  return configuredColumns(config).flatMap((use, index) => {
    const scoped = use.events ? rows.filter((r) => use.events?.includes(String(r.nsm_event))) : rows;
    const events = scoped.reduce((n, r) => n + Number(r.nsm_n ?? 0), 0);
    const present = scoped.reduce((n, r) => n + Number(r[presentColumn(index)] ?? 0), 0);
    return events > 0 && present === 0 ? [{ use, index, events }] : [];
  });
}

/** `lake.columns.account: no event of dt=… has 'account_id' (N events read)`. */
function absentMessage(config: Pick<NsmConfig, 'lake'>, dt: string, a: AbsentColumn): string {
  const which = a.use.events ? `of its metric's events (${a.use.events.join(', ')}) ` : '';
  return `no event ${which}of ${config.lake.partition}=${dt} has '${a.use.column}' (${a.events} events read)`;
}

/**
 * A JSON lake's columns are the keys its events have: a configured column that no event of the
 * night has (or, for a sum property, none of its metric's events) is missing. `rows` come from the
 * events query over the night with `configuredColumns` as its present columns. A night without
 * events proves nothing and passes.
 * @throws ConfigError for the first such column
 */
export function checkColumnsPresent(
  config: Pick<NsmConfig, 'lake' | 'metrics' | 'source' | 'segments'>,
  dt: string,
  rows: readonly Row[],
): void {
  const [first] = absentColumns(config, rows);
  if (first) throw new ConfigError(config.source, first.use.field, absentMessage(config, dt, first));
}

/** The events query's rows as names (nulls dropped: events without a name are not a name). */
export function eventNames(rows: readonly Row[]): LakeEventName[] {
  return rows
    .filter((r) => r.nsm_event !== null && r.nsm_event !== undefined)
    .map((r) => ({ event: String(r.nsm_event), count: Number(r.nsm_n), first: String(r.nsm_first), last: String(r.nsm_last) }));
}

/** A warning for each configured event name not among `seen` by night `dt`, with the closest name the lake has. */
export function unseenEventWarnings(uses: readonly EventUse[], seen: readonly LakeEventName[], days: number, dt: string): RunWarning[] {
  const names = new Set(seen.map((e) => e.event));
  // Most frequent first, so a tie goes to the name the lake uses most.
  const options = [...seen].sort((a, b) => b.count - a.count).map((e) => e.event);
  return uses
    .filter((u) => !names.has(u.event))
    .map((u): RunWarning => {
      const match = closest(u.event, options);
      const message = `${u.field}: '${u.event}' not seen in the last ${days} days${match ? `; did you mean '${match}'?` : ''}`;
      return { code: 'event_not_seen', message, dt, key: null };
    });
}

/** What a night learnt of its lake: warnings for the night's record and the queries it took. */
export interface LakeInspection {
  readonly warnings: RunWarning[];
  readonly stats: QueryStats[];
}

export interface InspectOptions {
  /**
   * Check the configured event names too (default true). A backfill step (one night of many, no
   * alerts) leaves them out: each night without a rare event would cost a look back over the lake.
   */
  readonly eventNames?: boolean;
  /** Aborted at the night's deadline: the check's queries stop with the night's. */
  readonly signal?: AbortSignal | undefined;
}

/** The days a look back reads: 28, or fewer when the config bounds every query's days lower. */
export const lookbackDays = (config: Pick<NsmConfig, 'lake'>) => Math.min(EVENT_LOOKBACK_DAYS, config.lake.max_days_per_query);

/**
 * Checks night `dt`'s lake against the config (see the module comment). Only a missing column
 * fails; a failed look for event names is a warning (`lake_check_failed`), never a failed night.
 * @throws ConfigError for a configured column the lake lacks or cannot use
 */
export async function inspectLake(
  config: NsmConfig,
  dt: string,
  engine: QueryEngine,
  options: InspectOptions = {},
): Promise<LakeInspection> {
  const run = (q: Query) => engine.run(q, options.signal ? { signal: options.signal } : {});
  const stats: QueryStats[] = [];
  const warnings: RunWarning[] = [];
  const describe = lakeColumnsQuery(engine.dialect, config.lake, dt);
  // Without a schema (JSON, Athena's config-built table), the night's own rows say which columns exist.
  const present = describe ? [] : configuredColumns(config).map((u) => u.column);
  const night = await run(lakeEventsQuery(engine.dialect, config.lake, config.lake.columns.event, dt, dt, present));
  stats.push(night.stats);
  const nightEvents = night.rows.reduce((n, r) => n + Number(r.nsm_n ?? 0), 0);
  if (describe && nightEvents > 0) {
    // A night without files would describe the whole lake's view (its oldest schema): no verdict then.
    const result = await run(describe);
    stats.push(result.stats);
    checkColumnTypes(
      config,
      result.rows.map((r) => ({ name: String(r.name), type: String(r.type) })),
    );
  }
  const absent = describe ? [] : absentColumns(config, night.rows);
  if (absent.length > 0) {
    // A key no event of the night has is a typo — unless earlier days have it: then it is the
    // data (a tracking outage nulled it), a warning, and the night still runs and alerts.
    const days = lookbackDays(config);
    const earlier = await run(
      lakeEventsQuery(engine.dialect, config.lake, config.lake.columns.event, addDays(dt, -days), addDays(dt, -1), present),
    );
    stats.push({ ...earlier.stats, name: `${LAKE_COLUMNS_QUERY}-${days}d` });
    const before = new Set(absentColumns(config, earlier.rows).map((a) => a.index));
    const earlierEvents = earlier.rows.reduce((n, r) => n + Number(r.nsm_n ?? 0), 0);
    for (const a of absent) {
      if (earlierEvents === 0 || before.has(a.index)) throw new ConfigError(config.source, a.use.field, absentMessage(config, dt, a));
      warnings.push({
        code: 'column_empty',
        message: `${a.use.field}: ${absentMessage(config, dt, a)}, though events of the ${days} days before have it: its values are missing tonight`,
        dt,
        key: null,
      });
    }
  }
  if (options.eventNames === false) return { warnings, stats };

  const uses = configuredEvents(config);
  let seen = eventNames(night.rows);
  const onNight = new Set(seen.map((e) => e.event));
  const days = lookbackDays(config);
  if (uses.some((u) => !onNight.has(u.event))) {
    // Only a name the night lacks is worth the look further back (a weekly event, a typo).
    try {
      const recent = await run(lakeEventsQuery(engine.dialect, config.lake, config.lake.columns.event, addDays(dt, -(days - 1)), dt));
      stats.push({ ...recent.stats, name: `${recent.stats.name}-${days}d` });
      seen = eventNames(recent.rows);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      warnings.push({
        code: 'lake_check_failed',
        message: `the look for configured event names over ${days} days failed (${message}); the night ran without it`,
        dt,
        key: null,
      });
      return { warnings, stats };
    }
  }
  return { warnings: [...warnings, ...unseenEventWarnings(uses, seen, days, dt)], stats };
}
