/** Props of the {@link NsmPipeline} construct (see `./nsm-pipeline.ts`). */
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { NsmConfig } from '../functions/core/config/types';

export interface NsmPipelineProps {
  /**
   * The parsed configuration (docs/design.md §2). A cloud deploy needs `lake.location` and
   * `results.location` as `s3://` URIs and a `lake.athena` section.
   */
  readonly config: NsmConfig;

  /**
   * The config file bundled into the Lambda as-is, YAML or JSON (docs/design.md §4: "the same YAML").
   *
   * @default config.source
   */
  readonly configFile?: string;

  /**
   * Create the results bucket named in `results.location` (retained on teardown) instead of
   * using an existing bucket of that name. The app sets it from `-c createResultsBucket=true`.
   *
   * @default false - the bucket must exist; the stack only grants on its prefix
   */
  readonly createResultsBucket?: boolean;

  /**
   * Reserve a concurrency of 1 for the nightly function so two nights never run at once (a
   * scheduled night, its retries and a backfill queue up instead). Some accounts cannot reserve
   * any (a new account's total limit of 10 is also its unreserved minimum): turn it off there.
   *
   * @default true
   */
  readonly reserveConcurrency?: boolean;

  /**
   * Memory of the nightly function in MB. The work is waiting on Athena and a few tens of
   * result rows, so memory mostly buys CPU for the cold start.
   *
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * Hive types for lake columns, keyed by the lake's column name, replacing the derived ones
   * (for example `{ duration_ms: 'bigint', event_time: 'timestamp' }` for a Parquet lake).
   *
   * @default - user, account, event and time are `string`; sum properties are `string` for JSON
   *   lakes and `double` for Parquet lakes (see `eventColumns` in `./glue-schema.ts`)
   */
  readonly lakeColumnTypes?: Readonly<Record<string, string>>;

  /**
   * Email addresses subscribed to the ops topic, which receives the CloudWatch alarms.
   *
   * @default config.alerts.email
   */
  readonly opsEmails?: readonly string[];

  /**
   * Hours without a successful invocation of the nightly function before the missed-night alarm
   * fires (at most 168, CloudWatch's limit). It may only lengthen the window derived from the
   * schedule: a shorter one would alarm on every long gap between nights.
   *
   * @default the schedule's longest gap between two nights in its time zone, in whole hours, plus
   *   2 (75 for `30 6 * * 1-5` in Europe/Berlin); no missed-night alarm when that exceeds 168 hours
   *   (a weekly schedule)
   */
  readonly missedNightHours?: number;

  /**
   * With SMS subscribers, point the account's SMS delivery-status logging (an account-wide SNS
   * setting) at a role of this stack, so every text's delivery or failure is logged in CloudWatch
   * Logs. Turn it off where someone else manages the account's SMS settings, or for all but one
   * of several stacks in an account. The app sets it from `-c smsDeliveryStatusLogging=false`.
   *
   * @default true
   */
  readonly smsDeliveryStatusLogging?: boolean;

  /**
   * Days Athena query results are kept under `<results prefix>/athena-results/`. Applies when
   * the stack creates the results bucket; an existing bucket keeps its own lifecycle rules.
   *
   * @default 30
   */
  readonly athenaResultsExpirationDays?: number;

  /**
   * How long the nightly function's logs are kept.
   *
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;

  /**
   * The handler's entry file.
   *
   * @default functions/nightly/handler.ts of this repository
   */
  readonly entry?: string;
}
