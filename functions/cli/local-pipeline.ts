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
import { lakeColumnsUsed } from '../core/sql/lake-columns';
import type { CommandIo } from './commands/io';

export type EngineName = 'duckdb' | 'athena';

export interface LocalPipeline {
  readonly deps: PipelineDeps;
  close(): Promise<void>;
}

export async function openLocalPipeline(config: NsmConfig, engineName: EngineName, io: CommandIo): Promise<LocalPipeline> {
  if (engineName !== 'duckdb') throw new InputError(`--engine ${engineName}: not available in this build`);
  if (config.lake.location.startsWith('s3://')) {
    throw new InputError(`${config.source}: lake.location: ${config.lake.location} is in S3; the embedded engine reads a local folder (use --engine athena)`);
  }
  const engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config));
  const store = new LocalResultStore(config.results.location);
  const notifier = new LocalNotifier(join(config.results.location, 'outbox', 'alerts.jsonl'), (t: string) => io.out(t));
  return {
    deps: { engine, store, notifier, log: (line) => io.out(`${line}\n`), now: () => io.now() },
    close: () => engine.close(),
  };
}
