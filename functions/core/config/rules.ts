/**
 * The value and cross-field rules of docs/design.md §2, applied to a document that already has the
 * right shape (`./schema.ts`). Each violation is a {@link ConfigError} naming the exact field
 * (`metrics[3].window_days`, `tree.posting_teams_weekly[1]`, `alerts.watch[0]`) and a short
 * problem. All violations are returned in document-section order so that `parseConfig` reports
 * the first and a future `validate --all` could list them all.
 */
import { isIsoDay } from '../dates';
import { ConfigError } from '../errors';
import { MAX_LAG_WEEKS } from '../north-star-check/limits';
import { ALERT_KINDS } from '../results/rows';
import { IDENTIFIER } from '../sql/quote';
import { cronFrequencyProblem, cronProblem } from './cron';
import { emailProblem, phoneProblem, scanCutoffProblem, snsTopicArnProblem, timezoneProblem, workgroupProblem } from './field-rules';
import { CONFIG_LIMITS } from './limits';
import { locationProblem, overlapProblem } from './location';
import { didYouMean, fieldPath, quoted } from './messages';
import { MAX_DAYS_PER_QUERY_LIMIT, type RawConfig, type RawMetric } from './schema';
import { treeEntry } from './tree';
import { DIGEST_PERIODS, WEEKDAYS } from './types';

/** Metric and candidate-action ids (docs/design.md §2). */
export const ID_PATTERN = /^[a-z][a-z0-9_]*$/;
/** Most dimensions `segments` may break metrics down by: each one repeats the night's grouped rows once more in the metrics query. */
export const MAX_SEGMENT_DIMENSIONS = CONFIG_LIMITS.dimensions;
/** Most named values per dimension. */
export const MAX_SEGMENT_VALUES = 100;

type Path = readonly PropertyKey[];

/** Why a day count has a maximum. */
const READS_DAYS = 'each night reads that many days';

/** Collects violations; one small method per kind of check keeps messages uniform. */
class Violations {
  readonly list: ConfigError[] = [];
  constructor(private readonly source: string) {}

  add(path: Path, problem: string): void {
    this.list.push(new ConfigError(this.source, fieldPath(path), problem));
  }

  /** Adds `problem` (from a rule of `./field-rules.ts`) when there is one. */
  check(path: Path, problem: string | undefined): void {
    if (problem !== undefined) this.add(path, problem);
  }

  /** Whole number >= min. Returns whether it passed, so dependent checks can be skipped. */
  integerAtLeast(path: Path, value: number, min: number): boolean {
    if (!Number.isInteger(value)) this.add(path, 'must be an integer');
    else if (value < min) this.add(path, `must be >= ${min}`);
    else return true;
    return false;
  }

  /** Whole number in min … max, `what` saying why there is a maximum. */
  integerBetween(path: Path, value: number, min: number, max: number, what: string): boolean {
    if (!this.integerAtLeast(path, value, min)) return false;
    if (value <= max) return true;
    this.add(path, `must be <= ${max} (${what})`);
    return false;
  }

  /** A list of at most `max` items, named `noun` in the message (`a config has at most 500`). */
  atMost(path: Path, count: number, max: number, noun: string, holder: string): void {
    if (count > max) this.add(path, `lists ${count} ${noun}; ${holder} has at most ${max}`);
  }

  nonEmpty(path: Path, value: string): boolean {
    if (value.trim() !== '') return true;
    this.add(path, 'must not be empty');
    return false;
  }

  identifier(path: Path, value: string | undefined): void {
    if (value === undefined || IDENTIFIER.test(value)) return;
    this.add(path, `${quoted(value)} is not an SQL identifier (letters, digits and _, not starting with a digit)`);
  }

  id(path: Path, value: string): void {
    if (value.length > CONFIG_LIMITS.idLength) {
      this.add(path, `is ${value.length} characters long; an id has at most ${CONFIG_LIMITS.idLength}`);
      return;
    }
    if (ID_PATTERN.test(value)) return;
    this.add(path, `${quoted(value)} is not a valid id (lowercase letters, digits and _, starting with a letter)`);
  }

  /** Reference to a metric; returns whether it exists. */
  metric(path: Path, id: string, ids: ReadonlyMap<string, number>): boolean {
    if (ids.has(id)) return true;
    this.add(path, `unknown metric ${quoted(id)}${didYouMean(id, [...ids.keys()])}`);
    return false;
  }

  /** Item `i` of the list at `prefix` has a valid id that no earlier item has. */
  idAt(prefix: Path, items: readonly { readonly id: string }[], i: number): void {
    const id = items[i]?.id ?? '';
    this.id([...prefix, i, 'id'], id);
    const earlier = items.findIndex((item) => item.id === id);
    if (earlier < i) this.add([...prefix, i, 'id'], `duplicate id ${quoted(id)} (also ${fieldPath([...prefix, earlier])})`);
  }
}

function checkLake(v: Violations, lake: RawConfig['lake']): void {
  const problem = locationProblem(lake.location);
  if (problem) v.add(['lake', 'location'], problem);
  v.identifier(['lake', 'partition'], lake.partition);
  for (const key of ['user', 'account', 'event', 'time'] as const) {
    v.identifier(['lake', 'columns', key], lake.columns[key]);
  }
  if (lake.first_day !== undefined && !isIsoDay(lake.first_day)) {
    v.add(['lake', 'first_day'], `${quoted(lake.first_day)} is not a day (expected YYYY-MM-DD)`);
  }
  if (v.integerAtLeast(['lake', 'max_days_per_query'], lake.max_days_per_query, 1) && lake.max_days_per_query > MAX_DAYS_PER_QUERY_LIMIT) {
    v.add(['lake', 'max_days_per_query'], `must be <= ${MAX_DAYS_PER_QUERY_LIMIT} (a year)`);
  }
  const athena = lake.athena;
  if (!athena) return;
  v.identifier(['lake', 'athena', 'database'], athena.database);
  v.identifier(['lake', 'athena', 'table'], athena.table);
  v.check(['lake', 'athena', 'workgroup'], workgroupProblem(athena.workgroup));
  v.check(['lake', 'athena', 'bytes_scanned_cutoff_gb'], scanCutoffProblem(athena.bytes_scanned_cutoff_gb));
}

/** Per-metric rules that need no other metric, except the lake's account column. */
function checkMetric(v: Violations, m: RawMetric, i: number, raw: RawConfig): void {
  const at = (...rest: PropertyKey[]): Path => ['metrics', i, ...rest];
  if (m.name !== undefined) v.nonEmpty(at('name'), m.name);
  if (m.alert?.min_drop_pct !== undefined && !(m.alert.min_drop_pct >= 0)) v.add(at('alert', 'min_drop_pct'), 'must be >= 0');
  if (m.alert?.min_robust_z !== undefined && !(m.alert.min_robust_z >= 0)) v.add(at('alert', 'min_robust_z'), 'must be >= 0');
  if (m.type === 'ratio') return;
  if (m.events !== undefined) {
    if (m.events.length === 0) v.add(at('events'), 'must not be empty (omit events to use every event)');
    v.atMost(at('events'), m.events.length, CONFIG_LIMITS.eventsPerMetric, 'events', 'a metric');
    for (const [k, e] of m.events.entries()) v.nonEmpty(at('events', k), e);
  }
  v.integerBetween(at('window_days'), m.window_days, 1, CONFIG_LIMITS.days, READS_DAYS);
  if (m.type === 'sum') v.identifier(at('property'), m.property);
  if (m.type === 'active_accounts') v.integerAtLeast(at('min_users'), m.min_users, 1);
  if ((m.type === 'active_accounts' || m.type === 'distinct_accounts') && raw.lake.columns.account === undefined) {
    v.add(at('type'), `${quoted(m.type)} needs lake.columns.account`);
  }
}

/** Ratio references: both exist, neither is the ratio itself, they differ. Returns whether usable. */
function checkRatioRefs(v: Violations, m: RawMetric, i: number, ids: ReadonlyMap<string, number>): boolean {
  if (m.type !== 'ratio') return true;
  let ok = true;
  for (const side of ['numerator', 'denominator'] as const) {
    const ref = m[side];
    if (ref === m.id) {
      v.add(['metrics', i, side], 'a ratio cannot refer to itself');
      ok = false;
    } else if (!v.metric(['metrics', i, side], ref, ids)) ok = false;
  }
  if (ok && m.numerator === m.denominator) {
    v.add(['metrics', i, 'denominator'], 'must differ from the numerator');
    ok = false;
  }
  return ok;
}

/**
 * A ratio may use another ratio, but ratios must not form a cycle (a = b/x, b = a/y), which could
 * never be evaluated. Reported on the reference that closes the cycle.
 */
function checkRatioCycles(v: Violations, metrics: readonly RawMetric[], ids: ReadonlyMap<string, number>): void {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (i: number): void => {
    const m = metrics[i];
    if (m?.type !== 'ratio') return;
    state.set(m.id, 'active');
    stack.push(m.id);
    for (const side of ['numerator', 'denominator'] as const) {
      const j = ids.get(m[side]);
      if (j === undefined || j === i || metrics[j]?.type !== 'ratio') continue;
      const s = state.get(m[side]);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(m[side])), m[side]];
        v.add(['metrics', i, side], `cycle of ratios: ${cycle.join(' -> ')}`);
      } else if (s === undefined) visit(j);
    }
    stack.pop();
    state.set(m.id, 'done');
  };
  metrics.forEach((m, i) => {
    if (!state.has(m.id)) visit(i);
  });
}

function checkMetrics(v: Violations, raw: RawConfig): ReadonlyMap<string, number> {
  const ids = new Map<string, number>();
  raw.metrics.forEach((m, i) => {
    if (!ids.has(m.id)) ids.set(m.id, i);
  });
  if (raw.metrics.length === 0) v.add(['metrics'], 'must list at least one metric');
  v.atMost(['metrics'], raw.metrics.length, CONFIG_LIMITS.metrics, 'metrics', 'a config');
  let refsOk = true;
  raw.metrics.forEach((m, i) => {
    v.idAt(['metrics'], raw.metrics, i);
    checkMetric(v, m, i, raw);
    if (!checkRatioRefs(v, m, i, ids)) refsOk = false;
  });
  if (refsOk) checkRatioCycles(v, raw.metrics, ids);
  return ids;
}

/**
 * The tree must be a tree: known ids, no node its own child, no child listed twice, one parent
 * per child, no cycle, and the north star (the root) under no parent. An entry that declares how
 * the parent is made of its children (`{ product: [...] }` or `{ sum: [...] }`) has exactly one of
 * those keys; its children obey the same rules.
 */
function checkTree(v: Violations, raw: RawConfig, ids: ReadonlyMap<string, number>): void {
  const tree = raw.tree;
  const parentOf = new Map<string, string>();
  /** Each well-formed entry's children, and the path of its j-th child (`tree.p[j]` or `tree.p.product[j]`). */
  const entries = new Map<string, { children: readonly string[]; at: (j?: number) => Path }>();
  let shapeOk = true;
  for (const [parent, raw] of Object.entries(tree)) {
    if (!v.metric(['tree', parent], parent, ids)) shapeOk = false;
    const entry = treeEntry(raw);
    if (typeof entry === 'string') {
      v.add(
        ['tree', parent],
        entry === 'both' ? 'has both product and sum (pick one)' : 'needs product or sum (or a plain list of children)',
      );
      shapeOk = false;
      continue;
    }
    const key = entry.relation === 'influence' ? [] : [entry.relation];
    const at = (j?: number): Path => ['tree', parent, ...key, ...(j === undefined ? [] : [j])];
    entries.set(parent, { children: entry.children, at });
    if (entry.children.length === 0) v.add(at(), 'must list at least one child');
    const seen = new Set<string>();
    entry.children.forEach((child, j) => {
      if (!v.metric(at(j), child, ids)) shapeOk = false;
      else if (child === parent) {
        v.add(at(j), `${quoted(child)} cannot be its own child`);
        shapeOk = false;
      } else if (seen.has(child)) {
        v.add(at(j), `${quoted(child)} is listed twice`);
        shapeOk = false;
      } else if (parentOf.has(child)) {
        v.add(at(j), `${quoted(child)} has two parents: ${parentOf.get(child)} and ${parent}`);
        shapeOk = false;
      } else parentOf.set(child, parent);
      seen.add(child);
    });
  }
  if (!shapeOk) return;

  // With one parent each, a cycle has no way in from outside, so one DFS from each key finds it.
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  let cyclic = false;
  const visit = (node: string): void => {
    state.set(node, 'active');
    stack.push(node);
    const entry = entries.get(node);
    entry?.children.forEach((child, j) => {
      const s = state.get(child);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(child)), child];
        v.add(entry.at(j), `cycle in tree: ${cycle.join(' -> ')}`);
        cyclic = true;
      } else if (s === undefined) visit(child);
    });
    stack.pop();
    state.set(node, 'done');
  };
  for (const key of Object.keys(tree)) if (!state.has(key)) visit(key);
  if (cyclic) return;

  const nsParent = parentOf.get(raw.north_star);
  const nsEntry = nsParent === undefined ? undefined : entries.get(nsParent);
  if (nsEntry) {
    v.add(nsEntry.at(nsEntry.children.indexOf(raw.north_star)), `${quoted(raw.north_star)} is the north star and cannot be a child`);
  }
}

/**
 * `segments`: 1 to {@link MAX_SEGMENT_DIMENSIONS} distinct lake columns (identifiers, not the
 * partition column; Glue folds case, so `Platform` and `platform` are the same column), and
 * `max_values` a whole number from 1 to {@link MAX_SEGMENT_VALUES}. Something must be watched,
 * or there is nothing to break down.
 */
function checkSegments(v: Violations, raw: RawConfig, segments: NonNullable<RawConfig['segments']>): void {
  const dims = segments.dimensions;
  if (dims.length === 0) v.add(['segments', 'dimensions'], 'must list at least one lake column');
  if (dims.length > MAX_SEGMENT_DIMENSIONS) v.add(['segments', 'dimensions'], `must list at most ${MAX_SEGMENT_DIMENSIONS} columns`);
  const seen = new Map<string, number>();
  dims.forEach((d, i) => {
    const at: Path = ['segments', 'dimensions', i];
    if (!IDENTIFIER.test(d)) {
      v.identifier(at, d);
      return;
    }
    const folded = d.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) v.add(at, `${quoted(d)} is listed twice (also segments.dimensions[${earlier}]; column names ignore case)`);
    else if (folded === raw.lake.partition.toLowerCase()) v.add(at, `${quoted(d)} is the partition column (its value is the day)`);
    seen.set(folded, i);
  });
  if (v.integerAtLeast(['segments', 'max_values'], segments.max_values, 1) && segments.max_values > MAX_SEGMENT_VALUES) {
    v.add(['segments', 'max_values'], `must be <= ${MAX_SEGMENT_VALUES}`);
  }
  if (raw.alerts.watch !== undefined && raw.alerts.watch.length === 0) {
    v.add(['segments'], 'alerts.watch is empty, so no metric is broken down (watch a metric or remove segments)');
  }
}

function checkCandidates(v: Violations, c: NonNullable<RawConfig['candidates']>): void {
  const at = (...rest: PropertyKey[]): Path => ['candidates', ...rest];
  v.nonEmpty(at('cohort', 'entry_event'), c.cohort.entry_event);
  v.integerBetween(at('cohort', 'cohort_days'), c.cohort.cohort_days, 1, CONFIG_LIMITS.days, READS_DAYS);
  const dayOk = v.integerBetween(at('retention', 'day'), c.retention.day, 1, CONFIG_LIMITS.days, READS_DAYS);
  if (v.integerAtLeast(at('retention', 'window_days'), c.retention.window_days, 1) && dayOk) {
    if (c.retention.window_days > c.retention.day) {
      v.add(at('retention', 'window_days'), `must be <= retention.day (${c.retention.day})`);
    }
  }
  if (!(c.min_lift > 0)) v.add(at('min_lift'), 'must be > 0');
  if (!(c.max_p > 0 && c.max_p < 1)) v.add(at('max_p'), 'must be > 0 and < 1');
  if (c.actions.length === 0) v.add(at('actions'), 'must list at least one action');
  v.atMost(at('actions'), c.actions.length, CONFIG_LIMITS.candidateActions, 'actions', 'a config');
  c.actions.forEach((a, i) => {
    v.idAt(at('actions'), c.actions, i);
    v.nonEmpty(at('actions', i, 'event'), a.event);
    v.integerBetween(at('actions', i, 'within_days'), a.within_days, 1, CONFIG_LIMITS.days, READS_DAYS);
  });
  if (c.sweep) checkSweep(v, c.sweep, c.actions.length);
}

/** The sweep grid: non-empty lists of distinct whole numbers >= 1, and a bounded number of cells. */
function checkSweep(v: Violations, sweep: NonNullable<NonNullable<RawConfig['candidates']>['sweep']>, actions: number): void {
  let ok = true;
  for (const key of ['min_count', 'within_days'] as const) {
    const at = ['candidates', 'sweep', key];
    const values = sweep[key];
    if (values.length === 0) {
      v.add(at, 'must list at least one value');
      ok = false;
    }
    values.forEach((n, i) => {
      // A window of k days reads k days of rollups per cohort day, as an action's within_days does.
      const valid =
        key === 'within_days' ? v.integerBetween([...at, i], n, 1, CONFIG_LIMITS.days, READS_DAYS) : v.integerAtLeast([...at, i], n, 1);
      if (!valid) ok = false;
      else if (values.indexOf(n) < i) {
        v.add([...at, i], `${n} is listed twice`);
        ok = false;
      }
    });
  }
  const cells = sweep.min_count.length * sweep.within_days.length * actions;
  if (ok && cells > CONFIG_LIMITS.sweepCells) {
    v.add(
      ['candidates', 'sweep'],
      `${sweep.min_count.length} min_count × ${sweep.within_days.length} within_days × ${actions} actions = ${cells} cells; at most ${CONFIG_LIMITS.sweepCells}`,
    );
  }
}

function checkNorthStarCheck(v: Violations, raw: RawConfig, ids: ReadonlyMap<string, number>): void {
  const check = raw.north_star_check;
  if (!check) return;
  if (v.metric(['north_star_check', 'revenue'], check.revenue, ids) && check.revenue === raw.north_star) {
    v.add(['north_star_check', 'revenue'], `${quoted(check.revenue)} is the north star; name the revenue metric`);
  }
  if (v.integerAtLeast(['north_star_check', 'max_lag_weeks'], check.max_lag_weeks, 0) && check.max_lag_weeks > MAX_LAG_WEEKS) {
    v.add(['north_star_check', 'max_lag_weeks'], `must be <= ${MAX_LAG_WEEKS}`);
  }
}

function checkAlerts(v: Violations, a: RawConfig['alerts'], ids: ReadonlyMap<string, number>): void {
  const seen = new Set<string>();
  a.watch?.forEach((id, i) => {
    if (v.metric(['alerts', 'watch', i], id, ids) && seen.has(id)) {
      v.add(['alerts', 'watch', i], `${quoted(id)} is listed twice`);
    }
    seen.add(id);
  });
  if (!(a.min_drop_pct >= 0)) v.add(['alerts', 'min_drop_pct'], 'must be >= 0');
  if (!(a.min_robust_z >= 0)) v.add(['alerts', 'min_robust_z'], 'must be >= 0');
  v.integerBetween(
    ['alerts', 'baseline_weeks'],
    a.baseline_weeks,
    1,
    CONFIG_LIMITS.baselineWeeks,
    'each night reads that many earlier nights',
  );
  const ratio = a.freshness.min_ratio;
  if (!(ratio >= 0 && ratio <= 1)) v.add(['alerts', 'freshness', 'min_ratio'], 'must be between 0 and 1');
  v.integerBetween(
    ['alerts', 'freshness', 'recheck_nights'],
    a.freshness.recheck_nights,
    0,
    CONFIG_LIMITS.recheckNights,
    'each night re-checks that many earlier nights',
  );
  checkIncidentAlerts(v, a);
  for (const [i, e] of a.email.entries()) v.check(['alerts', 'email', i], emailProblem(e));
  for (const [i, n] of a.sms.entries()) v.check(['alerts', 'sms', i], phoneProblem(n));
  if (a.sns_topic_arn !== undefined) v.check(['alerts', 'sns_topic_arn'], snsTopicArnProblem(a.sns_topic_arn));
}

/** `alerts.digest`: a known period and weekday. */
function checkDigest(v: Violations, d: RawConfig['alerts']['digest']): void {
  if (!(DIGEST_PERIODS as readonly string[]).includes(d.every)) {
    v.add(
      ['alerts', 'digest', 'every'],
      `${quoted(d.every)} is not a digest period${didYouMean(d.every, DIGEST_PERIODS) || ` (allowed: ${DIGEST_PERIODS.join(', ')})`}`,
    );
  }
  if (!(WEEKDAYS as readonly string[]).includes(d.weekday)) {
    v.add(
      ['alerts', 'digest', 'weekday'],
      `${quoted(d.weekday)} is not a weekday${didYouMean(d.weekday, WEEKDAYS) || ` (allowed: ${WEEKDAYS.join(', ')})`}`,
    );
  }
}

/** `remind_every_days` and `notify`: known kinds, each once, and reminders only when both keys ask for them. */
function checkIncidentAlerts(v: Violations, a: RawConfig['alerts']): void {
  const remind = v.integerBetween(
    ['alerts', 'remind_every_days'],
    a.remind_every_days,
    0,
    CONFIG_LIMITS.days,
    'days between two reminders',
  );
  if (a.notify === undefined) return;
  const seen = new Set<string>();
  for (const [i, kind] of a.notify.entries()) {
    if (!(ALERT_KINDS as readonly string[]).includes(kind)) {
      v.add(
        ['alerts', 'notify', i],
        `unknown alert kind ${quoted(kind)}${didYouMean(kind, ALERT_KINDS) || ` (allowed: ${ALERT_KINDS.join(', ')})`}`,
      );
    } else if (seen.has(kind)) {
      v.add(['alerts', 'notify', i], `${quoted(kind)} is listed twice`);
    }
    seen.add(kind);
  }
  checkDigest(v, a.digest);
  if (!remind) return;
  if (seen.has('still_down') && a.remind_every_days === 0) {
    v.add(['alerts', 'notify'], 'lists still_down but alerts.remind_every_days is 0 (never): set remind_every_days to send reminders');
  } else if (!seen.has('still_down') && a.remind_every_days > 0) {
    v.add(
      ['alerts', 'remind_every_days'],
      `is ${a.remind_every_days} but alerts.notify leaves out still_down: add still_down to notify, or remove remind_every_days`,
    );
  }
}

/**
 * Every rule violation of `raw`, in the order of the document's sections (timezone, schedule,
 * lake, results, metrics, north_star, tree, segments, candidates, north_star_check, alerts). Empty when the config is valid.
 */
export function checkRules(raw: RawConfig, source: string): ConfigError[] {
  const v = new Violations(source);
  v.check(['timezone'], timezoneProblem(raw.timezone));
  const cron = cronProblem(raw.schedule) ?? cronFrequencyProblem(raw.schedule);
  if (cron) v.add(['schedule'], cron);
  checkLake(v, raw.lake);
  const results = locationProblem(raw.results.location) ?? overlapProblem(raw.lake.location, raw.results.location);
  if (results) v.add(['results', 'location'], results);
  const ids = checkMetrics(v, raw);
  v.metric(['north_star'], raw.north_star, ids);
  checkTree(v, raw, ids);
  if (raw.segments) checkSegments(v, raw, raw.segments);
  if (raw.candidates) checkCandidates(v, raw.candidates);
  checkNorthStarCheck(v, raw, ids);
  checkAlerts(v, raw.alerts, ids);
  return v.list;
}
