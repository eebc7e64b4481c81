/**
 * Incremental state on Athena: each day's state is written with UNLOAD as Parquet into its own
 * folder under the results location, and read back through the Glue tables the CDK stack
 * defines over `state/<kind>/` (partition projection on `dt`, so no crawler and no MSCK). UNLOAD
 * refuses a non-empty target, so the folder is cleared first through the results store — and again
 * before the engine resubmits an UNLOAD whose failed execution may have written part of its files.
 * A crash between the two leaves a "building" manifest, and the next night rebuilds that day.
 */
import type { Query, QueryStats, StateCapability } from '../core/engine';
import { quoteIdent, quoteString } from '../core/sql/quote';
import { type StateKind, stateFolderKey } from '../core/state/state-keys';
import { STATE_TABLES } from '../core/state/state-tables';

export interface AthenaStateOptions {
  /** Glue database holding the state tables (the lake's database). */
  readonly database: string;
  /** The results location, `s3://bucket/prefix`. */
  readonly resultsLocation: string;
  /** Deletes every object under `key` (a folder key relative to the results location). */
  readonly clearFolder: (key: string) => Promise<void>;
}

export class AthenaState implements StateCapability {
  constructor(
    /** Runs a statement, calling `beforeResubmit` before any resubmission after a retryable failure. */
    private readonly run: (name: string, sql: string, beforeResubmit: () => Promise<void>) => Promise<QueryStats>,
    private readonly options: AthenaStateOptions,
  ) {}

  relation(kind: StateKind, days: readonly string[]): string {
    const table = `${quoteIdent(this.options.database)}.${quoteIdent(STATE_TABLES[kind])}`;
    // Equality on the projected partition column: Athena reads exactly these days' folders.
    return `(SELECT * FROM ${table} WHERE "dt" IN (${days.map(quoteString).join(', ')}))`;
  }

  async materialize(query: Query, kind: StateKind, day: string): Promise<{ stats: QueryStats; rowsWritten: number | null }> {
    const clear = () => this.options.clearFolder(stateFolderKey(kind, day));
    await clear();
    // query.lakeDays needs nothing here: the SELECT's partition predicate prunes on Athena.
    const stats = await this.run(query.name, this.materializeSql(query.sql, kind, day), clear);
    // UNLOAD reports no row count, but a grouping SELECT that scanned no bytes wrote no rows: a
    // partition that had not landed. Saying 0 lets the night rebuild that recent day later, as
    // it does on DuckDB; anything else stays unknown (null).
    return { stats, rowsWritten: stats.bytes_scanned === 0 ? 0 : null };
  }

  materializeSql(select: string, kind: StateKind, day: string): string {
    const target = `${this.options.resultsLocation.replace(/\/+$/, '')}/${stateFolderKey(kind, day)}`;
    return `UNLOAD (\n${select}\n) TO ${quoteString(target)} WITH (format = 'PARQUET', compression = 'SNAPPY')`;
  }
}
