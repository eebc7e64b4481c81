/**
 * Incremental state on Athena (docs/design.md §5): each day's state is written with UNLOAD as
 * Parquet into its own folder under the results location and read back through the Glue state
 * tables (the statements are core's: `athenaStateSql` in core/sql/state-sql.ts). UNLOAD refuses a
 * non-empty target, so the folder is cleared first through the results store — and again before
 * the engine resubmits an UNLOAD whose failed execution may have written part of its files. A crash
 * between the two leaves a "building" manifest, and the next night rebuilds that day.
 */
import type { Query, QueryStats, StateCapability } from '../core/engine';
import { type StateKind, stateFolderKey } from '../core/results/layout';
import type { StateSql } from '../core/sql/dialect';

export interface AthenaStateOptions {
  /** The state SQL of the engine's dialect (`athenaStateSql`). */
  readonly sql: StateSql;
  /** Deletes every object under `key` (a folder key relative to the results location). */
  readonly clearFolder: (key: string) => Promise<void>;
}

export class AthenaState implements StateCapability {
  readonly sql: StateSql;

  constructor(
    /** Runs a statement, calling `beforeResubmit` before any resubmission after a retryable failure. */
    private readonly run: (name: string, sql: string, beforeResubmit: () => Promise<void>) => Promise<QueryStats>,
    private readonly options: AthenaStateOptions,
  ) {
    this.sql = options.sql;
  }

  async materialize(query: Query, kind: StateKind, day: string): Promise<{ stats: QueryStats; rowsWritten: number | null }> {
    const clear = () => this.options.clearFolder(stateFolderKey(kind, day));
    await clear();
    // query.lakeDays needs nothing here: the SELECT's partition predicate prunes on Athena.
    const stats = await this.run(query.name, this.sql.materialize(query.sql, kind, day), clear);
    // UNLOAD reports no row count, but a grouping SELECT that scanned no bytes wrote no rows: a
    // partition that had not landed. Saying 0 lets the night rebuild that recent day later, as
    // it does on DuckDB; anything else stays unknown (null).
    return { stats, rowsWritten: stats.bytes_scanned === 0 ? 0 : null };
  }
}
