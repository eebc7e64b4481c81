/**
 * The AWS side of the composition root: the Athena engine, the S3 results store and the SNS
 * notifier over SDK clients built from the environment (adapters/aws-clients.ts) unless given.
 * `open-pipeline.ts` loads this module only when a run needs AWS: the SDK is most of a local
 * run's start-up.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { AthenaEngine, type AthenaEngineEvent, type AthenaEngineOptions } from '../adapters/athena-engine';
import { buildAthenaClient, buildS3Client, buildSnsClient, type Env } from '../adapters/aws-clients';
import { s3LakePartitionExists } from '../adapters/s3-lake-partitions';
import { S3ResultStore } from '../adapters/s3-result-store';
import { SnsNotifier } from '../adapters/sns-notifier';
import type { AthenaLakeConfig, LakeConfig } from '../core/config/types';
import type { ResultStore } from '../core/results/store';
import { isS3Uri } from '../core/s3-uri';
import type { Dialect } from '../core/sql/dialect';

/** Engine settings the config does not carry (timeouts, polling). */
export type AthenaTuning = Omit<
  AthenaEngineOptions,
  'dialect' | 'database' | 'workgroup' | 'clearStateFolder' | 'onEvent' | 'lakePartitionExists'
>;

/** SDK clients to use instead of building them (the Lambda keeps its own across invocations; tests). */
export interface GivenClients {
  readonly athena?: AthenaClient;
  readonly s3?: S3Client;
  readonly sns?: SNSClient;
}

/** Builds the AWS adapters; clients are built on first use, and destroyed by `close` only if built here. */
export class AwsAdapters {
  private readonly built: { destroy(): void }[] = [];

  constructor(
    private readonly env: Env,
    private readonly given: GivenClients = {},
  ) {}

  /** The S3 store for `location` (`s3://bucket/prefix`); the region makes console links in alert emails. */
  s3Store(location: string): S3ResultStore {
    const region = this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || undefined;
    return S3ResultStore.fromUri(
      this.client('s3', () => buildS3Client(this.env)),
      location,
      { region },
    );
  }

  /** The SNS notifier of `topicArn`. */
  snsNotifier(topicArn: string): SnsNotifier {
    return new SnsNotifier(
      this.client('sns', () => buildSnsClient(this.env)),
      topicArn,
    );
  }

  /**
   * The Athena engine over `athena`, speaking `dialect`. With state SQL in the dialect, the engine
   * clears a day's state folder through `store` before each UNLOAD. Over an `s3://` lake it lists a
   * day's partition folder to tell an empty partition from a missing one (Athena cannot).
   */
  athenaEngine(
    athena: AthenaLakeConfig,
    lake: Pick<LakeConfig, 'location' | 'partition'>,
    dialect: Dialect,
    store: ResultStore,
    tuning: AthenaTuning,
    onEvent: (event: AthenaEngineEvent) => void,
  ): AthenaEngine {
    return new AthenaEngine(
      this.client('athena', () => buildAthenaClient(this.env)),
      {
        ...tuning,
        dialect,
        database: athena.database,
        workgroup: athena.workgroup,
        onEvent,
        ...(dialect.state ? { clearStateFolder: (key: string) => store.deletePrefix(key) } : {}),
        ...(isS3Uri(lake.location)
          ? {
              lakePartitionExists: s3LakePartitionExists(
                () => this.client('s3', () => buildS3Client(this.env)),
                lake.location,
                lake.partition,
              ),
            }
          : {}),
      },
    );
  }

  /** Destroys the clients built here (given ones belong to the caller). */
  close(): void {
    for (const client of this.built.splice(0)) client.destroy();
  }

  private client<K extends keyof GivenClients>(name: K, build: () => NonNullable<GivenClients[K]>): NonNullable<GivenClients[K]> {
    const given = this.given[name];
    if (given) return given as NonNullable<GivenClients[K]>;
    const cached = this.cache.get(name);
    if (cached) return cached as NonNullable<GivenClients[K]>;
    const client = build();
    this.cache.set(name, client);
    this.built.push(client);
    return client;
  }

  private readonly cache = new Map<keyof GivenClients, { destroy(): void }>();
}
