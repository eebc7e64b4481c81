/**
 * The `nightly` Lambda (docs/design.md §4): event → nights or a backfill step (work.ts) → runNights
 * or runBackfillStep (core/pipeline/) → logs, with Powertools Logger (run id, night, Athena query
 * ids as soon as they exist). The pipeline is
 * opened once per container by the composition root (functions/wiring/) from the config bundled
 * beside the code and the NSM_* variables CDK sets. A night that fails has already recorded
 * `run.json` with status `failed`; the handler logs it and throws, so Lambda's asynchronous retries
 * and the dead-letter queue see the failure.
 *
 * Every invocation has a deadline (deadline.ts): Lambda's remaining time minus a margin, at which
 * the night's running Athena queries are stopped and the night fails, recording run.json.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Env } from '../adapters/aws-clients';
import type { NsmConfig } from '../core/config/types';
import { type BackfillStepResult, runBackfillStep } from '../core/pipeline/run-backfill-step';
import { progressLine, runNights } from '../core/pipeline/run-nights';
import { reportHtmlKey } from '../core/results/layout';
import type { AthenaTuning, GivenClients } from '../wiring/aws-adapters';
import { bundledConfigPath, loadConfig } from '../wiring/load-config';
import { openPipeline, type Pipeline } from '../wiring/open-pipeline';
import { invocationDeadline, NIGHT_DEADLINE_MARGIN_MS } from './deadline';
import { type NightlyWork, workOf } from './work';

export { NIGHT_DEADLINE_MARGIN_MS } from './deadline';

/** How long an invocation waits for another run's lease on the results (docs/operations.md). */
export const LAMBDA_LEASE_WAIT_MS = 5 * 60_000;

/** What the handler returns (visible in the console's test tab and to synchronous callers). */
export interface NightlyResult {
  readonly run_id: string;
  readonly nights: readonly { dt: string; status: 'succeeded'; alerts_sent: number; bytes_scanned: number | null; report: string }[];
}

/** What a backfill step returns to Step Functions: the plan, or what a state step built. */
export type BackfillResult = BackfillStepResult;

/** The part of Powertools' Logger the handler uses (tests may pass their own Logger). */
export type NightlyLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'appendKeys' | 'resetKeys' | 'addContext'>;

export interface NightlyHandlerOptions {
  /** Environment: NSM_CONFIG_PATH, NSM_* overrides, AWS_* client settings. @default process.env */
  readonly env?: Env;
  readonly logger?: NightlyLogger;
  /** SDK clients (built from `env` when absent). */
  readonly clients?: GivenClients;
  /** Athena polling/timeout settings. */
  readonly athena?: AthenaTuning;
  /** Clock for the pipeline. @default () => new Date() */
  readonly now?: () => Date;
  /** The margin between the night's deadline and Lambda's timeout. @default NIGHT_DEADLINE_MARGIN_MS */
  readonly deadlineMarginMs?: number;
}

/** Builds a handler; `handler` below is the one Lambda calls. */
export function createNightlyHandler(options: NightlyHandlerOptions = {}) {
  const env = options.env ?? process.env;
  const logger = options.logger ?? new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'nsm-nightly' });
  const now = options.now ?? (() => new Date());
  let coldStart: Promise<{ config: NsmConfig; pipeline: Pipeline }> | undefined;

  const open = async () => {
    const config = await loadConfig(bundledConfigPath(env), env);
    const pipeline = await openPipeline(config, {
      engine: 'athena',
      env,
      now,
      requireSns: true,
      clients: options.clients,
      athena: options.athena,
      log: (line) => logger.info(line),
      warn: (line) => logger.warn(line),
      onAthenaProgress: (p) => logger[p.level](p.message, p.fields),
      what: `lambda ${env.AWS_LAMBDA_FUNCTION_NAME ?? 'nightly'}`,
      // A backfill holding the results' lease gets 5 minutes to finish; then the invocation fails
      // with "another run holds the lease …" and Lambda's asynchronous retries try again later.
      leaseWaitMs: LAMBDA_LEASE_WAIT_MS,
    });
    logger.info('cold start', { config: config.source, results: pipeline.deps.store.location, workgroup: config.lake.athena?.workgroup });
    return { config, pipeline };
  };

  return async function nightlyHandler(event: unknown, context?: Context): Promise<NightlyResult | BackfillResult> {
    logger.resetKeys();
    if (context) logger.addContext(context);
    const runId = context?.awsRequestId ?? randomUUID();
    logger.appendKeys({ run_id: runId });
    let work: NightlyWork;
    let opened: { config: NsmConfig; pipeline: Pipeline };
    try {
      // A failed cold start is not kept: the next invocation tries again.
      coldStart ??= open().catch((err: unknown) => {
        coldStart = undefined;
        throw err;
      });
      opened = await coldStart;
      work = workOf(event, opened.config, now());
    } catch (err) {
      logger.error('invocation rejected', err as Error);
      throw err;
    }
    const { config, pipeline } = opened;
    const deadline = invocationDeadline(context, options.deadlineMarginMs ?? NIGHT_DEADLINE_MARGIN_MS);
    if (!('nights' in work)) {
      const step = work;
      logger.info('backfill step', { step: step.step, deadline_in_ms: deadline?.inMs ?? null });
      try {
        const out = await runBackfillStep(config, step, pipeline.deps, runId, deadline?.signal);
        logger.info('backfill step succeeded', { step: step.step, ...out });
        return out;
      } catch (err) {
        // Thrown to Step Functions, whose retries and catch (infra/backfill-machine.ts) take it from here.
        logger.error('backfill step failed', err as Error);
        throw err;
      }
    }
    const { nights, noAlerts } = work;
    logger.info('nights', { nights, deadline_in_ms: deadline?.inMs ?? null });
    try {
      // runNights owns the range rule (alerts for the newest night only); the hooks only log.
      const outcomes = await runNights(config, nights, pipeline.deps, {
        runId,
        noAlerts,
        ...(deadline ? { signal: deadline.signal } : {}),
        beforeNight: (dt) => logger.appendKeys({ night: dt }),
        afterNight: (o) =>
          logger.info('night succeeded', {
            summary: progressLine(o),
            queries: o.run.queries,
            bytes_scanned: o.run.bytes_scanned,
            cost_usd: o.run.cost_usd,
            alerts_sent: o.alertsSent.length,
          }),
      });
      const report = (dt: string) => pipeline.deps.store.uriFor(reportHtmlKey(dt));
      return {
        run_id: runId,
        nights: outcomes.map((o) => ({
          dt: o.dt,
          status: 'succeeded' as const,
          alerts_sent: o.alertsSent.length,
          bytes_scanned: o.run.bytes_scanned,
          report: report(o.dt),
        })),
      };
    } catch (err) {
      // runNight has written run.json with status "failed" (the `night` key still names it);
      // throwing hands the night to Lambda's retries (or, for a backfill step, Step Functions').
      logger.error('night failed', err as Error);
      throw err;
    }
  };
}

/** The Lambda entry point (`handler` in infra/nightly-function.ts). */
export const handler = createNightlyHandler();
