/**
 * The AWS side of `nsm run` from a laptop or CI: the Athena engine for `--engine athena`, the S3
 * store for an `s3://` results location, and the SNS notifier when a topic is configured
 * (`NSM_SNS_TOPIC_ARN` wins over `alerts.sns_topic_arn`, DESIGN.md §2). Whatever this returns as
 * undefined stays local (DuckDB, the results folder, the console + outbox notifier).
 *
 * Environment honoured: the standard AWS variables (credentials chain, AWS_REGION/AWS_PROFILE,
 * AWS_ENDPOINT_URL_S3/_ATHENA/_SNS: see adapters/aws-clients.ts), `NSM_SNS_TOPIC_ARN` and
 * `NSM_ATHENA_WORKGROUP/_DATABASE/_TABLE`. Not `NSM_RESULTS_BUCKET/_PREFIX`: on the command line
 * the results go where the config says, so a variable left in a shell cannot redirect them.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AthenaEngineEvent } from '../adapters/athena-engine';
import { buildAthenaClient, buildS3Client, buildSnsClient, type Env } from '../adapters/aws-clients';
import { type AthenaTuning, athenaEngineFor, resultStoreFor, snsNotifierFor } from '../adapters/cloud-adapters';
import { applyCloudEnv } from '../adapters/cloud-settings';
import type { Notifier } from '../core/alerts/notifier';
import type { NsmConfig } from '../core/config/types';
import type { QueryEngine } from '../core/engine';
import { InputError } from '../core/errors';
import type { ResultStore } from '../core/results/store';
import { isS3Uri } from '../core/s3-uri';

export interface CloudCliOptions {
  /** `--engine`. */
  readonly engine: 'duckdb' | 'athena';
  /** `--workgroup`, if the CLI offers it; wins over NSM_ATHENA_WORKGROUP and lake.athena.workgroup. */
  readonly workgroup?: string;
  /** @default process.env */
  readonly env?: Env;
  /** Progress lines (Athena query ids as they start, retries). */
  readonly log?: (line: string) => void;
  /** Polling/timeout settings of the Athena engine. */
  readonly athena?: AthenaTuning;
  /** Clients to use instead of building them from `env` (tests). */
  readonly clients?: { athena?: AthenaClient; s3?: S3Client; sns?: SNSClient };
}

export interface CloudCliAdapters {
  /** The config with the NSM_* overrides applied (use it for the run: `lake.athena`, the topic). */
  readonly config: NsmConfig;
  /** Athena for `--engine athena`; undefined for DuckDB. */
  readonly engine: QueryEngine | undefined;
  /** S3 for an `s3://` results location; undefined for a folder. */
  readonly store: ResultStore | undefined;
  /** SNS when a topic is configured; undefined otherwise. */
  readonly notifier: Notifier | undefined;
  /** Closes the engine and the SDK clients this built. */
  close(): Promise<void>;
}

function athenaLine(event: AthenaEngineEvent): string {
  switch (event.type) {
    case 'started':
      return `athena  ${event.query}  started ${event.queryId}${event.attempt ? ` (attempt ${event.attempt + 1})` : ''}`;
    case 'succeeded':
      return `athena  ${event.query}  ${event.queryId}  ${event.ms} ms  ${event.bytesScanned ?? '?'} bytes scanned`;
    case 'retry':
      return `athena  ${event.query}  retry in ${event.delayMs} ms: ${event.reason}`;
    case 'stopped':
      return `athena  ${event.query}  stopped ${event.queryId}: ${event.reason}`;
  }
}

/** The AWS adapters a command-line run needs (see the module comment). */
export function openCloudCliAdapters(config: NsmConfig, options: CloudCliOptions): CloudCliAdapters {
  const env = options.env ?? process.env;
  const { NSM_RESULTS_BUCKET: _bucket, NSM_RESULTS_PREFIX: _prefix, ...rest } = env;
  const effective = applyCloudEnv(config, options.workgroup ? { ...rest, NSM_ATHENA_WORKGROUP: options.workgroup } : rest);

  // Clients are built only for the services this run uses, and destroyed by close() only if built here.
  const built: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(given: T | undefined, build: () => T) => {
    let client = given;
    return () => {
      if (!client) {
        client = build();
        built.push(client);
      }
      return client;
    };
  };
  const athenaClient = lazy(options.clients?.athena, () => buildAthenaClient(env));
  const s3Client = lazy(options.clients?.s3, () => buildS3Client(env));
  const snsClient = lazy(options.clients?.sns, () => buildSnsClient(env));

  const store = isS3Uri(effective.results.location) ? resultStoreFor(effective, s3Client, env) : undefined;
  let engine: QueryEngine | undefined;
  if (options.engine === 'athena') {
    if (!effective.lake.athena) {
      throw new InputError(
        `${config.source}: lake.athena: --engine athena needs database, table and workgroup (or NSM_ATHENA_* variables)`,
      );
    }
    const log = options.log;
    engine = athenaEngineFor(
      effective,
      athenaClient(),
      { ...options.athena, ...(log ? { onEvent: (e: AthenaEngineEvent) => log(athenaLine(e)) } : {}) },
      store,
    );
  }
  const notifier = snsNotifierFor(effective, snsClient);
  return {
    config: effective,
    engine,
    store,
    notifier,
    close: async () => {
      await engine?.close();
      for (const client of built) client.destroy();
    },
  };
}
