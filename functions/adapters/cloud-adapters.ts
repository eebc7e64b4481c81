/**
 * Builds the cloud adapters from a config (with `applyCloudEnv` already applied) and SDK
 * clients: the Athena engine over `lake.athena`, the results store for `results.location`
 * (S3 for `s3://`, a folder otherwise) and the SNS notifier for `alerts.sns_topic_arn`.
 * Shared by the Lambda handler and `nsm run --engine athena`.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { NsmConfig } from '../core/config/types';
import type { ResultStore } from '../core/results/store';
import { isS3Uri } from '../core/s3-uri';
import { AthenaEngine, type AthenaEngineOptions } from './athena-engine';
import type { Env } from './aws-clients';
import { requireAthena } from './cloud-settings';
import { LocalResultStore } from './local-result-store';
import { S3ResultStore } from './s3-result-store';
import { SnsNotifier } from './sns-notifier';

/** Engine settings the config does not carry (timeouts, polling, hooks). */
export type AthenaTuning = Omit<AthenaEngineOptions, 'database' | 'table' | 'workgroup'>;

/**
 * The Athena engine over `lake.athena` (InputError when the config has none). With results in S3
 * it keeps the incremental state there (UNLOAD into `state/`, read through the state tables), so
 * a night scans its own partition plus compact state; with local results it reads the lake only.
 */
export function athenaEngineFor(config: NsmConfig, client: AthenaClient, tuning: AthenaTuning = {}, store?: ResultStore): AthenaEngine {
  const athena = requireAthena(config);
  const state =
    store instanceof S3ResultStore ? { resultsLocation: store.location, clearFolder: (key: string) => store.deletePrefix(key) } : undefined;
  return new AthenaEngine(client, {
    ...tuning,
    ...(state ? { state } : {}),
    database: athena.database,
    table: athena.table,
    workgroup: athena.workgroup,
  });
}

/** S3 for an `s3://` results location, the local folder otherwise. */
export function resultStoreFor(config: NsmConfig, s3: () => S3Client, env: Env = process.env): ResultStore {
  const location = config.results.location;
  // The region only builds console links in alert emails; Lambda always sets AWS_REGION.
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  return isS3Uri(location) ? S3ResultStore.fromUri(s3(), location, { region }) : new LocalResultStore(location);
}

/** The SNS notifier when a topic is configured, else undefined. */
export function snsNotifierFor(config: NsmConfig, sns: () => SNSClient): SnsNotifier | undefined {
  const topic = config.alerts.sns_topic_arn;
  return topic ? new SnsNotifier(sns(), topic) : undefined;
}
