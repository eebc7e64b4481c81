/**
 * Assembles the CDK app from a loaded config and the `-c` context flags: the one stack and the
 * cdk-nag AwsSolutions checks. Kept apart from `app.ts` (which reads the file) so tests build
 * exactly what `cdk synth` builds.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { NsmConfig } from '../functions/core/config/types';
import { NsmStack } from './nsm-stack';
import type { NsmPipelineProps } from './pipeline-props';

/** Context keys the app reads (`npx cdk deploy -c key=value`). */
export const CONTEXT = {
  /** Config file; default `nsm.config.yaml`. */
  config: 'config',
  /** `true`: create the results bucket named in results.location; default false (use the existing one). */
  createResultsBucket: 'createResultsBucket',
  /** `false`: no reserved concurrency (accounts that cannot reserve); default true. */
  reserveConcurrency: 'reserveConcurrency',
  /** `false`: leave the account's SMS delivery-status logging alone; default true (with SMS subscribers). */
  smsDeliveryStatusLogging: 'smsDeliveryStatusLogging',
  /** CloudFormation stack name; default `NsmNightly`. */
  stackName: 'stackName',
} as const;

export const DEFAULT_CONFIG_FILE = 'nsm.config.yaml';
/** The cloud config template in the repository (docs/deploy.md starts from it). */
export const EXAMPLE_CONFIG_FILE = 'examples/cloud.config.yaml';
export const DEFAULT_STACK_NAME = 'NsmNightly';

/**
 * A boolean context value: `-c key=true` arrives as the string `'true'`, a test's context as a
 * boolean. Anything else is a mistake worth stopping for, not a silent default.
 */
export function contextFlag(app: App, key: string, fallback: boolean): boolean {
  const raw: unknown = app.node.tryGetContext(key);
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(raw)}`);
}

/**
 * Adds the nsm-nightly stack for `config` to `app`, with cdk-nag's AwsSolutions pack.
 * @param overrides pipeline props beyond what the context sets (for tests and other entry points)
 */
export function buildNsmApp(app: App, config: NsmConfig, overrides: Partial<NsmPipelineProps> = {}): NsmStack {
  const stackName = (app.node.tryGetContext(CONTEXT.stackName) as string | undefined) ?? DEFAULT_STACK_NAME;
  const stack = new NsmStack(app, stackName, {
    pipeline: {
      config,
      createResultsBucket: contextFlag(app, CONTEXT.createResultsBucket, false),
      reserveConcurrency: contextFlag(app, CONTEXT.reserveConcurrency, true),
      smsDeliveryStatusLogging: contextFlag(app, CONTEXT.smsDeliveryStatusLogging, true),
      ...overrides,
    },
  });
  // Findings fail the synth; each accepted one is acknowledged on its resource with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
