/**
 * CloudWatch alarms on the pipeline itself, sent to the ops topic: the nightly function failed,
 * a dead-letter queue holds a night, or no night has succeeded for `missedNightHours`. The ops
 * topic's policy lets CloudWatch publish these alarms, and only these.
 */
import { Annotations, Aws, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface NsmAlarmsProps {
  readonly function: IFunction;
  /** Dead-letter queues whose depth must stay 0, by a name used in the alarm's id. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly topic: ITopic;
  /** Hours without a successful night before alarming; `undefined`: no missed-night alarm. */
  readonly missedNightHours: number | undefined;
  /** Why there is no missed-night alarm, as a synth warning (when `missedNightHours` is undefined). */
  readonly noMissedNightReason?: string;
}

export class NsmAlarms extends Construct {
  readonly errors: Alarm;
  /** Absent when the schedule's gaps exceed what CloudWatch can evaluate (see `./schedule-gap.ts`). */
  readonly missedNight: Alarm | undefined;
  readonly deadLetters: readonly Alarm[];

  constructor(scope: Construct, id: string, props: NsmAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const fiveMinutes = Duration.minutes(5);

    this.errors = new Alarm(this, 'Errors', {
      alarmDescription: 'nsm-nightly: an invocation of the nightly function failed (it may still succeed on retry)',
      metric: props.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.deadLetters = Object.entries(props.deadLetterQueues).map(
      ([name, queue]) =>
        new Alarm(this, `${name}Depth`, {
          alarmDescription: `nsm-nightly: the ${name} dead-letter queue holds a night that did not run; see docs/deploy.md`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );

    this.missedNight = props.missedNightHours === undefined ? undefined : this.missedNightAlarm(props.function, props.missedNightHours);
    if (!this.missedNight && props.noMissedNightReason) {
      Annotations.of(this).addWarningV2('nsm:noMissedNightAlarm', props.noMissedNightReason);
    }

    const alarms = [this.errors, ...(this.missedNight ? [this.missedNight] : []), ...this.deadLetters];
    for (const alarm of alarms) alarm.addAlarmAction(action);
    // Enforcing TLS gives the topic a policy of its own, which replaces SNS's default one; without
    // this Allow, CloudWatch (a service principal) is "not authorized to perform: SNS:Publish".
    // Conditions: this account's alarms, and these alarms by ARN (confused-deputy protection).
    props.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': alarms.map((a) => a.alarmArn) },
        },
      }),
    );
  }

  private missedNightAlarm(fn: IFunction, hours: number): Alarm {
    // Successful invocations per hour: Lambda publishes Errors (0 or more) with every
    // invocation, so the difference is missing only in hours without any invocation. Missing
    // counts as breaching, and the alarm needs every hour of the window to breach: it fires
    // when no invocation succeeded for `hours` hours, whatever the reason (schedule disabled,
    // throttled, every retry failed). The window is the schedule's longest gap plus slack, so a
    // Monday-Friday schedule does not alarm every weekend.
    const hour = Duration.hours(1);
    const successes = new MathExpression({
      label: 'Successful invocations',
      expression: 'invocations - errors',
      usingMetrics: {
        invocations: fn.metricInvocations({ period: hour, statistic: 'Sum' }),
        errors: fn.metricErrors({ period: hour, statistic: 'Sum' }),
      },
      period: hour,
    });
    return new Alarm(this, 'MissedNight', {
      alarmDescription: `nsm-nightly: no night succeeded in the last ${hours} hours (longer than the schedule ever waits between nights)`,
      metric: successes,
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }
}
