/**
 * The nightly trigger: an EventBridge Scheduler schedule with the config's cron in the config's
 * time zone (so 06:00 stays 06:00 across daylight saving), invoking the function asynchronously,
 * with a retry policy and a dead-letter queue for invocations Scheduler could not deliver.
 */
import { Aws, type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface NightlyScheduleProps {
  readonly target: IFunction;
  /** A Scheduler `cron(...)` expression (see `toSchedulerCron`). */
  readonly expression: string;
  /** IANA time zone the cron is read in. */
  readonly timezone: string;
}

/**
 * The event the schedule sends: shaped like an EventBridge "Scheduled Event", so the handler
 * reads it as "yesterday in the config's time zone" (docs/design.md §4). `time` is the scheduled
 * time, not the delivery time, so a delayed retry still reports on the intended night.
 */
export function scheduledEventInput(): ScheduleTargetInput {
  return ScheduleTargetInput.fromObject({
    version: '0',
    id: ContextAttribute.executionId,
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    time: ContextAttribute.scheduledTime,
    resources: [ContextAttribute.scheduleArn],
    detail: {},
  });
}

export class NightlySchedule extends Construct {
  readonly schedule: Schedule;
  /** The role Scheduler assumes to invoke the function and write to the dead-letter queue. */
  readonly role: Role;
  /** Invocations Scheduler gave up delivering. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: NightlyScheduleProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the nightly schedule.',
    });

    // A role of our own (LambdaInvoke would otherwise create one at the stack's root), so the
    // one finding it carries is acknowledged right here.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'nsm-nightly: lets EventBridge Scheduler invoke the nightly function',
    });
    const fnResource = props.target.node.defaultChild as CfnElement;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fnResource)}.Arn>:*]`,
      reason:
        "LambdaInvoke's grantInvoke adds the function's qualified ARNs (function:*) beside the function ARN; the role can still invoke this one function only.",
    });

    const target = new LambdaInvoke(props.target, {
      role: this.role,
      input: scheduledEventInput(),
      deadLetterQueue: this.deadLetterQueue,
      // Delivery retries (throttling, a service hiccup); failures inside a night are retried
      // by Lambda's own asynchronous retries instead.
      retryAttempts: 10,
      maxEventAge: Duration.hours(6),
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'nsm-nightly: run the night that just ended',
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timezone)),
      target,
    });
  }
}
