/**
 * Runs nights through the real local pipeline — DuckDB over the config's lake, its results folder,
 * the local notifier writing to `outbox` — as one `runNights` call (one invocation of `nsm run`).
 * Any warning fails the run: these tests build lakes and histories that should raise none.
 */
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import { LocalNotifier } from '../../functions/adapters/local-notifier';
import { LocalResultStore } from '../../functions/adapters/local-result-store';
import type { NsmConfig } from '../../functions/core/config/types';
import type { PipelineDeps } from '../../functions/core/pipeline/deps';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';

export async function runLocalNights(config: NsmConfig, days: readonly string[], outbox: string): Promise<void> {
  const engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config), { threads: 1 });
  try {
    const deps: PipelineDeps = {
      engine,
      store: new LocalResultStore(config.results.location),
      notifier: new LocalNotifier(outbox, () => undefined),
      log: () => undefined,
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
