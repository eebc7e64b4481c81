/**
 * CloudWatch alarms on the pipeline itself, sent to the ops topic: the nightly function failed,
 * a dead-letter queue holds a night, or no night has succeeded for `missedNightHours`.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface NsmAlarmsProps {
  readonly function: IFunction;
  /** Dead-letter queues whose depth must stay 0, by a name used in the alarm's id. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly topic: ITopic;
  readonly missedNightHours: number;
}

export class NsmAlarms extends Construct {
  readonly errors: Alarm;
  readonly missedNight: Alarm;
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

    // Successful invocations per hour: Lambda publishes Errors (0 or more) with every
    // invocation, so the difference is missing only in hours without any invocation. Missing
    // counts as breaching, and the alarm needs every hour of the window to breach: it fires
    // when no invocation succeeded for `missedNightHours` hours, whatever the reason (schedule
    // disabled, throttled, every retry failed).
    const hour = Duration.hours(1);
    const successes = new MathExpression({
      label: 'Successful invocations',
      expression: 'invocations - errors',
      usingMetrics: {
        invocations: props.function.metricInvocations({ period: hour, statistic: 'Sum' }),
        errors: props.function.metricErrors({ period: hour, statistic: 'Sum' }),
      },
      period: hour,
    });
    this.missedNight = new Alarm(this, 'MissedNight', {
      alarmDescription: `nsm-nightly: no night succeeded in the last ${props.missedNightHours} hours`,
      metric: successes,
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: props.missedNightHours,
      datapointsToAlarm: props.missedNightHours,
      treatMissingData: TreatMissingData.BREACHING,
    });

    for (const alarm of [this.errors, this.missedNight, ...this.deadLetters]) alarm.addAlarmAction(action);
  }
}
