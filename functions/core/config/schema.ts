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
/** `lake.max_days_per_query` when omitted: a month of partitions per query. */
export const DEFAULT_MAX_DAYS_PER_QUERY = 31;
/** The largest `lake.max_days_per_query` accepted: a year (beyond it, the bound bounds nothing). */
export const MAX_DAYS_PER_QUERY_LIMIT = 366;

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

/**
 * `schema.describe(text)`: the text is what an editor shows on hover through the generated JSON
 * Schema (`./json-schema.ts`); the rules themselves are in ./rules.ts and docs/configuration.md.
 */
const idField = z.string().describe('Unique id: lowercase letters, digits and _, starting with a letter');
const nameField = z.string().optional().describe('Display name in the report and alerts; default: the id');

const eventFields = {
  id: idField,
  name: nameField,
  /** Omitted = every event. */
  events: z.array(z.string()).optional().describe('Event names counted; omitted = every event'),
  window_days: z.number().default(1).describe('Days D-W+1 … D, both included (integer >= 1)'),
};

/** `metrics[].alert`: the metric's own drop thresholds (docs/configuration.md). */
export const metricAlertSchema = strict({
  min_drop_pct: z.number().optional().describe('Replaces alerts.min_drop_pct for this metric'),
  min_robust_z: z.number().optional().describe('Replaces alerts.min_robust_z for this metric'),
  min_value: z.number().optional().describe('No drop alert while the baseline is below this value (low-volume metrics)'),
}).describe("This metric's drop thresholds; each key set replaces the global one in alerts");

/** Fields every metric shape ends with. */
const commonTail = { alert: metricAlertSchema.optional() };

/** `type` of one metric shape, described once for all shapes. */
const metricType = <T extends string>(type: T) => z.literal(type).describe('Metric type');

export const countMetricSchema = strict({ ...eventFields, type: metricType('count'), ...commonTail }).describe(
  'Events of `events` within the window',
);
export const sumMetricSchema = strict({
  ...eventFields,
  type: metricType('sum'),
  property: z.string().describe('Numeric lake column summed (an SQL identifier)'),
  scale: z.number().default(1).describe('Factor applied to the sum (e.g. ms -> hours)'),
  ...commonTail,
}).describe('Sum of a numeric property over the events, times `scale`');
export const distinctUsersMetricSchema = strict({ ...eventFields, type: metricType('distinct_users'), ...commonTail }).describe(
  'Distinct users doing the events within the window',
);
export const distinctAccountsMetricSchema = strict({ ...eventFields, type: metricType('distinct_accounts'), ...commonTail }).describe(
  'Distinct accounts doing the events within the window (needs lake.columns.account)',
);
export const activeAccountsMetricSchema = strict({
  ...eventFields,
  type: metricType('active_accounts'),
  min_users: z.number().default(1).describe('Distinct users an account needs (integer >= 1)'),
  ...commonTail,
}).describe('Accounts with at least `min_users` distinct users doing the events (needs lake.columns.account)');
export const ratioMetricSchema = strict({
  id: idField,
  name: nameField,
  type: metricType('ratio'),
  numerator: z.string().describe('Metric id'),
  denominator: z.string().describe('Metric id; a zero denominator gives null'),
  ...commonTail,
}).describe('numerator ÷ denominator of the same night');

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

const sqlName = (what: string) => z.string().describe(`${what} (an SQL identifier)`);

export const lakeSchema = strict({
  location: z.string().describe('Local folder (relative to this file) or s3://bucket/prefix'),
  format: z.enum(['json', 'parquet']).default('json').describe('json (JSON Lines, plain or .gz) or parquet'),
  partition: z.string().default('dt').describe("Hive partition key holding the event's day, YYYY-MM-DD"),
  columns: strict({
    user: sqlName("The lake's user id column"),
    account: sqlName("The lake's account (team, company) id column; needed by account metrics").optional(),
    event: sqlName("The lake's event name column"),
    time: sqlName("The lake's event timestamp column, informational only").optional(),
  }).describe("Canonical name -> the lake's column name"),
  first_day: z
    .string()
    .optional()
    .describe("The lake's first day, YYYY-MM-DD; required for a cloud deploy (Athena's partition projection starts there)"),
  max_days_per_query: z
    .number()
    .default(DEFAULT_MAX_DAYS_PER_QUERY)
    .describe('Most lake partitions (days) one query may read: state is built in chunks of this many days (1..366)'),
  athena: strict({
    database: sqlName('Glue database of the lake'),
    table: sqlName('Glue table of the lake'),
    workgroup: z.string().describe('Athena workgroup'),
    bytes_scanned_cutoff_gb: z
      .number()
      .default(DEFAULT_BYTES_SCANNED_CUTOFF_GB)
      .describe('Per-query scan limit set on the workgroup, in GB (>= 0.01)'),
  })
    .optional()
    .describe('Cloud runs: where Athena finds the lake'),
});

export const candidatesSchema = strict({
  cohort: strict({
    entry_event: z.string().describe("Event whose first occurrence is a user's entry day"),
    cohort_days: z.number().describe('Entry days per cohort (integer >= 1)'),
  }),
  retention: strict({
    day: z.number().describe('Day after entry the outcome is judged on, e.g. 90 (integer >= 1)'),
    window_days: z.number().describe('Any event in the last this many days up to `day` counts as retained'),
  }),
  min_lift: z.number().default(2).describe('A strong candidate has a lift above this'),
  max_p: z.number().default(0.01).describe('… and a Benjamini–Hochberg q-value below this'),
  actions: z
    .array(
      strict({
        id: idField,
        event: z.string().describe('Event name'),
        within_days: z.number().describe('Done within this many days of entry (integer >= 1)'),
      }),
    )
    .describe('Early actions whose lift on retention is measured'),
  sweep: strict({
    min_count: z.array(z.number()).describe('Thresholds: done at least this many times (whole numbers >= 1)'),
    within_days: z.array(z.number()).describe('… within this many days of entry (whole numbers >= 1)'),
  })
    .optional()
    .describe('Threshold sweep over every action (docs/candidates.md); omit for none'),
}).describe('Candidate lifts (docs/candidates.md); omit to skip them');

export const northStarCheckSchema = strict({
  revenue: z.string().describe('Id of the metric the north star should predict (e.g. weekly revenue)'),
  max_lag_weeks: z.number().default(8).describe('Largest lag in weeks tested (integer >= 0)'),
}).describe('North Star check: does the north star lead revenue? (docs/candidates.md); omit to skip it');

export const alertsSchema = strict({
  /** Omitted = the north star and every tree metric, filled in by `./parse.ts` once the tree is checked. */
  watch: z.array(z.string()).optional().describe('Metrics whose drops send alerts; default: the north star and every tree metric'),
  min_drop_pct: z.number().default(10).describe('A drop is at least this many percent below baseline …'),
  min_robust_z: z.number().default(3.5).describe('… and at least this many robust standard deviations'),
  baseline_weeks: z.number().default(4).describe('Same-weekday nights the baseline uses (integer >= 1)'),
  // prefault (not default) so the inner defaults are applied to the missing object too.
  freshness: strict({
    min_ratio: z.number().default(0.5).describe("The day's events below this share of normal = data incomplete"),
    recheck_nights: z
      .number()
      .default(3)
      .describe(
        'A data_incomplete night is re-checked by this many following nights and re-judged once its data has landed (0 = never; integer 0 to 14)',
      ),
  }).prefault({}),
  remind_every_days: z
    .number()
    .default(0)
    .describe('During an incident, a still_down reminder on its nights 1+N, 1+2N, …; 0 = never (integer 0 to 366)'),
  notify: z
    .array(z.string())
    .optional()
    .describe(
      'Alert kinds that are sent (drop, still_down, recovered, data_incomplete); default: all but still_down, which remind_every_days adds',
    ),
  digest: strict({
    every: z.string().default('weekly').describe('weekly, daily or off'),
    weekday: z
      .string()
      .default('mon')
      .describe('Weekly: the morning it arrives (mon … sun), with the run that reports on the night before'),
  })
    .prefault({})
    .describe('One e-mail-only summary per period: the NSM, the largest moves, open incidents, changed verdicts, the report'),
  email: z.array(z.string()).default([]).describe('Email subscriptions the cloud deploy creates'),
  sms: z.array(z.string()).default([]).describe('E.164 phone numbers the cloud deploy subscribes'),
  sns_topic_arn: z.string().optional().describe('Publish through this SNS topic from `nsm run` too'),
}).describe('Drop alerts (docs/alerts.md)');

/**
 * One `tree:` entry: a plain list of children (they influence the parent, no formula), or a
 * mapping that says how the parent is made of them, `{ product: [...] }` or `{ sum: [...] }`
 * (exactly one key: `./rules.ts` says so when both or neither are given).
 */
export const treeEntrySchema = z.union([
  z.array(z.string()).describe('Children that influence the parent (no formula)'),
  strict({
    product: z.array(z.string()).optional().describe('The parent is the product of these children'),
    sum: z.array(z.string()).optional().describe('The parent is the sum of these children'),
  }).describe('How the parent is made of its children: exactly one of product or sum'),
]);

/** Default of `segments.max_values`. */
export const DEFAULT_SEGMENT_MAX_VALUES = 20;

export const segmentsSchema = strict({
  dimensions: z.array(z.string()).describe('Lake columns to break every watched metric down by (1 to 10 identifiers)'),
  max_values: z
    .number()
    .default(DEFAULT_SEGMENT_MAX_VALUES)
    .describe('Per dimension, the values with the most volume tonight that are named; the rest are "(other)" (1 to 100)'),
}).describe('Segment root cause (docs/alerts.md): segments.jsonl, and the top segments of a drop alert');

/** The whole document. */
export const configSchema = strict({
  version: z.literal(1).describe('Always 1'),
  timezone: z.string().default('UTC').describe('IANA zone; "yesterday" and the cloud schedule are in this zone'),
  schedule: z.string().default('0 6 * * *').describe('Cloud only: 5-field cron (minute hour day month weekday) in `timezone`'),
  lake: lakeSchema.describe('Where the events are'),
  results: strict({ location: z.string().describe('Local folder (relative to this file) or s3://bucket/prefix') }).describe(
    'Where the results layout and reports are written',
  ),
  metrics: z.array(metricSchema).describe('The metrics: the north star and its input tree'),
  north_star: z.string().describe('Id of the North Star Metric'),
  tree: z
    .record(z.string(), treeEntrySchema)
    .default({})
    .describe('Parent metric id -> the input metric ids beneath it: a list (influence), { product: [...] } or { sum: [...] }'),
  segments: segmentsSchema.optional(),
  candidates: candidatesSchema.optional(),
  north_star_check: northStarCheckSchema.optional(),
  alerts: alertsSchema.prefault({}),
});

/** The document after the schema: defaults applied, references and ranges not yet checked. */
export type RawConfig = z.output<typeof configSchema>;
export type RawMetric = z.output<typeof metricSchema>;
export type RawTreeEntry = z.output<typeof treeEntrySchema>;

/** Message for a `type` that is missing or not one of {@link METRIC_TYPES}. */
export function metricTypeProblem(value: unknown): string {
  const allowed = METRIC_TYPES.join(', ');
  if (value === undefined) return `is required (one of: ${allowed})`;
  return `unknown type ${quoted(value)} (allowed: ${allowed})`;
}
