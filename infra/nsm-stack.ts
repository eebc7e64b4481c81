/**
 * The deployable stack: one {@link NsmPipeline} and the outputs people need after `cdk deploy`
 * (where results land, which topic to watch, how to run one night by hand).
 */
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { STATE_TABLES } from '../functions/core/sql/state-tables';
import { NsmPipeline, type NsmPipelineProps } from './nsm-pipeline';
import { RESULTS_TABLES } from './pipeline-settings';
import { s3Url } from './s3-uri';

export interface NsmStackProps extends StackProps {
  readonly pipeline: NsmPipelineProps;
}

export class NsmStack extends Stack {
  readonly pipeline: NsmPipeline;

  constructor(scope: Construct, id: string, props: NsmStackProps) {
    super(scope, id, {
      description: 'nsm-nightly: nightly North Star Metric pipeline (Lambda, Scheduler, Athena, S3, SNS)',
      ...props,
    });
    const pipeline = new NsmPipeline(this, 'Pipeline', props.pipeline);
    this.pipeline = pipeline;
    const s = pipeline.settings;
    const fn = pipeline.nightly.function;

    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('ResultsBucket', pipeline.resultsBucket.bucket.bucketName, 'Bucket of the results layout (docs/design.md §3)');
    out('ResultsPrefix', s.results.prefix, 'Key prefix of the results layout in ResultsBucket');
    out('ResultsLocation', s3Url(s.results), 'Where the nightly results and latest.json are written');
    out('AlertsTopicArn', pipeline.topics.alerts.topicArn, 'SNS topic of the drop alerts (email, SMS)');
    out('OpsTopicArn', pipeline.topics.ops.topicArn, 'SNS topic of the CloudWatch alarms about the pipeline');
    out('AthenaWorkgroup', s.workgroup, 'Athena workgroup of the nightly queries');
    out('AthenaDatabase', s.database, 'Glue database of the events and results tables');
    out(
      'AthenaTables',
      [s.eventsTable, ...Object.values(RESULTS_TABLES), STATE_TABLES.daily, STATE_TABLES.entries]
        .map((t) => `${s.database}.${t}`)
        .join(' '),
      'Athena tables: the lake events; metrics, segments, candidates, sweep and alerts; the state rollups and entry days',
    );
    out('NightlyFunctionName', fn.functionName, 'The nightly Lambda function');
    out(
      'InvokeOneNight',
      Fn.join('', [
        'aws lambda invoke --function-name ',
        fn.functionName,
        ` --cli-binary-format raw-in-base64-out --cli-read-timeout 900 --payload '{"date":"YYYY-MM-DD"}' /dev/stdout`,
      ]),
      'Runs one night synchronously (replace YYYY-MM-DD); {"from":"…","to":"…"} runs up to 7 (backfill with StartBackfill). While a night runs, reserved concurrency 1 rejects it with 429: use InvokeOneNightAsync',
    );
    out(
      'InvokeOneNightAsync',
      Fn.join('', [
        'aws lambda invoke --function-name ',
        fn.functionName,
        ` --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{"date":"YYYY-MM-DD"}' /dev/stdout`,
      ]),
      'Queues one night (replace YYYY-MM-DD): it runs after any night in progress; follow it in the logs and runs/dt=D/run.json',
    );
    const machine = pipeline.backfill.stateMachine;
    out(
      'BackfillStateMachineArn',
      machine.stateMachineArn,
      'Step Functions state machine that runs a backfill or first night as bounded steps',
    );
    out(
      'StartBackfill',
      Fn.join('', [
        'aws stepfunctions start-execution --state-machine-arn ',
        machine.stateMachineArn,
        ` --input '{"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}'`,
      ]),
      'THE way to backfill (or run a first night over a long history): bounded steps, each its own invocation, retried; started again with the same input, it runs only what is left',
    );
    if (pipeline.smsDeliveryLogging) {
      out(
        'SmsDeliveryLogGroups',
        Fn.join(' ', [...pipeline.smsDeliveryLogging.logGroupNames]),
        'CloudWatch Logs groups where SNS logs every SMS delivery (success and failure); SNS creates them with the first text',
      );
    }
  }
}
