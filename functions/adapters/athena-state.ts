/**
 * Incremental state on Athena (docs/design.md §5): each build of a day's state is written with
 * UNLOAD as Parquet into a folder of its own, `state/<kind>/<day>.<build>/` under the results
 * location, and read back through the Glue state tables (the statements are core's:
 * `athenaStateSql` in core/sql/state-sql.ts). A fresh folder per build is what makes a retry safe:
 * UNLOAD checks that its target is empty only before it starts writing, so an UNLOAD of a killed
 * invocation that goes on running would otherwise add its files beside the retry's (doubled
 * rollups) or make the retry fail (HIVE_PATH_ALREADY_EXISTS). The folder is emptied again only
 * before the engine resubmits an UNLOAD whose failed execution may have written part of its files:
 * that execution has ended, so nothing writes there any more.
 */
import type { Materialized, Query, QueryStats, RunOptions, StateCapability } from '../core/engine';
import { type StateKind, stateBuildFolder } from '../core/results/layout';
import type { StateSql } from '../core/sql/dialect';
import { newBuildId } from './build-id';

export interface AthenaStateOptions {
  /** The state SQL of the engine's dialect (`athenaStateSql`). */
  readonly sql: StateSql;
  /** Deletes every object under `key` (a folder key relative to the results location). */
  readonly clearFolder: (key: string) => Promise<void>;
  /** A fresh build id. @default newBuildId */
  readonly newBuild?: () => string;
}

/** Runs a statement without a result set, calling `beforeResubmit` before any resubmission after a retryable failure. */
export type ExecuteStatement = (
  name: string,
  sql: string,
  options: RunOptions & { beforeResubmit: () => Promise<void> },
) => Promise<QueryStats>;

export class AthenaState implements StateCapability {
  readonly sql: StateSql;

  constructor(
    private readonly execute: ExecuteStatement,
    private readonly options: AthenaStateOptions,
  ) {
    this.sql = options.sql;
  }

  async materialize(query: Query, kind: StateKind, day: string, options: RunOptions = {}): Promise<Materialized> {
    const build = (this.options.newBuild ?? newBuildId)();
    const clear = () => this.options.clearFolder(stateBuildFolder(kind, day, build));
    // query.lakeDays needs nothing here: the SELECT's partition predicate prunes on Athena.
    const stats = await this.execute(query.name, this.sql.materialize(query.sql, kind, day, build), { ...options, beforeResubmit: clear });
    // UNLOAD reports no row count (see AthenaEngine.execute), but a grouping SELECT that scanned no
    // bytes wrote no rows: a partition that had not landed. Saying 0 lets the night rebuild that
    // recent day later, as it does on DuckDB; anything else stays unknown (null).
    return { stats, rowsWritten: stats.bytes_scanned === 0 ? 0 : null, build };
  }
}
