/**
 * `NsmPipeline`: the whole nightly pipeline of docs/design.md §1 in AWS, from one parsed config.
 * The schedule invokes the `nightly` function, which queries the lake through Athena, writes the
 * results layout to S3 and publishes alerts to SNS; alarms watch it; IAM is scoped per resource.
 *
 * Props are validated first (see `resolveSettings`), so an unfit config fails synth with a
 * message naming the field before any resource exists.
 */
import { Annotations } from 'aws-cdk-lib';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BackfillMachine } from './backfill-machine';
import { grantNightlyAccess } from './nightly-access';
import { NightlyFunction } from './nightly-function';
import { NightlySchedule } from './nightly-schedule';
import { NsmAlarms } from './nsm-alarms';
import { NsmCatalog } from './nsm-catalog';
import { NsmTopics } from './nsm-topics';
import type { NsmPipelineProps } from './pipeline-props';
import { type PipelineSettings, PROJECT_ROOT, resolveSettings } from './pipeline-settings';
import { ResultsBucket } from './results-bucket';
import { describeGap, MAX_ALARM_HOURS } from './schedule-gap';
import { SmsDeliveryLogging } from './sms-delivery-logging';

export type { NsmPipelineProps } from './pipeline-props';

export class NsmPipeline extends Construct {
  /** Validated props with every default applied. */
  readonly settings: PipelineSettings;
  readonly nightly: NightlyFunction;
  readonly schedule: NightlySchedule;
  /** Backfills and first nights as bounded steps (Step Functions). */
  readonly backfill: BackfillMachine;
  readonly catalog: NsmCatalog;
  readonly topics: NsmTopics;
  readonly alarms: NsmAlarms;
  /** SMS delivery-status logging, when the config texts anyone and it is not turned off. */
  readonly smsDeliveryLogging: SmsDeliveryLogging | undefined;
  /** The lake bucket, imported by name: the stack never changes it. */
  readonly lakeBucket: IBucket;
  readonly resultsBucket: ResultsBucket;

  constructor(scope: Construct, id: string, props: NsmPipelineProps) {
    super(scope, id);
    const s = resolveSettings(props);
    this.settings = s;

    if (props.config.alerts.sns_topic_arn) {
      Annotations.of(this).addInfo(
        `alerts.sns_topic_arn (${props.config.alerts.sns_topic_arn}) is not used in the cloud: the function publishes to the topic this stack creates (NSM_SNS_TOPIC_ARN wins).`,
      );
    }

    this.lakeBucket = Bucket.fromBucketName(this, 'LakeBucket', s.lake.bucket);
    this.resultsBucket = new ResultsBucket(this, 'Results', {
      location: s.results,
      create: s.createResultsBucket,
      athenaResultsExpirationDays: s.athenaResultsExpirationDays,
    });
    this.catalog = new NsmCatalog(this, 'Catalog', {
      database: s.database,
      eventsTable: s.eventsTable,
      lake: s.lake,
      lakeFormat: s.lakeFormat,
      partition: s.partition,
      eventColumns: s.eventColumns,
      results: s.results,
      stateDailyColumns: s.stateDailyColumns,
      firstDay: s.firstDay,
      workgroup: s.workgroup,
      bytesScannedCutoff: s.bytesScannedCutoff,
    });
    this.topics = new NsmTopics(this, 'Topics', {
      emails: s.emails,
      phoneNumbers: s.phoneNumbers,
      opsEmails: s.opsEmails,
    });

    this.nightly = new NightlyFunction(this, 'Nightly', {
      entry: s.entry,
      projectRoot: PROJECT_ROOT,
      configFile: s.configFile,
      bundledConfigName: s.bundledConfigName,
      memorySize: s.memorySize,
      reserveConcurrency: s.reserveConcurrency,
      logRetention: s.logRetention,
      environment: {
        NSM_RESULTS_BUCKET: s.results.bucket,
        NSM_RESULTS_PREFIX: s.results.prefix,
        NSM_SNS_TOPIC_ARN: this.topics.alerts.topicArn,
        NSM_ATHENA_WORKGROUP: s.workgroup,
        NSM_ATHENA_DATABASE: s.database,
        NSM_ATHENA_TABLE: s.eventsTable,
        POWERTOOLS_SERVICE_NAME: 'nsm-nightly',
      },
    });
    // The function must not run before the catalog and workgroup it queries exist.
    this.nightly.function.node.addDependency(this.catalog);

    grantNightlyAccess(this.nightly.role, {
      lake: s.lake,
      results: s.results,
      workgroupArn: this.catalog.workgroupArn,
      glueArns: this.catalog.glueArns,
      alertsTopic: this.topics.alerts,
    });

    this.schedule = new NightlySchedule(this, 'Schedule', {
      target: this.nightly.function,
      expression: s.scheduleExpression,
      timezone: s.timezone,
    });

    this.backfill = new BackfillMachine(this, 'Backfill', {
      function: this.nightly.function,
      failureTopic: this.topics.ops,
      failureTopicKey: this.topics.key,
      logRetention: s.logRetention,
    });

    this.alarms = new NsmAlarms(this, 'Alarms', {
      function: this.nightly.function,
      deadLetterQueues: {
        FailedNights: this.nightly.deadLetterQueue,
        UndeliveredSchedule: this.schedule.deadLetterQueue,
      },
      topic: this.topics.ops,
      missedNightHours: s.missedNightHours,
      noMissedNightReason: `schedule "${s.schedule}" (${s.timezone}) ${describeGap(s.scheduleGapMinutes)}; CloudWatch alarms look back ${MAX_ALARM_HOURS / 24} days at most, so there is no missed-night alarm (function errors and dead letters are still alarmed)`,
    });

    this.smsDeliveryLogging = s.smsDeliveryStatusLogging
      ? new SmsDeliveryLogging(this, 'SmsDeliveryLogging', { logRetention: s.logRetention })
      : undefined;
  }
}
