/**
 * The embedded engine: DuckDB over the local lake, exposed as the view `events` (see
 * core/sql/duckdb-lake.ts) so that the SQL the compiler emits for the `duckdb` dialect runs
 * unchanged. It only executes: the lake view is `LakeView`'s, the state `DuckDbState`'s, the cells
 * `duckdb-cells.ts`'s, and every statement is core's.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { LakeConfig } from '../core/config/types';
import type { Query, QueryEngine, QueryResult, RunOptions, StateCapability } from '../core/engine';
import { DEADLINE_PASSED, LakeError, QueryError } from '../core/errors';
import type { Dialect } from '../core/sql/dialect';
import { duckdbDialect } from '../core/sql/dialects';
import { lakeViewSql, queryLakeViewSql } from '../core/sql/duckdb-lake';
import { duckdbRow } from './duckdb-cells';
import { LakeView } from './duckdb-lake-view';
import { DuckDbState } from './duckdb-state';

export interface DuckDbEngineOptions {
  /** DuckDB worker threads; default: DuckDB's own (all cores). */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. `1GB`; default `2GB` so a laptop run stays bounded. */
  readonly memoryLimit?: string;
  /** An instance to use instead of a new in-memory one (tests). */
  readonly instance?: DuckDBInstance;
  /**
   * The dialect, default `duckdbDialect()` (no state). With state SQL (`dialectFor` over a local
   * results folder) the engine keeps the incremental state there as Parquet, and a night reads its
   * own partition plus that state.
   */
  readonly dialect?: Dialect;
}

export class DuckDbEngine implements QueryEngine {
  readonly name = 'duckdb';
  readonly state?: StateCapability;

  /** Bumped when the lake view is redefined; a query that failed on an older view is retried. */
  private viewVersion = 0;
  private widening: Promise<void> | undefined;

  /** Use {@link DuckDbEngine.open}, which creates the `events` view over the lake. */
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly lake: LakeView,
    readonly dialect: Dialect,
  ) {
    if (dialect.state) this.state = new DuckDbState(dialect.state, (query, options) => this.run(query, options));
  }

  /**
   * Opens a DuckDB instance with the view `events` over the lake at `lake.location`.
   * @param columns the lake columns the queries read (see `lakeColumnsUsed`)
   */
  static async open(lake: LakeConfig, columns: readonly string[], options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const view = await LakeView.list(lake, columns);
    const instance =
      options.instance ??
      (await DuckDBInstance.create(':memory:', {
        memory_limit: options.memoryLimit ?? '2GB',
        ...(options.threads ? { threads: String(options.threads) } : {}),
      }));
    const engine = new DuckDbEngine(instance, view, options.dialect ?? duckdbDialect());
    await engine.createLakeView();
    return engine;
  }

  /** (Re)defines the lake-wide view; a file DuckDB cannot read then (a Parquet lake's first file) is a LakeError naming it. */
  private async createLakeView(): Promise<void> {
    const connection = await this.instance.connect();
    try {
      await connection.run(lakeViewSql(this.lake.scan()));
    } catch (err) {
      throw new LakeError(this.lake.config.location, err instanceof Error ? err.message.split('\n')[0]! : String(err), { cause: err });
    } finally {
      connection.closeSync();
    }
  }

  /** From the listing taken when the engine opened, like the files every query reads. */
  firstLakeDay(): string | null {
    return this.lake.firstDay;
  }

  async run(query: Query, options: RunOptions = {}): Promise<QueryResult> {
    const version = this.viewVersion;
    try {
      return await this.runOnce(query, options);
    } catch (err) {
      // A Parquet file whose columns differ from the first file's fails the query: widen the
      // view to union_by_name — once, shared by queries running side by side — and run it again.
      if (!this.lake.isSchemaDrift(err)) throw err;
      if (this.viewVersion === version && !this.lake.widened) {
        this.widening ??= (async () => {
          this.lake.widen();
          await this.createLakeView();
          this.viewVersion++;
        })();
      }
      await this.widening;
      if (this.viewVersion === version) throw err;
      return this.runOnce(query, options);
    }
  }

  private async runOnce(query: Query, { signal }: RunOptions): Promise<QueryResult> {
    const started = performance.now();
    // One connection per query, so that a night's independent queries can run side by side.
    let connection: DuckDBConnection | undefined;
    const interrupt = () => connection?.interrupt();
    try {
      if (signal?.aborted) throw new QueryError(query.name, DEADLINE_PASSED);
      connection = await this.instance.connect();
      signal?.addEventListener('abort', interrupt, { once: true });
      // A query that says which partitions it reads gets its own `events` over just their files
      // (a TEMP view is private to this connection and shadows the lake-wide one): DuckDB spends
      // ~16 µs per file listed on every scan, pruned or not — 7.7 ms a query at 467 files,
      // growing with history, for a night whose own work is a few partitions.
      const files = this.lake.filesFor(query.lakeDays);
      if (files) await connection.run(queryLakeViewSql(this.lake.scan(files)));
      const reader = await connection.runAndReadAll(query.sql);
      const rows = reader.getRowObjects().map(duckdbRow);
      return {
        rows,
        stats: { name: query.name, query_id: null, ms: Math.round(performance.now() - started), bytes_scanned: null, rows: rows.length },
      };
    } catch (err) {
      if (err instanceof QueryError) throw err;
      if (signal?.aborted) throw new QueryError(query.name, `${DEADLINE_PASSED}; interrupted`, undefined, { cause: err });
      throw new QueryError(query.name, err instanceof Error ? err.message.split('\n')[0]! : String(err), undefined, { cause: err });
    } finally {
      signal?.removeEventListener('abort', interrupt);
      connection?.closeSync();
    }
  }

  /** From the listing taken when the engine opened, like the files every query reads. */
  async hasLakePartition(day: string): Promise<boolean> {
    return this.lake.hasPartition(day);
  }

  async close(): Promise<void> {
    this.instance.closeSync();
    this.lake.dispose();
  }
}
