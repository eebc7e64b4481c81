/**
 * Runs nights through the real local pipeline — DuckDB over the config's lake, its results folder,
 * the local notifier writing to `outbox` — as one `runNights` call (one invocation of `nsm run`).
 * Any warning fails the run: these tests build lakes and histories that should raise none.
 */
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { LocalNotifier } from '../../functions/adapters/local-notifier';
import { LocalResultStore } from '../../functions/adapters/local-result-store';
import type { AlertsConfig, NsmConfig } from '../../functions/core/config/types';
import type { PipelineDeps } from '../../functions/core/pipeline/deps';
import type { NightOutcome } from '../../functions/core/pipeline/run-night';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { duckdbDialect } from '../../functions/core/sql/dialects';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { lakeConfig, testConfig } from './config';
import { MemoryResultStore } from './memory-store';

export interface LocalNightsOptions {
  /** Keep the incremental state in the results folder, as `nsm run` does (default: every query reads the lake). */
  readonly withState?: boolean;
  /** Where the run's progress lines go (default: nowhere). */
  readonly log?: (line: string) => void;
}

export async function runLocalNights(
  config: NsmConfig,
  days: readonly string[],
  outbox: string,
  options: LocalNightsOptions = {},
): Promise<void> {
  const dialect = options.withState ? duckdbDialect({ resultsDir: config.results.location }) : undefined;
  const engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), { threads: 1, ...(dialect ? { dialect } : {}) });
  try {
    const deps: PipelineDeps = {
      engine,
      store: new LocalResultStore(config.results.location),
      notifier: new LocalNotifier(outbox, () => undefined),
      log: options.log ?? (() => undefined),
      warn: (line: string) => {
        throw new Error(`unexpected warning: ${line}`);
      },
      now: () => new Date(),
    };
    await runNights(config, days, deps);
  } finally {
    await engine.close();
  }
}

/**
 * The reference an engine suite compares its Athena path with: `days` computed by the local
 * pipeline from scratch (DuckDB over the lake, an empty in-memory store, no state), in one run.
 */
export async function localReference(config: NsmConfig, days: readonly string[]): Promise<NightOutcome[]> {
  const engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config));
  try {
    return await runNights(config, days, {
      engine,
      store: new MemoryResultStore(),
      notifier: { publish: async () => undefined },
      log: () => undefined,
      warn: () => undefined,
      now: () => new Date(),
    });
  } finally {
    await engine.close();
  }
}

/**
 * The config of the generated-lake alert tests: one metric, `posts` (daily `message_posted`
 * events), the north star, over a JSON lake with `user_id` and `event_name` columns.
 */
export function postsConfig(lakeDir: string, resultsDir: string, alerts: Partial<AlertsConfig> = {}): NsmConfig {
  return testConfig({
    lake: lakeConfig(lakeDir, { columns: { user: 'user_id', account: undefined, event: 'event_name', time: undefined } }),
    results: resultsDir,
    metrics: [{ id: 'posts', name: 'Messages posted', type: 'count', events: ['message_posted'], window_days: 1 }],
    north_star: 'posts',
    alerts,
  });
}
