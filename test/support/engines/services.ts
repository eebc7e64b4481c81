/**
 * What an engine suite uses of the servers global-setup.ts started: Trino (waited for here), a Hive
 * catalog of the suite's own with the stack's Glue tables in it, and moto as S3 and SNS.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { mapLimit } from '../../../functions/core/concurrency';
import type { NsmConfig } from '../../../functions/core/config/types';
import { glueTablesOf, registerGlueTables } from './glue-tables';
import type { RecordingProxy } from './recording-proxy';
import { UNLOAD_SCHEMA } from './trino-athena';
import { TrinoClient } from './trino-client';
import { hiveCatalogSql } from './trino-server';

/** Credentials moto accepts (it checks none). */
export const MOTO_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** moto's endpoint. */
export const motoEndpoint = (): string => inject('motoEndpoint');

/** A short random suffix for names that must not collide with another suite's on the shared servers. */
export const uniqueSuffix = (): string => randomBytes(4).toString('hex');

/** Trino, once it answers (it may still be starting when the first suite asks). */
export async function trinoReady(): Promise<TrinoClient> {
  const endpoint = inject('trinoEndpoint');
  const deadline = Date.now() + 280_000;
  while (Date.now() < deadline) {
    try {
      const info = (await (await fetch(`${endpoint}/v1/info`)).json()) as { starting?: boolean };
      if (info.starting === false) return new TrinoClient(endpoint);
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const log = join(inject('trinoDir'), 'server.log');
  const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') : '(no log)';
  throw new Error(`Trino at ${endpoint} did not become ready; ${log}:\n${tail}`);
}

export interface SuiteCatalog {
  readonly trino: TrinoClient;
  /** The Trino catalog standing in for this suite's Glue Data Catalog. */
  readonly name: string;
}

/**
 * A Hive catalog for one suite, holding every Glue table the stack creates for `config` (see
 * glue-tables.ts), plus the schema UNLOAD's stand-in uses.
 */
export async function suiteCatalog(label: string, config: NsmConfig): Promise<SuiteCatalog> {
  const tables = glueTablesOf(config);
  const trino = await trinoReady();
  const name = `${label}_${uniqueSuffix()}`;
  const root = join(inject('trinoDir'), name);
  mkdirSync(join(root, 'metastore'), { recursive: true });
  registerGlueTables(join(root, 'metastore'), tables);
  await trino.query(hiveCatalogSql(name, root, motoEndpoint()));
  await trino.query(`CREATE SCHEMA "${name}"."${UNLOAD_SCHEMA}"`);
  return { trino, name };
}

export function s3Client(region = 'us-east-1'): S3Client {
  return new S3Client({
    region,
    endpoint: motoEndpoint(),
    forcePathStyle: true,
    credentials: MOTO_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function createBuckets(s3: S3Client, buckets: readonly string[]): Promise<void> {
  for (const bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Copies every file under `dir` to `s3://bucket/prefix/<relative path>`. */
export async function uploadFolder(s3: S3Client, dir: string, bucket: string, prefix: string): Promise<number> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  await mapLimit(files, 8, async (file) => {
    const key = `${prefix.replace(/\/+$/, '')}/${relative(dir, file).split(sep).join('/')}`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file) }));
  });
  return files.length;
}

/** A Publish request as the client sent it (seen by a recording proxy), with moto's answer. */
export interface PublishRequest {
  readonly topicArn: string;
  readonly message: string;
  readonly subject: string | null;
  readonly messageStructure: string | null;
  /** Message attributes: name → string value. */
  readonly attributes: Readonly<Record<string, string>>;
  /** moto's HTTP status (200: accepted). */
  readonly status: number;
}

/** The SNS Publish requests a recording proxy forwarded or answered, oldest first. */
export function publishRequests(proxy: RecordingProxy): PublishRequest[] {
  return proxy.requests
    .map((r) => ({ r, form: new URLSearchParams(r.body.toString('utf8')) }))
    .filter(({ r, form }) => r.method === 'POST' && form.get('Action') === 'Publish')
    .map(({ r, form }) => {
      const attributes: Record<string, string> = {};
      for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
        attributes[form.get(`MessageAttributes.entry.${n}.Name`)!] = form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
      }
      return {
        topicArn: form.get('TopicArn') ?? '',
        message: form.get('Message') ?? '',
        subject: form.get('Subject'),
        messageStructure: form.get('MessageStructure'),
        attributes,
        status: r.status,
      };
    });
}

/** A notification moto delivered to the topic's SQS subscription (SNS's JSON envelope). */
export interface Delivery {
  readonly messageId: string;
  readonly subject: string | null;
  /** The message's `sqs` entry, else its `default` for `MessageStructure: json` (the whole message otherwise). */
  readonly message: string;
  /** Message attributes: name → string value. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface TestTopic {
  readonly arn: string;
  /** Every notification delivered to the subscribed queue so far, in the order received. */
  delivered(): Promise<Delivery[]>;
  /**
   * Subscribes one more queue, with a subscription filter policy (as the stack gives its SMS
   * subscriptions): moto delivers to it only the messages the policy lets through.
   */
  subscribeFiltered(filterPolicy: Record<string, unknown>): Promise<{ delivered(): Promise<Delivery[]> }>;
  close(): void;
}

/** A queue subscribed to `topicArn` (with `filterPolicy`, if any), and what it received. */
async function subscribedQueue(
  sns: SNSClient,
  sqs: SQSClient,
  topicArn: string,
  queueName: string,
  filterPolicy?: Record<string, unknown>,
): Promise<{ delivered(): Promise<Delivery[]> }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn!,
      ...(filterPolicy ? { Attributes: { FilterPolicy: JSON.stringify(filterPolicy) } } : {}),
    }),
  );
  // Received messages are deleted from the queue, so they are kept here.
  const delivered: Delivery[] = [];
  return {
    delivered: async () => {
      for (;;) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (!Messages?.length) return [...delivered];
        for (const m of Messages) {
          const envelope = JSON.parse(m.Body!) as {
            MessageId: string;
            Subject?: string;
            Message: string;
            MessageAttributes?: Record<string, { Value: string }>;
          };
          delivered.push({
            messageId: envelope.MessageId,
            subject: envelope.Subject ?? null,
            message: envelope.Message,
            attributes: Object.fromEntries(Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value])),
          });
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
    },
  };
}

/**
 * An SNS topic on moto with an SQS queue subscribed: moto parses a `MessageStructure: json`
 * message only when it delivers it to a subscription (a message without `default` is then
 * rejected), and the queue shows what was delivered.
 */
export async function createTopic(region: string, name: string): Promise<TestTopic> {
  const endpoint = motoEndpoint();
  const sns = new SNSClient({ region, endpoint, credentials: MOTO_CREDENTIALS });
  const sqs = new SQSClient({ region, endpoint, credentials: MOTO_CREDENTIALS });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const copy = await subscribedQueue(sns, sqs, TopicArn!, `${name}-copy`);
  let filtered = 0;
  return {
    arn: TopicArn!,
    delivered: copy.delivered,
    subscribeFiltered: (filterPolicy) => subscribedQueue(sns, sqs, TopicArn!, `${name}-filtered-${++filtered}`, filterPolicy),
    close: () => {
      sqs.destroy();
      sns.destroy();
    },
  };
}
