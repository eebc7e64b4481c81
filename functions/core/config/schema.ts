/**
 * Shape of the raw config document (docs/design.md §2) with its defaults. This schema checks only
 * shapes and types — which keys exist, which are required, what is a number or a list — and
 * rejects unknown keys so a typo such as `window_day` cannot silently fall back to a default.
 * Value rules (ranges, identifiers, references, the tree) live in `./rules.ts`, so that every
 * rule's message is written in one place; `./parse.ts` runs both.
 */
import { z } from 'zod';
import { didYouMean, quoted } from './messages';
import type { MetricType } from './types';

/** The six metric types, in the order messages list them. */
/** Athena's per-query scan cutoff when `lake.athena.bytes_scanned_cutoff_gb` is not set. */
export const DEFAULT_BYTES_SCANNED_CUTOFF_GB = 100;

export const METRIC_TYPES = [
  'count',
  'sum',
  'distinct_users',
  'distinct_accounts',
  'active_accounts',
  'ratio',
] as const satisfies readonly MetricType[];

/**
 * `z.strictObject` whose unknown-key issue already carries our message: the key's allowed
 * siblings are known only here, where the shape is. `./parse.ts` appends the key to the path.
 */
function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeyProblem(issue.keys[0] ?? '', allowed) : undefined),
  });
}

/** The message for a key that is not one of `allowed`: the closest allowed key, or all of them. */
export function unknownKeyProblem(key: string, allowed: readonly string[]): string {
  const hint = didYouMean(key, allowed);
  return hint ? `unknown key${hint}` : `unknown key (allowed: ${allowed.join(', ')})`;
}

const eventFields = {
  id: z.string(),
  name: z.string().optional(),
  /** Omitted = every event. */
  events: z.array(z.string()).optional(),
  window_days: z.number().default(1),
};

export const countMetricSchema = strict({ ...eventFields, type: z.literal('count') });
export const sumMetricSchema = strict({
  ...eventFields,
  type: z.literal('sum'),
  property: z.string(),
  scale: z.number().default(1),
});
export const distinctUsersMetricSchema = strict({ ...eventFields, type: z.literal('distinct_users') });
export const distinctAccountsMetricSchema = strict({ ...eventFields, type: z.literal('distinct_accounts') });
export const activeAccountsMetricSchema = strict({
  ...eventFields,
  type: z.literal('active_accounts'),
  min_users: z.number().default(1),
});
export const ratioMetricSchema = strict({
  id: z.string(),
  name: z.string().optional(),
  type: z.literal('ratio'),
  numerator: z.string(),
  denominator: z.string(),
});

const metricShapes = [
  countMetricSchema,
  sumMetricSchema,
  distinctUsersMetricSchema,
  distinctAccountsMetricSchema,
  activeAccountsMetricSchema,
  ratioMetricSchema,
] as const;

/** One metric; `type` picks the shape, so keys of other types are reported as unknown. */
export const metricSchema = z.discriminatedUnion('type', [...metricShapes]);

/**
 * Every key some metric type allows. Without a `type` the union cannot pick a shape, so a key
 * outside all of them (`typ: count`) is the only unknown key that can be named there.
 */
export const METRIC_KEYS: readonly string[] = [...new Set(metricShapes.flatMap((schema) => Object.keys(schema.shape)))];

export const lakeSchema = strict({
  location: z.string(),
  format: z.enum(['json', 'parquet']).default('json'),
  partition: z.string().default('dt'),
  columns: strict({
    user: z.string(),
    account: z.string().optional(),
    event: z.string(),
    time: z.string().optional(),
  }),
  first_day: z.string().optional(),
  athena: strict({
    database: z.string(),
    table: z.string(),
    workgroup: z.string(),
    bytes_scanned_cutoff_gb: z.number().default(DEFAULT_BYTES_SCANNED_CUTOFF_GB),
  }).optional(),
});

export const candidatesSchema = strict({
  cohort: strict({ entry_event: z.string(), cohort_days: z.number() }),
  retention: strict({ day: z.number(), window_days: z.number() }),
  min_lift: z.number().default(2),
  max_p: z.number().default(0.01),
  actions: z.array(strict({ id: z.string(), event: z.string(), within_days: z.number() })),
});

export const alertsSchema = strict({
  /** Omitted = the north star and every tree metric, filled in by `./parse.ts` once the tree is checked. */
  watch: z.array(z.string()).optional(),
  min_drop_pct: z.number().default(10),
  min_robust_z: z.number().default(3.5),
  baseline_weeks: z.number().default(4),
  // prefault (not default) so the inner defaults are applied to the missing object too.
  freshness: strict({ min_ratio: z.number().default(0.5) }).prefault({}),
  email: z.array(z.string()).default([]),
  sms: z.array(z.string()).default([]),
  sns_topic_arn: z.string().optional(),
});

/** The whole document. */
export const configSchema = strict({
  version: z.literal(1),
  timezone: z.string().default('UTC'),
  schedule: z.string().default('0 6 * * *'),
  lake: lakeSchema,
  results: strict({ location: z.string() }),
  metrics: z.array(metricSchema),
  north_star: z.string(),
  tree: z.record(z.string(), z.array(z.string())).default({}),
  candidates: candidatesSchema.optional(),
  alerts: alertsSchema.prefault({}),
});

/** The document after the schema: defaults applied, references and ranges not yet checked. */
export type RawConfig = z.output<typeof configSchema>;
export type RawMetric = z.output<typeof metricSchema>;

/** Message for a `type` that is missing or not one of {@link METRIC_TYPES}. */
export function metricTypeProblem(value: unknown): string {
  const allowed = METRIC_TYPES.join(', ');
  if (value === undefined) return `is required (one of: ${allowed})`;
  return `unknown type ${quoted(value)} (allowed: ${allowed})`;
}
