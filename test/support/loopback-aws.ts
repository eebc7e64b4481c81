/**
 * The loopback AWS the engine suites run the `nightly` Lambda against, as a deployment of the
 * stack would see it: the lake uploaded to an S3 bucket and a results bucket (moto), an SNS topic
 * (moto, with a recording proxy in front and an SQS queue subscribed), and per deployment — one
 * results prefix, as one stack — the fake Athena server executing every statement on Trino over
 * that deployment's own Glue tables (test/support/engines/), the SDK clients built for them, and
 * the environment the stack would set (`NSM_*`, endpoints; moto's credentials stubbed into
 * `process.env`).
 *
 * A deployment has a Trino catalog and a fake Athena server of its own because the stack's Glue
 * tables name its results location: the state tables of the prefix `a` read `a/state/…` only, as
 * on AWS, where two deployments are two stacks with two sets of tables.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { vi } from 'vitest';
import { type AwsClients, buildAwsClients } from '../../functions/adapters/aws-clients';
import type { NsmConfig } from '../../functions/core/config/types';
import { createNightlyHandler } from '../../functions/nightly/handler';
import { RecordingProxy } from './engines/recording-proxy';
import {
  createBuckets,
  createTopic,
  MOTO_CREDENTIALS,
  motoEndpoint,
  s3Client,
  suiteCatalog,
  type TestTopic,
  uniqueSuffix,
  uploadFolder,
} from './engines/services';
import { type TrinoResponderOptions, trinoResponder } from './engines/trino-athena';
import { FakeAthenaServer, type Responder } from './fake-athena-server';

/** The Athena names the stack's settings give the lake table (the handler reads them from its environment). */
export const LOOPBACK_ATHENA = { database: 'product_events', table: 'events', workgroup: 'nsm', bytes_scanned_cutoff_gb: 100 } as const;

export interface LoopbackAwsOptions {
  /** Names the suite's buckets, topic and Trino catalogs. */
  readonly label: string;
  /** The config file the Lambda bundles (its lake is the local folder uploaded to S3). */
  readonly configPath: string;
  /** That file's config, loaded. */
  readonly config: NsmConfig;
  /** The lake's first day: where the stack's partition projection of the events table starts. */
  readonly firstDay: string;
}

/** One deployment of the stack: its results prefix, Glue tables (a Trino catalog) and Athena. */
export interface LoopbackDeployment {
  readonly prefix: string;
  /** The fake Athena server of this deployment, running every statement on Trino. */
  readonly athena: FakeAthenaServer;
  /** Its Athena's responder (for a test's own rule that ends by running the statement as usual). */
  readonly respond: Responder;
  /** Every statement its Athena ran on Trino, in order (rewrites included). */
  readonly ran: { execution: string; sql: string }[];
  /** The Lambda's environment: config path, results bucket and prefix, topic, Athena names, endpoints. */
  readonly env: Record<string, string>;
  readonly clients: AwsClients;
  /** The text of `<prefix>/<key>` in the results bucket, or null when it is not there. */
  text(key: string): Promise<string | null>;
  /** The keys under `<prefix>/<folder>` in the results bucket, relative to the prefix. */
  keys(folder: string): Promise<string[]>;
}

export interface LoopbackAws {
  readonly bucket: string;
  readonly topic: TestTopic;
  /** Between the SNS client and moto: shows what was published. */
  readonly snsProxy: RecordingProxy;
  /** A deployment whose results live under `prefix` of the results bucket. */
  deploy(prefix: string, options?: Pick<TrinoResponderOptions, 'beforeStatement'>): Promise<LoopbackDeployment>;
  /** Stops every deployment's server and clients, the proxy and the queue client, and unstubs the credentials. */
  close(): Promise<void>;
}

/** Starts the loopback AWS: uploads the lake, creates the buckets and the topic. */
export async function startLoopbackAws(options: LoopbackAwsOptions): Promise<LoopbackAws> {
  const suffix = uniqueSuffix();
  const bucket = `nsm-results-${suffix}`;
  const lakeBucket = `nsm-lake-${suffix}`;
  const s3 = s3Client('eu-west-1');
  try {
    await createBuckets(s3, [bucket, lakeBucket]);
    await uploadFolder(s3, options.config.lake.location, lakeBucket, 'events');
  } finally {
    s3.destroy();
  }
  const topic = await createTopic('eu-west-1', `nsm-alerts-${options.label}-${suffix}`);
  const snsProxy = await RecordingProxy.start(motoEndpoint());
  // The SDK's default credential chain reads these.
  vi.stubEnv('AWS_ACCESS_KEY_ID', MOTO_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', MOTO_CREDENTIALS.secretAccessKey);
  const deployments: { athena: FakeAthenaServer; clients: AwsClients }[] = [];

  const deploy = async (
    prefix: string,
    deployOptions: Pick<TrinoResponderOptions, 'beforeStatement'> = {},
  ): Promise<LoopbackDeployment> => {
    const cloudConfig: NsmConfig = {
      ...options.config,
      lake: { ...options.config.lake, location: `s3://${lakeBucket}/events`, first_day: options.firstDay, athena: { ...LOOPBACK_ATHENA } },
      results: { location: `s3://${bucket}/${prefix}` },
    };
    const catalog = await suiteCatalog(options.label, cloudConfig);
    const ran: { execution: string; sql: string }[] = [];
    const athena = await FakeAthenaServer.start();
    const respond = trinoResponder(catalog.trino, { catalog: catalog.name, ran, ...deployOptions });
    athena.fallback(respond);
    const env = {
      NSM_CONFIG_PATH: options.configPath,
      NSM_RESULTS_BUCKET: bucket,
      NSM_RESULTS_PREFIX: prefix,
      NSM_SNS_TOPIC_ARN: topic.arn,
      NSM_ATHENA_WORKGROUP: LOOPBACK_ATHENA.workgroup,
      NSM_ATHENA_DATABASE: LOOPBACK_ATHENA.database,
      NSM_ATHENA_TABLE: LOOPBACK_ATHENA.table,
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
      AWS_ENDPOINT_URL_S3: motoEndpoint(),
      AWS_ENDPOINT_URL_SNS: snsProxy.endpoint,
    };
    const clients = buildAwsClients(env);
    deployments.push({ athena, clients });
    return {
      prefix,
      athena,
      respond,
      ran,
      env,
      clients,
      text: async (key) => {
        try {
          const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}` }));
          return await out.Body!.transformToString();
        } catch (err) {
          if ((err as { name?: string }).name === 'NoSuchKey') return null;
          throw err;
        }
      },
      keys: async (folder) => {
        const out: string[] = [];
        let token: string | undefined;
        do {
          const page = await clients.s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/${folder}`, ...(token ? { ContinuationToken: token } : {}) }),
          );
          for (const o of page.Contents ?? []) out.push(o.Key!.slice(prefix.length + 1));
          token = page.NextContinuationToken;
        } while (token);
        return out;
      },
    };
  };

  return {
    bucket,
    topic,
    snsProxy,
    deploy,
    close: async () => {
      vi.unstubAllEnvs();
      for (const d of deployments) {
        d.clients.athena.destroy();
        d.clients.s3.destroy();
        d.clients.sns.destroy();
        await d.athena.close();
      }
      topic.close();
      await snsProxy.close();
    },
  };
}

/** The `nightly` handler of a deployment, logging nothing and polling the fake Athena fast. */
export type LoopbackHandler = ReturnType<typeof createNightlyHandler>;

/** A deployment whose results go under `prefix` of the bucket, and its `nightly` handler. */
export async function deployHandler(aws: LoopbackAws, prefix: string): Promise<{ dep: LoopbackDeployment; handler: LoopbackHandler }> {
  const dep = await aws.deploy(prefix);
  const logger = new Logger({ logLevel: 'SILENT' });
  const handler = createNightlyHandler({ env: dep.env, clients: dep.clients, logger, athena: { pollInitialMs: 5, pollMaxMs: 20 } });
  return { dep, handler };
}
