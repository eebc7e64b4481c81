/**
 * The `nightly` Lambda (DESIGN.md §4): parses the event into nights (event.ts), runs each with
 * the core pipeline on Athena + S3 + SNS, and logs structured JSON with Powertools Logger (run
 * id, night, Athena query ids as soon as they exist).
 *
 * Cold start, once per container: read the config bundled beside the code (`NSM_CONFIG_PATH`,
 * set by infra/nightly-function.ts), apply the NSM_* environment overrides (cloud-settings.ts),
 * build the SDK clients and adapters. A night that fails has already recorded `run.json` with
 * status `failed` (core's runNight does that); the handler logs it and throws, so Lambda's
 * asynchronous retries and the dead-letter queue see the failure.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { AthenaEngineEvent } from '../adapters/athena-engine';
import { type AwsClients, buildAwsClients, type Env } from '../adapters/aws-clients';
import { type AthenaTuning, athenaEngineFor, resultStoreFor, snsNotifierFor } from '../adapters/cloud-adapters';
import { applyCloudEnv } from '../adapters/cloud-settings';
import { parseConfig } from '../core/config/parse';
import type { NsmConfig } from '../core/config/types';
import { InputError } from '../core/errors';
import type { PipelineDeps } from '../core/pipeline/deps';
import type { NightOutcome } from '../core/pipeline/run-night';
import { progressLine, runNights } from '../core/pipeline/run-nights';
import { reportHtmlKey } from '../core/results/layout';
import { nightsForEvent } from './event';

/** What the handler returns (visible in the console's test tab and to synchronous callers). */
export interface NightlyResult {
  readonly run_id: string;
  readonly nights: readonly { dt: string; status: 'succeeded'; alerts_sent: number; bytes_scanned: number | null; report: string }[];
}

/** The part of Powertools' Logger the handler uses (tests may pass their own Logger). */
export type NightlyLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'appendKeys' | 'resetKeys' | 'addContext'>;

export interface NightlyHandlerOptions {
  /** Environment: NSM_CONFIG_PATH, NSM_* overrides, AWS_* client settings. @default process.env */
  readonly env?: Env;
  readonly logger?: NightlyLogger;
  /** SDK clients (built from `env` when absent). */
  readonly clients?: AwsClients;
  /** Athena polling/timeout settings. */
  readonly athena?: AthenaTuning;
  /** Clock for the pipeline. @default () => new Date() */
  readonly now?: () => Date;
}

interface Runtime {
  readonly config: NsmConfig;
  readonly deps: Omit<PipelineDeps, 'log'>;
}

/** The config file: `NSM_CONFIG_PATH`, else `nsm.config.yaml` in the Lambda task root. */
async function loadBundledConfig(env: Env): Promise<NsmConfig> {
  const path = env.NSM_CONFIG_PATH || `${env.LAMBDA_TASK_ROOT ?? '.'}/nsm.config.yaml`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`config file ${path} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  return applyCloudEnv(parseConfig(text, path), env);
}

function engineEventLogger(logger: NightlyLogger): (event: AthenaEngineEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'started':
        logger.info('athena query started', { query: event.query, query_id: event.queryId, attempt: event.attempt });
        break;
      case 'succeeded':
        logger.info('athena query succeeded', {
          query: event.query,
          query_id: event.queryId,
          ms: event.ms,
          bytes_scanned: event.bytesScanned,
          rows: event.rows,
        });
        break;
      case 'retry':
        logger.warn('athena retry', { query: event.query, query_id: event.queryId, reason: event.reason, delay_ms: event.delayMs });
        break;
      case 'stopped':
        logger.warn('athena query stopped', { query: event.query, query_id: event.queryId, reason: event.reason });
        break;
      default: {
        const unknown: never = event;
        logger.warn('athena event', { event: unknown });
      }
    }
  };
}

/** Builds a handler; `handler` below is the one Lambda calls. */
export function createNightlyHandler(options: NightlyHandlerOptions = {}) {
  const env = options.env ?? process.env;
  const logger = options.logger ?? new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'nsm-nightly' });
  let runtime: Promise<Runtime> | undefined;

  const coldStart = async (): Promise<Runtime> => {
    const config = await loadBundledConfig(env);
    const clients = options.clients ?? buildAwsClients(env);
    const notifier = snsNotifierFor(config, () => clients.sns);
    if (!notifier) throw new InputError(`${config.source}: no SNS topic: set NSM_SNS_TOPIC_ARN or alerts.sns_topic_arn`);
    const store = resultStoreFor(config, () => clients.s3, env);
    const engine = athenaEngineFor(config, clients.athena, { ...options.athena, onEvent: engineEventLogger(logger) }, store);
    logger.info('cold start', { config: config.source, results: store.location, workgroup: config.lake.athena?.workgroup });
    return { config, deps: { engine, store, notifier, ...(options.now ? { now: options.now } : {}) } };
  };

  return async function nightlyHandler(event: unknown, context?: Context): Promise<NightlyResult> {
    logger.resetKeys();
    if (context) logger.addContext(context);
    const runId = context?.awsRequestId ?? randomUUID();
    logger.appendKeys({ run_id: runId });
    // A failed cold start is not cached: the next invocation tries again.
    runtime ??= coldStart().catch((err: unknown) => {
      runtime = undefined;
      throw err;
    });
    let rt: Runtime;
    let nights: string[];
    try {
      rt = await runtime;
      nights = nightsForEvent(event, rt.config.timezone, (options.now ?? (() => new Date()))());
    } catch (err) {
      logger.error('invocation rejected', err as Error);
      throw err;
    }
    logger.info('nights', { nights });

    const deps: PipelineDeps = { ...rt.deps, log: (line) => logger.info(line) };
    let outcomes: NightOutcome[];
    try {
      // runNights owns the range rule (alerts for the newest night only); the hooks only log.
      outcomes = await runNights(rt.config, nights, deps, {
        runId,
        beforeNight: (dt) => logger.appendKeys({ night: dt }),
        afterNight: (outcome) =>
          logger.info('night succeeded', {
            summary: progressLine(outcome),
            queries: outcome.run.queries,
            bytes_scanned: outcome.run.bytes_scanned,
            cost_usd: outcome.run.cost_usd,
            alerts_sent: outcome.alertsSent.length,
          }),
      });
    } catch (err) {
      // runNight has written run.json with status "failed" (the `night` key still names it);
      // throwing hands the night to Lambda's retries.
      logger.error('night failed', err as Error);
      throw err;
    }
    const done: NightlyResult['nights'][number][] = outcomes.map((outcome) => ({
      dt: outcome.dt,
      status: 'succeeded',
      alerts_sent: outcome.alertsSent.length,
      bytes_scanned: outcome.run.bytes_scanned,
      report: rt.deps.store.uriFor(reportHtmlKey(outcome.dt)),
    }));
    return { run_id: runId, nights: done };
  };
}

/** The Lambda entry point (`handler` in infra/nightly-function.ts). */
export const handler = createNightlyHandler();
