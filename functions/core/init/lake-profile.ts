/** What `nsm init` learns of a lake, and the column mapping it guesses from it (pure). */
import type { LakeColumn, LakeEventName } from '../pipeline/inspect-lake';

/** A lake as profiled by `nsm init`. */
export interface LakeProfile {
  /** The lake's location as the config will name it (relative to the config's folder, or absolute). */
  readonly location: string;
  readonly format: 'json' | 'parquet';
  /** The Hive partition key whose values are the days. */
  readonly partition: string;
  readonly firstDay: string;
  readonly lastDay: string;
  /** Days with a partition folder. */
  readonly days: number;
  readonly files: number;
  /** The lake's columns (the partition key excluded) and their types. */
  readonly columns: readonly LakeColumn[];
  /** Every event name, most frequent first. */
  readonly events: readonly LakeEventName[];
  /** New users' events (see newUserEventsSql); empty until the columns are known. */
  readonly newUserEvents: readonly NewUserEvent[];
  /**
   * A lake in S3 is profiled from a sample of its newest days: `files`, `columns`, `events` and
   * `newUserEvents` are the sample's (`firstDay`, `lastDay` and `days` stay the whole lake's).
   * Absent for a local lake, which is read whole.
   */
  readonly sample?: LakeSample;
}

/** The days of a lake that a profile read. */
export interface LakeSample {
  readonly firstDay: string;
  readonly lastDay: string;
  readonly days: number;
  readonly files: number;
  readonly bytes: number;
}

/** One event as new users meet it. */
export interface NewUserEvent {
  readonly event: string;
  readonly users: number;
  readonly day0: number;
  readonly early: number;
  readonly newcomers: number;
}

/** The lake columns a config maps, guessed from names and types. */
export interface GuessedColumns {
  readonly user: string;
  readonly account: string | undefined;
  readonly event: string;
  readonly time: string | undefined;
}

const TEXT = /^(VARCHAR|STRING|CHAR|TEXT|ENUM)/i;
const WHOLE = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UUID)/i;
const NUMBER = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DECIMAL|NUMERIC|REAL|FLOAT|DOUBLE)/i;
const TIME = /^(TIMESTAMP|DATE)/i;

const USER = ['user_id', 'userid', 'uid', 'user', 'distinct_id', 'member_id', 'person_id', 'customer_id', 'anonymous_id', 'actor_id'];
const ACCOUNT = [
  'account_id',
  'accountid',
  'account',
  'org_id',
  'organization_id',
  'team_id',
  'workspace_id',
  'company_id',
  'tenant_id',
  'group_id',
];
const EVENT = ['event_name', 'event', 'eventname', 'event_type', 'name', 'action', 'type'];
const TIMES = ['event_time', 'timestamp', 'event_timestamp', 'ts', 'time', 'occurred_at', 'created_at', 'sent_at'];

/** The first column whose lower-cased name is in `names` (in `names`' order) and whose type fits, else one whose name contains `part`. */
function pick(
  columns: readonly LakeColumn[],
  names: readonly string[],
  fits: (type: string) => boolean,
  part?: RegExp,
): string | undefined {
  const usable = columns.filter((c) => fits(c.type));
  for (const name of names) {
    const hit = usable.find((c) => c.name.toLowerCase() === name);
    if (hit) return hit.name;
  }
  return part ? usable.find((c) => part.test(c.name))?.name : undefined;
}

/** Guesses the user, account, event and time columns; undefined for user or event means none fits. */
export function guessColumns(columns: readonly LakeColumn[]): Partial<GuessedColumns> {
  const id = (t: string) => TEXT.test(t) || WHOLE.test(t);
  const user = pick(columns, USER, id, /user|member|customer/i);
  const rest = columns.filter((c) => c.name !== user);
  const account = pick(rest, ACCOUNT, id, /account|org|team|workspace|company|tenant/i);
  const event = pick(
    rest.filter((c) => c.name !== account),
    EVENT,
    (t) => TEXT.test(t),
    /event/i,
  );
  const time = pick(columns, TIMES, (t) => TIME.test(t) || TEXT.test(t) || WHOLE.test(t), /time|_ts$|^ts_|_at$/i);
  return { user, account, event, time };
}

/** Numeric columns that are none of the mapped ones: what a `sum` metric could add up. */
export function numericProperties(columns: readonly LakeColumn[], mapped: GuessedColumns): LakeColumn[] {
  const taken = new Set([mapped.user, mapped.account, mapped.event, mapped.time].filter(Boolean));
  return columns.filter((c) => NUMBER.test(c.type) && !taken.has(c.name));
}

/** How much of an S3 lake `nsm init` copies to profile it. */
export interface S3SampleLimits {
  /** The newest days copied (whole days). */
  readonly days: number;
  /** Bytes copied at most (the newest day is copied whole in any case). */
  readonly bytes: number;
}

/** Copy the newest 28 days, up to 512 MiB: enough for weekly metrics and a first week of new users. */
export const DEFAULT_S3_SAMPLE: S3SampleLimits = { days: 28, bytes: 512 * 1024 * 1024 };
