import { describe, expect, it } from 'vitest';
import * as errors from '../../../functions/core/errors';
import { UNRETRIED_ERRORS } from '../../../infra/backfill-machine';
import { asList, flat, nightlyFunction, only, roleStatements, synthApp } from './synth';

const { template } = synthApp();
const machine = only(template, 'AWS::StepFunctions::StateMachine');
const fn = nightlyFunction(template).id;
const opsTopic = Object.keys(template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'NSM ops' } }))[0]!;
const key = only(template, 'AWS::KMS::Key').id;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  OutputPath?: string;
  ResultPath?: string | null;
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  MaxConcurrency?: number;
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
  Retry?: Retrier[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  ErrorPath?: string;
  CausePath?: string;
}
// The definition is a Fn::Join of JSON text and intrinsics; flattened, the intrinsics read <Id.Arn>.
const definition = JSON.parse(flat(machine.props.DefinitionString)) as { StartAt: string; States: Record<string, State> };
const states = definition.States;

/** The state names from StartAt along Next, as an execution that succeeds goes. */
function happyPath(): string[] {
  const path: string[] = [];
  for (let name: string | undefined = definition.StartAt; name; name = states[name]!.Next) path.push(name);
  return path;
}

const lambdaTasks = (): [string, State][] => [
  ['Plan', states.Plan!],
  ['Build state', states['State steps']!.ItemProcessor!.States['Build state']!],
  ['Run night', states.Nights!.ItemProcessor!.States['Run night']!],
];

describe('the backfill state machine', () => {
  it('is a Standard state machine that logs every event and traces', () => {
    expect(machine.props.StateMachineType).toBe('STANDARD');
    expect(machine.props.LoggingConfiguration.Level).toBe('ALL');
    expect(machine.props.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('runs Plan, then the state steps, then the nights, one at a time, oldest first as planned', () => {
    expect(happyPath()).toEqual(['Plan', 'State steps', 'Nights', 'Done']);
    expect(states.Done!.Type).toBe('Succeed');
    const stateSteps = states['State steps']!;
    const nights = states.Nights!;
    for (const map of [stateSteps, nights]) {
      expect(map.Type).toBe('Map');
      // One invocation at a time: the steps build on each other, and nights run in order.
      expect(map.MaxConcurrency).toBe(1);
      // Each step's output is dropped: the plan stays the input of what follows (and small).
      expect(map.ResultPath).toBeNull();
    }
    expect(stateSteps.ItemsPath).toBe('$.state');
    expect(nights.ItemsPath).toBe('$.nights');
    expect(nights.ItemSelector).toEqual({ step: 'night', 'date.$': '$$.Map.Item.Value', 'alerts_for.$': '$.alerts_for' });
  });

  it('invokes the nightly function synchronously for every step, with the payloads the handler reads', () => {
    for (const [name, task] of lambdaTasks()) {
      expect(task.Type, name).toBe('Task');
      expect(task.Resource, name).toBe('arn:<AWS::Partition>:states:::lambda:invoke');
      expect(task.Parameters?.FunctionName, name).toBe(`<${fn}.Arn>`);
    }
    expect(states.Plan!.Parameters?.Payload).toEqual({ step: 'plan', 'input.$': '$' });
    // The plan (the function's return value) is what the Maps read.
    expect(states.Plan!.OutputPath).toBe('$.Payload');
    expect(lambdaTasks()[1]![1].Parameters?.['Payload.$']).toBe('$');
    expect(lambdaTasks()[2]![1].Parameters?.['Payload.$']).toBe('$');
  });

  it('retries every step with backoff: not user errors, throttling for ~40 minutes, anything else 3 times', () => {
    for (const [name, task] of lambdaTasks()) {
      expect(task.Retry, name).toEqual([
        { ErrorEquals: ['InputError', 'ConfigError', 'LakeError'], MaxAttempts: 0 },
        {
          ErrorEquals: ['Lambda.TooManyRequestsException'],
          IntervalSeconds: 60,
          MaxAttempts: 10,
          BackoffRate: 2,
          MaxDelaySeconds: 300,
          JitterStrategy: 'FULL',
        },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 },
      ]);
    }
  });

  it('names every user error of the code, and only those, as not worth a retry', () => {
    const userErrors = Object.values(errors)
      .filter(
        (c): c is typeof errors.InputError =>
          typeof c === 'function' && (c === errors.InputError || c.prototype instanceof errors.InputError),
      )
      .map((c) => c.name)
      .sort();
    expect([...UNRETRIED_ERRORS].sort()).toEqual(userErrors);
    // A night stopped at its deadline is retried: it goes on from what it built.
    expect(UNRETRIED_ERRORS).not.toContain(new errors.DeadlineError('x').name);
    expect(new errors.ConfigError('f', 'a', 'b').name).toBe('ConfigError');
  });

  it('catches a failure of any step and sends it to the ops topic, then fails the execution', () => {
    for (const name of ['Plan', 'State steps', 'Nights']) {
      expect(states[name]!.Catch, name).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Notify failure' }]);
    }
    const notify = states['Notify failure']!;
    expect(notify.Resource).toBe('arn:<AWS::Partition>:states:::sns:publish');
    expect(notify.Parameters?.TopicArn).toBe(`<${opsTopic}>`);
    expect(notify.Parameters?.['Message.$']).toMatch(
      /^States\.Format\('.*', \$\$\.Execution\.Id, \$\.error\.Error, \$\.error\.Cause, States\.JsonToString\(\$\$\.Execution\.Input\)\)$/,
    );
    expect(notify.Next).toBe('Failed');
    expect(states.Failed).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('may invoke the nightly function and publish to the ops topic (with its key), nothing else but its logs and traces', () => {
    const roleId = (machine.props.RoleArn['Fn::GetAtt'] as string[])[0]!;
    const statements = roleStatements(template, roleId);
    const grants = statements.map((s) => `${asList(s.Action).join(',')} on ${asList(s.Resource).map(flat).join(',')}`);
    expect(grants.sort()).toEqual(
      [
        `lambda:InvokeFunction on <${fn}.Arn>,<${fn}.Arn>:*`,
        `sns:Publish on <${opsTopic}>`,
        `kms:Decrypt,kms:GenerateDataKey* on <${key}.Arn>`,
        'logs:CreateLogDelivery,logs:GetLogDelivery,logs:UpdateLogDelivery,logs:DeleteLogDelivery,logs:ListLogDeliveries,logs:PutResourcePolicy,logs:DescribeResourcePolicies,logs:DescribeLogGroups on *',
        'xray:PutTraceSegments,xray:PutTelemetryRecords,xray:GetSamplingRules,xray:GetSamplingTargets on *',
      ].sort(),
    );
  });

  it('gives the command that starts a backfill as a stack output', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(flat(outputs.StartBackfill?.Value)).toBe(
      `aws stepfunctions start-execution --state-machine-arn <${machine.id}> --input '{"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}'`,
    );
  });
});
