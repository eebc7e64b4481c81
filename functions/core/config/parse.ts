/**
 * Text of `nsm.config.yaml` (or JSON) -> {@link NsmConfig}, in three steps, each failing with one
 * one-line {@link ConfigError}: YAML syntax (with line and column), the document's shape
 * (`./schema.ts`, first issue only), then the value and cross-field rules (`./rules.ts`, first
 * violation). Pure: relative lake/results folders are left as written; the CLI resolves them.
 */
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors';
import { ALERT_KINDS, type NotifyKind } from '../results/rows';
import { fieldPath, kindOf, quoted } from './messages';
import { checkRules } from './rules';
import { configSchema, METRIC_KEYS, metricTypeProblem, type RawConfig, type RawMetric, unknownKeyProblem } from './schema';
import { parentIndex, treeEntry } from './tree';
import type { DigestConfig, MetricConfig, NsmConfig, TreeRelation, Weekday } from './types';

/**
 * Parses and checks a config document. `source` names the file in messages (`<inline>` when
 * there is none). Throws {@link ConfigError} on the first problem found.
 */
export function parseConfig(text: string, source: string): NsmConfig {
  const document = readYaml(text, source);
  const parsed = configSchema.safeParse(document);
  if (!parsed.success) throw shapeError(parsed.error, document, source);
  const [violation] = checkRules(parsed.data, source);
  if (violation) throw violation;
  return build(parsed.data, source);
}

/** Collapses whitespace runs so a library's message cannot break the one-line rule. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** YAML 1.2 (a superset of JSON) to plain values; syntax errors and warnings name line and column. */
function readYaml(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  // prettyErrors off: its messages append the offending source lines, we want yaml's short reason.
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const problem: YAMLError | undefined = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    throw new ConfigError(source, `line ${line}, column ${col}`, oneLine(problem.message));
  }
  let value: unknown;
  try {
    // Throws on an alias without its anchor, or on alias expansion large enough to be an attack.
    value = doc.toJS();
  } catch (error) {
    throw new ConfigError(source, '', oneLine(error instanceof Error ? error.message : String(error)));
  }
  if (value === null || value === undefined) throw new ConfigError(source, '', 'the file is empty');
  return value;
}

/** The value at `path` in the parsed document (`undefined` when absent), for messages. */
function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/**
 * The one shape problem to report. An unknown key comes before everything else: a misspelt key
 * (`northstar`, `retention.days`) also leaves its correct spelling missing, and zod lists that
 * `is required` first, which would send the reader looking for the wrong mistake.
 */
function shapeError(error: z.ZodError, document: unknown, source: string): ConfigError {
  for (const issue of error.issues) {
    const unknown = unknownKeyError(issue, document, source);
    if (unknown) return unknown;
  }
  const first = error.issues[0];
  return first ? issueError(first, document, source) : new ConfigError(source, '', oneLine(error.message));
}

/** `issue` as an unknown-key error, when it is one or hides one; else `undefined`. */
function unknownKeyError(issue: z.core.$ZodIssue, document: unknown, source: string): ConfigError | undefined {
  if (issue.code === 'unrecognized_keys') {
    // The message was written by `strict()` in ./schema.ts, which knows the allowed keys.
    return new ConfigError(source, fieldPath([...issue.path, issue.keys[0] ?? '']), issue.message);
  }
  // A metric without `type` matches no shape of the union, which then checks none of its keys.
  if (issue.code === 'invalid_union' && issue.discriminator === 'type' && valueAt(document, issue.path) === undefined) {
    const metric = valueAt(document, issue.path.slice(0, -1));
    if (metric === null || typeof metric !== 'object') return undefined;
    const key = Object.keys(metric).find((k) => !METRIC_KEYS.includes(k));
    if (key === undefined) return undefined;
    return new ConfigError(source, fieldPath([...issue.path.slice(0, -1), key]), unknownKeyProblem(key, METRIC_KEYS));
  }
  return undefined;
}

/** One zod issue as a {@link ConfigError} with our path format and wording. */
function issueError(issue: z.core.$ZodIssue, document: unknown, source: string): ConfigError {
  const path = issue.path;
  const got = valueAt(document, path);
  const error = (problem: string, at: readonly PropertyKey[] = path) => new ConfigError(source, fieldPath(at), problem);
  switch (issue.code) {
    case 'invalid_union': {
      if (issue.discriminator === 'type') return error(metricTypeProblem(got));
      // A tree entry: report the problem inside the form the value has (a list, or a mapping).
      const fits = issue.errors.find((option) => option.every((i) => i.path.length > 0 || i.code !== 'invalid_type'));
      const inner = fits?.[0];
      if (inner) {
        const nested = { ...inner, path: [...path, ...inner.path] } as z.core.$ZodIssue;
        return unknownKeyError(nested, document, source) ?? issueError(nested, document, source);
      }
      if (path[0] === 'tree') return error(`must be a list of metric ids, { product: [...] } or { sum: [...] }, got ${kindOf(got)}`);
      break;
    }
    case 'invalid_type': {
      if (got === undefined) return error('is required');
      if (issue.expected === 'number' && typeof got === 'number') return error(`must be a finite number, got ${got}`);
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return error(`must be ${expected}, got ${kindOf(got)}`);
    }
    case 'invalid_value': {
      if (got === undefined) return error('is required');
      const allowed = issue.values.map((v) => quoted(v)).join(' or ');
      const shown = typeof got === 'string' || typeof got === 'number' ? quoted(got) : kindOf(got);
      return error(`must be ${allowed}, got ${shown}`);
    }
  }
  return error(oneLine(issue.message));
}

function toMetric(m: RawMetric): MetricConfig {
  const name = m.name ?? m.id;
  const typed = typedMetric(m, name);
  // Only a metric that sets overrides carries `alert`: most metrics have none.
  if (m.alert === undefined) return typed;
  const { min_drop_pct, min_robust_z, min_value } = m.alert;
  return { ...typed, alert: { min_drop_pct, min_robust_z, min_value } };
}

function typedMetric(m: RawMetric, name: string): MetricConfig {
  switch (m.type) {
    case 'ratio':
      return { type: m.type, id: m.id, name, numerator: m.numerator, denominator: m.denominator };
    case 'sum':
      return { ...eventPart(m), type: m.type, name, property: m.property, scale: m.scale };
    case 'active_accounts':
      return { ...eventPart(m), type: m.type, name, min_users: m.min_users };
    case 'count':
    case 'distinct_users':
    case 'distinct_accounts':
      return { ...eventPart(m), type: m.type, name };
    default: {
      const unreachable: never = m;
      throw new Error(`unhandled metric ${JSON.stringify(unreachable)}`);
    }
  }
}

function eventPart(m: { id: string; events?: string[] | undefined; window_days: number }) {
  return { id: m.id, events: m.events, window_days: m.window_days };
}

/**
 * `alerts.notify`, or its default: every kind but `still_down`, which `remind_every_days` above 0
 * adds (the rules have checked the names and that the two keys agree).
 */
function notifiedKinds(alerts: RawConfig['alerts']): NotifyKind[] {
  if (alerts.notify !== undefined) return ALERT_KINDS.filter((k) => alerts.notify!.includes(k));
  return ALERT_KINDS.filter((k) => k !== 'still_down' || alerts.remind_every_days > 0);
}

/**
 * The default `alerts.watch`: the north star, then every tree metric, depth first in the file's
 * order starting from the north star, then the subtrees of any other top-level nodes.
 */
export function defaultWatch(northStar: string, tree: Readonly<Record<string, readonly string[]>>): string[] {
  const parents = parentIndex({ tree });
  const roots = [northStar, ...Object.keys(tree).filter((id) => !parents.has(id))];
  const out: string[] = [];
  const walk = (id: string): void => {
    if (out.includes(id)) return;
    out.push(id);
    for (const child of tree[id] ?? []) walk(child);
  };
  roots.forEach(walk);
  return out;
}

/** The typed config: defaults the schema cannot express (metric name = id, watch = the tree). */
function build(raw: RawConfig, source: string): NsmConfig {
  const { lake, candidates, alerts } = raw;
  const tree: Record<string, readonly string[]> = {};
  const relations: Record<string, TreeRelation> = {};
  for (const [parent, input] of Object.entries(raw.tree)) {
    const entry = treeEntry(input);
    // The rules have rejected 'both' and 'neither'.
    if (typeof entry === 'string') throw new Error(`unchecked tree entry ${parent}`);
    tree[parent] = entry.children;
    relations[parent] = entry.relation;
  }
  return {
    version: 1,
    timezone: raw.timezone,
    schedule: raw.schedule,
    lake: {
      location: lake.location,
      format: lake.format,
      partition: lake.partition,
      columns: {
        user: lake.columns.user,
        account: lake.columns.account,
        event: lake.columns.event,
        time: lake.columns.time,
      },
      first_day: lake.first_day,
      max_days_per_query: lake.max_days_per_query,
      athena: lake.athena && {
        database: lake.athena.database,
        table: lake.athena.table,
        workgroup: lake.athena.workgroup,
        bytes_scanned_cutoff_gb: lake.athena.bytes_scanned_cutoff_gb,
      },
    },
    results: { location: raw.results.location },
    metrics: raw.metrics.map(toMetric),
    north_star: raw.north_star,
    tree,
    relations,
    segments: raw.segments && { dimensions: raw.segments.dimensions, max_values: raw.segments.max_values },
    candidates: candidates && {
      cohort: { entry_event: candidates.cohort.entry_event, cohort_days: candidates.cohort.cohort_days },
      retention: { day: candidates.retention.day, window_days: candidates.retention.window_days },
      min_lift: candidates.min_lift,
      max_p: candidates.max_p,
      actions: candidates.actions.map((a) => ({ id: a.id, event: a.event, within_days: a.within_days })),
      sweep: candidates.sweep && { min_count: candidates.sweep.min_count, within_days: candidates.sweep.within_days },
    },
    north_star_check: raw.north_star_check && {
      revenue: raw.north_star_check.revenue,
      max_lag_weeks: raw.north_star_check.max_lag_weeks,
    },
    alerts: {
      watch: alerts.watch ?? defaultWatch(raw.north_star, tree),
      min_drop_pct: alerts.min_drop_pct,
      min_robust_z: alerts.min_robust_z,
      baseline_weeks: alerts.baseline_weeks,
      freshness: { min_ratio: alerts.freshness.min_ratio, recheck_nights: alerts.freshness.recheck_nights },
      remind_every_days: alerts.remind_every_days,
      notify: notifiedKinds(alerts),
      digest: { every: alerts.digest.every as DigestConfig['every'], weekday: alerts.digest.weekday as Weekday },
      email: alerts.email,
      sms: alerts.sms,
      sns_topic_arn: alerts.sns_topic_arn,
    },
    source,
  };
}
