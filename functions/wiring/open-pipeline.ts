/**
 * The composition root: the only place that chooses and constructs the pipeline's engine, results
 * store and notifier (docs/design.md §1). The Lambda handler, `nsm run`, the demo and the bench all
 * open their pipeline here, from a config that `loadConfig` has already read (with the environment's
 * overrides applied).
 *
 * | port      | chosen by                                | local                          | AWS                         |
 * |-----------|------------------------------------------|--------------------------------|-----------------------------|
 * | engine    | `options.engine`                         | DuckDB over the lake folder    | Athena over the Glue table  |
 * | store     | `results.location`                       | the results folder             | S3 (`s3://bucket/prefix`)   |
 * | notifier  | `alerts.sns_topic_arn` (or NSM_SNS_TOPIC_ARN) | console + `outbox/alerts.jsonl` | the SNS topic            |
 *
 * The engine keeps incremental state when `keepsState` says so (DuckDB with local results, Athena
 * with results in S3); its dialect then carries the state SQL (`dialectFor`).
 */
import { join } from 'node:path';
import type { AthenaEngineEvent } from '../adapters/athena-engine';
import type { Env } from '../adapters/aws-clients';
import { LocalNotifier } from '../adapters/local-notifier';
import { LocalResultStore } from '../adapters/local-result-store';
import type { Notifier } from '../core/alerts/notifier';
import { requireAthena } from '../core/config/require-athena';
import type { NsmConfig } from '../core/config/types';
import type { QueryEngine } from '../core/engine';
import { InputError } from '../core/errors';
import type { LeaseSettings } from '../core/lease/run-lease';
import type { PipelineDeps } from '../core/pipeline/deps';
import { OUTBOX_KEY } from '../core/results/layout';
import type { ResultStore } from '../core/results/store';
import { isS3Uri } from '../core/s3-uri';
import { dialectFor } from '../core/sql/dialects';
import { lakeColumnsUsed } from '../core/sql/lake-columns';
import type { EngineName } from '../core/state/keeps-state';
import { type AthenaProgress, athenaProgress } from './athena-progress';
import type { AthenaTuning, AwsAdapters, GivenClients } from './aws-adapters';
import { isDeadLocalHolder, machineIdentity } from './local-holder';

export interface OpenPipelineOptions {
  /** The query engine: embedded DuckDB over a local lake folder, or Athena over the lake's Glue table. */
  readonly engine: EngineName;
  /** AWS client settings (credentials chain, AWS_REGION, AWS_ENDPOINT_URL_*): the process environment. */
  readonly env: Env;
  /** One progress line (the pipeline's, and Athena's unless `onAthenaProgress` takes them). */
  readonly log: (line: string) => void;
  /** A failure that does not fail the night (`PipelineDeps.warn`). */
  readonly warn: (line: string) => void;
  /** Clock of the pipeline. */
  readonly now: () => Date;
  /** Athena progress (query ids as soon as they exist, retries); default: `log(progress.line)`. */
  readonly onAthenaProgress?: (progress: AthenaProgress) => void;
  /** Where the console notifier prints each alert; default: `log`, line by line. */
  readonly print?: (text: string) => void;
  /** Alerts must go through SNS (the Lambda): opening fails without a topic. */
  readonly requireSns?: boolean;
  /** SDK clients to use instead of building them from `env`. */
  readonly clients?: GivenClients;
  /** Athena polling and timeout settings. */
  readonly athena?: AthenaTuning;
  /** What this run does, for a waiting run's message (`nsm run --date …`). */
  readonly what?: string;
  /** How long a run waits for another run's lease on the results, ms (core/lease/run-lease.ts). @default 10 minutes */
  readonly leaseWaitMs?: number;
}

/** An open pipeline: the ports for `runNight`/`runNights`, and what releases them. */
export interface Pipeline {
  readonly deps: PipelineDeps;
  /** Closes the engine and destroys the SDK clients built here. */
  close(): Promise<void>;
}

/** Opens the pipeline for `config` (see the module comment). */
export async function openPipeline(config: NsmConfig, options: OpenPipelineOptions): Promise<Pipeline> {
  const results = config.results.location;
  const topic = config.alerts.sns_topic_arn;
  if (options.engine === 'duckdb' && isS3Uri(config.lake.location)) {
    throw new InputError(
      `${config.source}: lake.location: ${config.lake.location} is in S3; the embedded engine reads a local folder (use --engine athena)`,
    );
  }
  if (options.requireSns && !topic) throw new InputError(`${config.source}: no SNS topic: set NSM_SNS_TOPIC_ARN or alerts.sns_topic_arn`);
  const athena = options.engine === 'athena' ? requireAthena(config) : undefined;
  const dialect = dialectFor(config, options.engine);

  // The AWS SDK is loaded only when something here needs AWS: it is most of a local run's start-up.
  const needsAws = options.engine === 'athena' || isS3Uri(results) || topic !== undefined;
  const aws: AwsAdapters | undefined = needsAws
    ? new (await import('./aws-adapters')).AwsAdapters(options.env, options.clients)
    : undefined;

  let store: ResultStore;
  let notifier: Notifier;
  let engine: QueryEngine;
  try {
    store = aws && isS3Uri(results) ? aws.s3Store(results) : new LocalResultStore(results);
    notifier =
      aws && topic
        ? aws.snsNotifier(topic)
        : new LocalNotifier(join(isS3Uri(results) ? '.' : results, OUTBOX_KEY), options.print ?? printLines(options.log));
    if (aws && athena) {
      const progress = options.onAthenaProgress ?? ((p: AthenaProgress) => options.log(p.line));
      engine = aws.athenaEngine(athena, config.lake, dialect, store, options.athena ?? {}, (event: AthenaEngineEvent) =>
        progress(athenaProgress(event)),
      );
    } else {
      engine = await openDuckDb(config, dialect);
    }
  } catch (err) {
    // Nothing half-open is left behind: the clients built so far are destroyed.
    aws?.close();
    throw err;
  }
  const lease: LeaseSettings = {
    holder: { host: machineIdentity(), pid: process.pid, what: options.what ?? null },
    ...(options.leaseWaitMs === undefined ? {} : { waitMs: options.leaseWaitMs }),
    // A killed holder is recognised at once only where it ran on this machine: a local folder.
    ...(isS3Uri(results) ? {} : { isDead: isDeadLocalHolder }),
  };
  return {
    deps: { engine, store, notifier, log: options.log, warn: options.warn, now: options.now, lease },
    close: async () => {
      try {
        await engine.close();
      } finally {
        aws?.close();
      }
    },
  };
}

/**
 * The embedded engine. Its module (and DuckDB with it) loads only here; the Lambda's bundle is built
 * with `process.env.NSM_BUNDLE` defined as `lambda` (infra/nightly-function.ts), which makes this
 * branch dead code that esbuild drops, so DuckDB never ships to Lambda.
 */
async function openDuckDb(config: NsmConfig, dialect: ReturnType<typeof dialectFor>): Promise<QueryEngine> {
  if (process.env.NSM_BUNDLE === 'lambda') {
    throw new InputError('the Lambda bundle has no embedded engine (DuckDB); it queries Athena');
  } else {
    const { DuckDbEngine } = await import('../adapters/duckdb-engine');
    return DuckDbEngine.open(config.lake, lakeColumnsUsed(config), { dialect });
  }
}

/** Text (an alert block) passed on line by line, without the trailing newline. */
function printLines(log: (line: string) => void): (text: string) => void {
  return (text) => {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) log(line);
  };
}
