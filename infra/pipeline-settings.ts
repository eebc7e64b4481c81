/**
 * Validates {@link NsmPipelineProps} for a cloud deploy and resolves every default, before a single
 * resource is built: a config that works locally (a lake folder, no `lake.athena`) fails here
 * with a message naming the file and the field, not halfway through synth or at deploy time.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { emailProblem, phoneProblem, scanCutoffProblem, timezoneProblem, workgroupProblem } from '../functions/core/config/field-rules';
import { addDays, dayInZone, isIsoDay } from '../functions/core/dates';
import { ConfigError } from '../functions/core/errors';
import { isS3Uri, parseS3Uri } from '../functions/core/s3-uri';
import { STATE_TABLES } from '../functions/core/sql/state-tables';
import { eventColumns, type GlueColumn, stateDailyColumns } from './glue-schema';
import type { NsmPipelineProps } from './pipeline-props';
import type { S3Location } from './s3-uri';
import {
  describeGap,
  gapHours,
  longestGapMinutes,
  MAX_ALARM_HOURS,
  MISSED_NIGHT_SLACK_HOURS,
  missedNightWindowHours,
} from './schedule-gap';
import { toSchedulerCron } from './scheduler-cron';

/** The repository root (this file lives in `<root>/infra/`). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Names of the Glue tables over the results layout (docs/design.md §3), in the lake's database. */
export const RESULTS_TABLES = {
  metrics: 'nsm_metrics',
  segments: 'nsm_segments',
  candidates: 'nsm_candidates',
  sweep: 'nsm_sweep',
  alerts: 'nsm_alerts',
} as const;

/** Everything the pipeline's resources are built from, validated and with defaults applied. */
export interface PipelineSettings {
  readonly configFile: string;
  /** File name of the config inside the bundle: `nsm.config.yaml` or `nsm.config.json`. */
  readonly bundledConfigName: string;
  readonly lake: S3Location;
  readonly lakeFormat: 'json' | 'parquet';
  readonly partition: string;
  readonly eventColumns: readonly GlueColumn[];
  /** Columns of the `nsm_state_daily` table: fixed ones, then one sum per `sum` property. */
  readonly stateDailyColumns: readonly GlueColumn[];
  readonly results: S3Location;
  readonly createResultsBucket: boolean;
  readonly database: string;
  readonly eventsTable: string;
  readonly workgroup: string;
  readonly bytesScannedCutoff: number;
  readonly scheduleExpression: string;
  readonly timezone: string;
  /** The config's five-field cron, for messages. */
  readonly schedule: string;
  /** The longest time between two scheduled nights, in minutes (`Infinity`: under two a year). */
  readonly scheduleGapMinutes: number;
  readonly emails: readonly string[];
  readonly phoneNumbers: readonly string[];
  readonly opsEmails: readonly string[];
  readonly reserveConcurrency: boolean;
  readonly memorySize: number;
  /** `lake.first_day`: where every table's partition projection starts. */
  readonly firstDay: string;
  /** The missed-night alarm's window; `undefined` when the schedule's gaps exceed what CloudWatch evaluates. */
  readonly missedNightHours: number | undefined;
  /** Point the account's SMS delivery-status logging at a role of the stack (only with SMS subscribers). */
  readonly smsDeliveryStatusLogging: boolean;
  readonly athenaResultsExpirationDays: number;
  readonly logRetention: RetentionDays;
  readonly entry: string;
}

const GIB = 1024 ** 3;
// Glue folds database and table names to lower case; a mixed-case name would drift from the stack.
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

/**
 * @throws ConfigError naming the config file and field for a config unfit for a cloud deploy;
 *   Error for invalid props.
 */
export function resolveSettings(props: NsmPipelineProps): PipelineSettings {
  const { config } = props;
  const file = config.source;
  const bad = (field: string, problem: string): never => {
    throw new ConfigError(file, field, problem);
  };
  const check = (field: string, problem: string | undefined): void => {
    if (problem !== undefined) bad(field, problem);
  };

  const lake = s3Location(config.lake.location, 'lake.location', bad);
  const results = s3Location(config.results.location, 'results.location', bad);
  if (lake.bucket === results.bucket && lake.prefix === results.prefix) {
    bad('results.location', `must differ from lake.location (${config.lake.location})`);
  }

  // Partition projection starts here: Athena never sees an earlier day, so there is no safe default
  // (a later day silently drops history; an earlier one makes every unbounded query list more
  // empty day folders, and the synth cannot know when the lake starts).
  const firstDay =
    config.lake.first_day ??
    bad(
      'lake.first_day',
      "is required for a cloud deploy: the lake's first day (YYYY-MM-DD), where Athena's partition projection starts; Athena never reads an earlier day",
    );
  if (!isIsoDay(firstDay)) bad('lake.first_day', `must be a day written YYYY-MM-DD, got ${firstDay}`);
  // The projection ends tomorrow (UTC), so a first day after that would leave it empty.
  const now = new Date();
  if (firstDay > addDays(dayInZone(now, 'UTC'), 1)) {
    bad('lake.first_day', `${firstDay} is after tomorrow (UTC): Athena's partition projection would hold no day`);
  }

  const athena = config.lake.athena ?? bad('lake.athena', 'is required for a cloud deploy (database, table, workgroup)');
  if (!GLUE_NAME.test(athena.database)) {
    bad('lake.athena.database', `must be lower case letters, digits and _ for Glue, got ${athena.database}`);
  }
  if (!GLUE_NAME.test(athena.table)) {
    bad('lake.athena.table', `must be lower case letters, digits and _ for Glue, got ${athena.table}`);
  }
  if ((Object.values(RESULTS_TABLES) as string[]).includes(athena.table)) {
    bad('lake.athena.table', `${athena.table} is the name of a results table the stack creates; choose another`);
  }
  if ((Object.values(STATE_TABLES) as string[]).includes(athena.table)) {
    bad('lake.athena.table', `${athena.table} is the name of a state table the stack creates; choose another`);
  }
  // The config loader's own rules first (a config built in code has not been through it), with its messages.
  check('lake.athena.workgroup', workgroupProblem(athena.workgroup));
  if (athena.workgroup === 'primary') {
    bad('lake.athena.workgroup', 'must not be "primary": the stack creates and owns its workgroup');
  }
  check('lake.athena.bytes_scanned_cutoff_gb', scanCutoffProblem(athena.bytes_scanned_cutoff_gb));
  const bytesScannedCutoff = Math.round(athena.bytes_scanned_cutoff_gb * GIB);

  let scheduleExpression = '';
  try {
    scheduleExpression = toSchedulerCron(config.schedule);
  } catch (e) {
    bad('schedule', (e as Error).message);
  }
  check('timezone', timezoneProblem(config.timezone));
  // Measured over two years from this January, so a synth does not change with the day it runs.
  const scheduleGapMinutes = longestGapMinutes(config.schedule, config.timezone, new Date(Date.UTC(now.getUTCFullYear(), 0, 1)));

  for (const [i, a] of config.alerts.email.entries()) check(`alerts.email[${i}]`, emailProblem(a));
  for (const [i, n] of config.alerts.sms.entries()) check(`alerts.sms[${i}]`, phoneProblem(n));

  let columns: GlueColumn[] = [];
  try {
    columns = eventColumns(config.lake, config.metrics, props.lakeColumnTypes, config.segments?.dimensions);
  } catch (e) {
    bad('lake.columns', (e as Error).message);
  }
  let stateColumns: GlueColumn[] = [];
  try {
    stateColumns = stateDailyColumns(config.metrics, config.segments?.dimensions);
  } catch (e) {
    bad('metrics', (e as Error).message);
  }

  const configFile = resolve(props.configFile ?? config.source);
  if (!existsSync(configFile)) {
    throw new Error(`NsmPipeline: the config file to bundle does not exist: ${configFile} (set configFile)`);
  }
  const ext = extname(configFile).toLowerCase();
  const bundledConfigName = ext === '.json' ? 'nsm.config.json' : 'nsm.config.yaml';

  const memorySize = props.memorySize ?? 1024;
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
    throw new Error(`NsmPipeline: memorySize must be a whole number of MB from 128 to 10240, got ${memorySize}`);
  }
  const missedNightHours = missedNightWindow(
    props.missedNightHours,
    scheduleGapMinutes,
    `schedule "${config.schedule}" in ${config.timezone}`,
  );
  const athenaResultsExpirationDays = props.athenaResultsExpirationDays ?? 30;
  if (!Number.isInteger(athenaResultsExpirationDays) || athenaResultsExpirationDays < 1) {
    throw new Error(`NsmPipeline: athenaResultsExpirationDays must be a whole number >= 1, got ${athenaResultsExpirationDays}`);
  }
  const opsEmails = props.opsEmails ?? config.alerts.email;
  for (const a of opsEmails) check('opsEmails', emailProblem(a));

  return {
    configFile,
    bundledConfigName,
    lake,
    lakeFormat: config.lake.format,
    partition: config.lake.partition.toLowerCase(),
    eventColumns: columns,
    stateDailyColumns: stateColumns,
    results,
    createResultsBucket: props.createResultsBucket ?? false,
    database: athena.database,
    eventsTable: athena.table,
    workgroup: athena.workgroup,
    bytesScannedCutoff,
    scheduleExpression,
    timezone: config.timezone,
    schedule: config.schedule,
    scheduleGapMinutes,
    emails: config.alerts.email,
    phoneNumbers: config.alerts.sms,
    opsEmails,
    reserveConcurrency: props.reserveConcurrency ?? true,
    memorySize,
    firstDay,
    missedNightHours,
    smsDeliveryStatusLogging: (props.smsDeliveryStatusLogging ?? true) && config.alerts.sms.length > 0,
    athenaResultsExpirationDays,
    logRetention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    entry: resolve(props.entry ?? resolve(PROJECT_ROOT, 'functions/nightly/handler.ts')),
  };
}

/**
 * The missed-night window: derived from the schedule's longest gap, or the props' value when that
 * is longer. A shorter window would alarm on every long gap, and none can exceed CloudWatch's 168
 * hours.
 */
function missedNightWindow(requested: number | undefined, gapMinutes: number, schedule: string): number | undefined {
  const derived = missedNightWindowHours(gapMinutes);
  if (requested === undefined) return derived;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_ALARM_HOURS) {
    throw new Error(`NsmPipeline: missedNightHours must be a whole number from 1 to ${MAX_ALARM_HOURS}, got ${requested}`);
  }
  if (derived === undefined) {
    throw new Error(
      `NsmPipeline: missedNightHours cannot watch ${schedule}: it ${describeGap(gapMinutes)}, and CloudWatch alarms look back ${MAX_ALARM_HOURS} hours at most`,
    );
  }
  if (requested < derived) {
    throw new Error(
      `NsmPipeline: missedNightHours must be at least ${derived} for ${schedule} (its longest gap, ${gapHours(gapMinutes)}, plus ${MISSED_NIGHT_SLACK_HOURS} hours of slack), got ${requested}`,
    );
  }
  return requested;
}

function s3Location(uri: string, field: string, bad: (field: string, problem: string) => never): S3Location {
  if (!isS3Uri(uri)) bad(field, `must be an s3:// URI for a cloud deploy, got ${uri}`);
  try {
    return parseS3Uri(uri, field);
  } catch (e) {
    // Core's message already starts with the field.
    return bad('', (e as Error).message);
  }
}
