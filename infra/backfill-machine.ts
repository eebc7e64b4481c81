/**
 * The backfill state machine (Step Functions, Standard): runs a backfill or a first night as a
 * sequence of bounded steps, each its own invocation of the nightly function, oldest first —
 *
 *   Plan → State steps (rollup batches, then the first night's snapshot chunks) → Nights → Done
 *
 * — with retries and backoff on every step and, when a step still fails, a message to the ops
 * topic. Started with `aws stepfunctions start-execution --input '{"from":"…","to":"…"}'`
 * (docs/deploy.md); the nightly schedule keeps invoking the function directly. What to run comes
 * from the function's plan step (functions/core/pipeline/backfill-plan.ts), made from the state
 * manifests and run.json files: an execution started again after a failure runs only what is left.
 *
 * The steps share the function's reserved concurrency of 1 with the schedule, so a step never
 * runs beside a night; while one runs, Lambda answers 429 and the step waits and retries.
 */
import { type CfnElement, type CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  DefinitionBody,
  Errors,
  Fail,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface BackfillMachineProps {
  /** The nightly function: every step is one invocation of it. */
  readonly function: IFunction;
  /** Where a failed execution is reported (the ops topic). */
  readonly failureTopic: ITopic;
  /** The topic's key: publishing to an encrypted topic needs a data key. */
  readonly failureTopicKey: IKey;
  readonly logRetention: RetentionDays;
}

/**
 * Errors a retry cannot fix: the function's one-line user errors (bad input, config, lake).
 * They name themselves after their class (functions/core/errors.ts; the bundle keeps names).
 */
export const UNRETRIED_ERRORS = ['InputError', 'ConfigError', 'LakeError'] as const;

export class BackfillMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BackfillMachineProps) {
    super(scope, id);
    const fn = props.function;

    /** One step: one synchronous invocation of the function with `payload`, retried with backoff. */
    const step = (stepId: string, payload: TaskInput, comment: string, outputPath?: string) => {
      const task = new LambdaInvoke(this, stepId, {
        lambdaFunction: fn,
        payload,
        comment,
        ...(outputPath ? { outputPath } : {}),
        // Our own retriers below replace CDK's default one.
        retryOnServiceExceptions: false,
      });
      task.addRetry({ errors: [...UNRETRIED_ERRORS], maxAttempts: 0 });
      // Reserved concurrency 1: the scheduled night (or Lambda's own async retry of it) holds the
      // function for up to 15 minutes. Waits of 1, 2, 4, 5, 5, … minutes: about 40 in all.
      task.addRetry({
        errors: ['Lambda.TooManyRequestsException'],
        interval: Duration.minutes(1),
        backoffRate: 2,
        maxDelay: Duration.minutes(5),
        maxAttempts: 10,
        jitterStrategy: JitterType.FULL,
      });
      // Anything else — an Athena query that failed, a night stopped at its deadline, a service
      // hiccup: what was built is kept (manifests), so the retry goes on from there.
      task.addRetry({ errors: [Errors.ALL], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 3 });
      return task;
    };

    const plan = step(
      'Plan',
      TaskInput.fromObject({ step: 'plan', input: JsonPath.entirePayload }),
      'What is left to build and run, from the state manifests and run.json files',
      // The plan (the function's return value) is the input of what follows.
      '$.Payload',
    );

    const stateSteps = new MapState(this, 'State steps', {
      comment: "The first night's rollups a batch at a time, then its first-entry snapshot one lake chunk at a time",
      itemsPath: '$.state',
      maxConcurrency: 1,
      resultPath: JsonPath.DISCARD,
    });
    stateSteps.itemProcessor(step('Build state', TaskInput.fromJsonPathAt('$'), 'One bounded state step'));

    const nights = new MapState(this, 'Nights', {
      comment: 'Every night still to run, oldest first, one invocation each',
      itemsPath: '$.nights',
      maxConcurrency: 1,
      itemSelector: {
        step: 'night',
        date: JsonPath.stringAt('$$.Map.Item.Value'),
        alerts_for: JsonPath.stringAt('$.alerts_for'),
      },
      resultPath: JsonPath.DISCARD,
    });
    nights.itemProcessor(step('Run night', TaskInput.fromJsonPathAt('$'), 'One night; alerts only for the newest night of the range'));

    const notify = new SnsPublish(this, 'Notify failure', {
      topic: props.failureTopic,
      subject: 'nsm-nightly: a backfill failed',
      message: TaskInput.fromText(
        JsonPath.format(
          'nsm-nightly backfill {} failed: {}: {} — fix the cause, then start an execution with the same input ({}): it runs only what is left.',
          JsonPath.stringAt('$$.Execution.Id'),
          JsonPath.stringAt('$.error.Error'),
          JsonPath.stringAt('$.error.Cause'),
          JsonPath.jsonToString(JsonPath.objectAt('$$.Execution.Input')),
        ),
      ),
      resultPath: JsonPath.DISCARD,
    });
    notify.next(new Fail(this, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' }));
    for (const state of [plan, stateSteps, nights]) state.addCatch(notify, { resultPath: '$.error' });

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'nsm-nightly: a backfill or first night as bounded steps; input {"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(plan.next(stateSteps).next(nights).next(new Succeed(this, 'Done'))),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    props.failureTopicKey.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey*');
    // cfn-lint W3005 ("dependency already enforced by a GetAtt"): CDK's StateMachine adds its role
    // to DependsOn besides reading the role's ARN; the duplicate edge is harmless to CloudFormation
    // and comes from aws-stepfunctions, not from us (as on the nightly function).
    (this.stateMachine.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    const fnResource = fn.node.defaultChild as CfnElement;
    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fnResource)}.Arn>:*]`,
        reason:
          "LambdaInvoke grants the function's qualified ARNs (function:*) beside the function ARN; the state machine can still invoke this one function only.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "On the ops topic's own key only: publishing the failure to an encrypted topic needs a data key, and the wildcard only spans the GenerateDataKey variants.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Logging to CloudWatch Logs (logs:*LogDelivery, Describe*) and X-Ray tracing (xray:Put*, Get*) support no resource-level permissions; AWS documents Resource "*" for them.',
      },
    );
  }
}
