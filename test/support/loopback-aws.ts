/**
 * The loopback AWS the handler tests run the `nightly` Lambda against: the fake Athena server
 * (answering with `respond`, typically the DuckDB responder), s3rver with one results bucket, the
 * fake SNS with one topic, the SDK clients built for them, and the environment the stack would set
 * (`NSM_*`, endpoints; the credentials s3rver checks are stubbed into `process.env`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { vi } from 'vitest';
import { type AwsClients, buildAwsClients } from '../../functions/adapters/aws-clients';
import { FakeAthenaServer, type Responder } from './fake-athena-server';
import { FakeSnsServer } from './fake-sns-server';
import { type S3Server, startS3Server } from './s3-server';

export const LOOPBACK_BUCKET = 'nsm-results';
export const LOOPBACK_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:nsm-alerts';

export interface LoopbackAws {
  readonly athena: FakeAthenaServer;
  readonly s3: S3Server;
  readonly sns: FakeSnsServer;
  readonly clients: AwsClients;
  /** The Lambda's environment: config path, results bucket, topic, Athena names, endpoints. */
  readonly env: Record<string, string>;
  /** The text of `<prefix>/<key>` in the results bucket, or null when it is not there. */
  text(prefix: string, key: string): Promise<string | null>;
  /** Stops the servers and clients and unstubs the credentials. */
  close(): Promise<void>;
}

/** Starts the loopback AWS; s3rver keeps its files in `<dir>/s3`. */
export async function startLoopbackAws(dir: string, configPath: string, respond: Responder): Promise<LoopbackAws> {
  const athena = await FakeAthenaServer.start();
  athena.fallback(respond);
  await mkdir(join(dir, 's3'), { recursive: true });
  const s3 = await startS3Server(join(dir, 's3'), [LOOPBACK_BUCKET]);
  const sns = await FakeSnsServer.start([LOOPBACK_TOPIC]);
  // The SDK's default credential chain reads these (s3rver checks signatures).
  vi.stubEnv('AWS_ACCESS_KEY_ID', s3.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', s3.credentials.secretAccessKey);
  const env = {
    NSM_CONFIG_PATH: configPath,
    NSM_RESULTS_BUCKET: LOOPBACK_BUCKET,
    NSM_SNS_TOPIC_ARN: LOOPBACK_TOPIC,
    NSM_ATHENA_WORKGROUP: 'nsm',
    NSM_ATHENA_DATABASE: 'product_events',
    NSM_ATHENA_TABLE: 'events',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
  };
  const clients = buildAwsClients(env);
  return {
    athena,
    s3,
    sns,
    clients,
    env,
    text: async (prefix, key) => {
      try {
        const out = await clients.s3.send(new GetObjectCommand({ Bucket: LOOPBACK_BUCKET, Key: `${prefix}/${key}` }));
        return await out.Body!.transformToString();
      } catch {
        return null;
      }
    },
    close: async () => {
      vi.unstubAllEnvs();
      clients.athena.destroy();
      clients.s3.destroy();
      clients.sns.destroy();
      await athena.close();
      await s3.close();
      await sns.close();
    },
  };
}
