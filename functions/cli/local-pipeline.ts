/**
 * Builds the pipeline's adapters for a command-line run: the engine (embedded DuckDB, or Athena
 * with `--engine athena`), the results store (a folder, or S3 for an `s3://` location) and the
 * notifier (console + outbox file, or SNS when a topic is configured).
 */
import { join } from 'node:path';
import { DuckDbEngine } from '../adapters/duckdb-engine';
import { LocalNotifier } from '../adapters/local-notifier';
import { LocalResultStore } from '../adapters/local-result-store';
import type { NsmConfig } from '../core/config/types';
import { InputError } from '../core/errors';
import type { PipelineDeps } from '../core/pipeline/deps';
import { isS3Uri } from '../core/s3-uri';
import { lakeColumnsUsed } from '../core/sql/lake-columns';
import type { CommandIo } from './commands/io';

export type EngineName = 'duckdb' | 'athena';

export interface LocalPipeline {
  /** The config with any cloud settings applied (what the run must use). */
  readonly config: NsmConfig;
  readonly deps: PipelineDeps;
  close(): Promise<void>;
}

export async function openLocalPipeline(
  config: NsmConfig,
  engineName: EngineName,
  io: CommandIo,
  options: { workgroup?: string | undefined; localOnly?: boolean } = {},
): Promise<LocalPipeline> {
  if (engineName === 'duckdb' && isS3Uri(config.lake.location)) {
    throw new InputError(
      `${config.source}: lake.location: ${config.lake.location} is in S3; the embedded engine reads a local folder (use --engine athena)`,
    );
  }
  // The AWS SDK is loaded only when something here needs AWS: it is most of a local run's start-up.
  const needsCloud =
    !options.localOnly &&
    (engineName === 'athena' || isS3Uri(config.results.location) || Boolean(config.alerts.sns_topic_arn || process.env.NSM_SNS_TOPIC_ARN));
  const cloud = needsCloud
    ? (await import('./build-engine')).openCloudCliAdapters(config, {
        engine: engineName,
        workgroup: options.workgroup,
        log: (line) => io.out(`${line}\n`),
      })
    : { config, engine: undefined, store: undefined, notifier: undefined, close: async () => undefined };
  const effective = cloud.config;
  const localResults = isS3Uri(effective.results.location) ? undefined : effective.results.location;
  const engine =
    cloud.engine ??
    (await DuckDbEngine.open(effective.lake, lakeColumnsUsed(effective), localResults ? { stateDir: localResults } : {}).catch(
      async (err) => {
        await cloud.close();
        throw err;
      },
    ));
  const store = cloud.store ?? new LocalResultStore(effective.results.location);
  const notifier = cloud.notifier ?? new LocalNotifier(join(localResults ?? '.', 'outbox', 'alerts.jsonl'), (t: string) => io.out(t));
  return {
    config: effective,
    deps: { engine, store, notifier, log: (line) => io.out(`${line}\n`), now: () => io.now() },
    close: async () => {
      await engine.close();
      await cloud.close();
    },
  };
}
