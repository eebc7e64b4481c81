/**
 * The `nightly` Lambda (docs/design.md §4): the handler bundled by esbuild with the config file beside
 * it, its own role and log group, and a dead-letter queue for nights that fail after Lambda's
 * asynchronous retries.
 */
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Where Lambda unpacks a zip function (`LAMBDA_TASK_ROOT`). */
export const LAMBDA_TASK_ROOT = '/var/task';

export interface NightlyFunctionProps {
  readonly entry: string;
  /** Repository root: esbuild's working directory and where `package-lock.json` lives. */
  readonly projectRoot: string;
  /** Config file copied into the bundle as `bundledConfigName`. */
  readonly configFile: string;
  readonly bundledConfigName: string;
  readonly memorySize: number;
  readonly reserveConcurrency: boolean;
  readonly logRetention: RetentionDays;
  /** Variables besides `NSM_CONFIG_PATH`, which this construct sets. */
  readonly environment: Readonly<Record<string, string>>;
}

/** POSIX shell quoting for a path in a bundling command hook. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class NightlyFunction extends Construct {
  readonly function: NodejsFunction;
  /** The function's execution role; it starts with nothing but writing its own logs. */
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Invocation records of nights that failed after every asynchronous retry. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: NightlyFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // An explicit role instead of the default one, whose AWSLambdaBasicExecutionRole managed
    // policy may write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'nsm-nightly: runs one night of the North Star Metric pipeline',
    });
    this.logGroup.grantWrite(this.role);

    this.deadLetterQueue = new Queue(this, 'FailedNights', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of failed asynchronous invocations of the nightly function.',
    });

    const configName = props.bundledConfigName;
    this.function = new NodejsFunction(this, 'Function', {
      description: 'nsm-nightly: metrics, candidate lifts and drop alerts for one night',
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      // Lambda's maximum: a night is a handful of Athena queries, each waited on.
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: props.reserveConcurrency ? 1 : undefined,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        NSM_CONFIG_PATH: `${LAMBDA_TASK_ROOT}/${configName}`,
        // Stack traces point into the TypeScript sources (the bundle ships index.mjs.map).
        NODE_OPTIONS: '--enable-source-maps',
      },
      // A failed night throws; Lambda retries it twice, then records it in the queue.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        // Errors name themselves after their class (`NsmError`: this.name = new.target.name);
        // without this, minified logs would say "Je" instead of "InputError".
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // Bundle the AWS SDK v3 too (the runtime's copy is not pinned by our lock file), so the
        // external list is empty. The CLI is not imported by the handler at all, and DuckDB only
        // behind this constant: the composition root's embedded-engine branch becomes dead code
        // that esbuild drops (functions/wiring/open-pipeline.ts), so DuckDB never ships to Lambda.
        externalModules: [],
        define: { 'process.env.NSM_BUNDLE': JSON.stringify('lambda') },
        // Some bundled CommonJS dependencies call require(); ESM output needs one.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // The config travels with the code, beside index.mjs (docs/design.md §4).
          afterBundling: (_inputDir: string, outputDir: string) => [
            `cp ${shellQuote(props.configFile)} ${shellQuote(join(outputDir, configName))}`,
          ],
        },
      },
    });

    // cfn-lint W3005 ("dependency already enforced by a GetAtt"): CDK's Function adds its role to
    // DependsOn besides reading the role's ARN; the duplicate edge is harmless to CloudFormation
    // and comes from aws-lambda, not from us. Acknowledged on the resource, as cfn-lint reads it.
    (this.function.node.defaultChild as CfnFunction).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: it is an LTS runtime Lambda supports until 2027 and the bundle targets node22; Node.js 24 has not been tested with this handler.',
    });
  }
}
