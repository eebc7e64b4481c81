import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildNsmApp } from '../../../infra/build-app';
import { cloudConfig, newApp, synthApp, withConfig } from './synth';

// cdk-nag 3 is a policy validation plugin: it reports violations instead of adding annotations,
// so `Annotations.fromStack(...).findError(...)` would find nothing whatever the stack holds.
// The pack is run directly on the construct tree here (`validateScope`), which is exactly what
// `cdk synth` runs through `Validations.of(app).addPlugins(...)` (see infra/build-app.ts).
function findings(app: App) {
  return new AwsSolutionsChecks()
    .validateScope(app)
    .violations.filter((v) => v.severity === 'error' || v.severity === 'warning')
    .map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}

/** Every acknowledgement in the tree as `path: rule id`, with its reason. */
function acknowledgements(root: IConstruct): { where: string; id: string; reason: string }[] {
  const out: { where: string; id: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        // CDK records its own acknowledgements of its CloudFormation checks; only ours count here.
        if (!/^(annotation::)?AwsSolutions-/i.test(id)) continue;
        out.push({ where: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return out;
}

// Each case synthesizes a whole app: give a loaded CI machine room.
describe('cdk-nag AwsSolutions', { timeout: 120_000 }, () => {
  it('catches a violation in this harness (a queue without TLS enforcement or DLQ)', () => {
    const app = new App();
    new Queue(new Stack(app, 'Bad'), 'Q');
    expect(findings(app).join('\n')).toMatch(/AwsSolutions-SQS3 @ Bad\/Q\/Resource/);
  });

  it.each([
    ['the existing results bucket', {}, cloudConfig],
    ['a created results bucket', { createResultsBucket: 'true' }, cloudConfig],
    ['no reserved concurrency', { reserveConcurrency: 'false' }, cloudConfig],
    [
      'a Parquet lake at the bucket root, results at their bucket root, no alert recipients',
      { createResultsBucket: 'true' },
      withConfig((c) => {
        c.lake.format = 'parquet';
        c.lake.location = 's3://acme-product-events';
        c.results.location = 's3://acme-nsm-results';
        c.alerts.email = [];
        c.alerts.sms = [];
      }),
    ],
  ])('has no unacknowledged errors or warnings with %s', (_case, context, config) => {
    expect(findings(synthApp(config, context).app)).toEqual([]);
  });

  it('acknowledges only these findings, each on its own resource, each with a specific reason', () => {
    const { app } = synthApp(cloudConfig, { createResultsBucket: 'true' });
    const acks = acknowledgements(app);
    const fn = app.node.findAll().find((c) => c.node.path === 'NsmNightly/Pipeline/Nightly/Function/Resource')!;
    const fnLogicalId = Stack.of(fn).getLogicalId(fn as never);
    expect(acks.map((a) => `${a.where}: ${a.id}`).sort()).toEqual(
      [
        'NsmNightly/Pipeline/Nightly/Function: AwsSolutions-L1',
        'NsmNightly/Pipeline/Nightly/FailedNights: AwsSolutions-SQS3',
        'NsmNightly/Pipeline/Nightly/Role: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-product-events/events/v1/*]',
        'NsmNightly/Pipeline/Nightly/Role: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-nsm-results/nightly/*]',
        'NsmNightly/Pipeline/Nightly/Role: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-nsm-results/nightly/state/*]',
        'NsmNightly/Pipeline/Nightly/Role: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-nsm-results/nightly/lease/*]',
        'NsmNightly/Pipeline/Nightly/Role: AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'NsmNightly/Pipeline/Schedule/Undelivered: AwsSolutions-SQS3',
        `NsmNightly/Pipeline/Schedule/Role: AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
        `NsmNightly/Pipeline/Backfill/StateMachine/Role: AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
        'NsmNightly/Pipeline/Backfill/StateMachine/Role: AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'NsmNightly/Pipeline/Backfill/StateMachine/Role: AwsSolutions-IAM5[Resource::*]',
        'NsmNightly/Pipeline/Results/AccessLogs: AwsSolutions-S1',
        'NsmNightly/Pipeline/SmsDeliveryLogging/Role: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/*]',
        'NsmNightly/Pipeline/SmsDeliveryLogging/Switch/CustomResourcePolicy: AwsSolutions-IAM5[Resource::*]',
      ].sort(),
    );
    for (const a of acks) expect(a.reason.length, a.id).toBeGreaterThan(60);
  });

  it('fails `cdk synth` itself when a finding is not acknowledged', () => {
    const app = newApp();
    const stack = buildNsmApp(app, cloudConfig);
    new Queue(stack, 'Unprotected');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
