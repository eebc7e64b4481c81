/**
 * The query engine port (docs/design.md §1). Adapters: `DuckDbEngine` (local lake) and `AthenaEngine`
 * (S3 lake via Athena). Cells arrive typed: BIGINT becomes a number when it is a safe integer
 * (a string otherwise), DATE becomes `YYYY-MM-DD`, NULL stays null. Engines only execute: every
 * statement they run is written in `core/sql/`.
 */
import type { StateKind } from './results/layout';
import type { Dialect, StateSql } from './sql/dialect';

/** A typed cell value. */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** The lake partitions a query reads: days `from` … `to`, inclusive (no `from`: every day up to `to`). */
export interface LakeDays {
  readonly from?: string;
  readonly to: string;
}

/** One named, fully rendered SQL statement (literals already escaped by `sql/quote.ts`). */
export interface Query {
  /** Stable name, such as `metrics` or `candidates`; appears in `nsm sql`, logs and `run.json`. */
  readonly name: string;
  readonly sql: string;
  /**
   * The lake partitions the SQL reads (it filters on them too). DuckDB then scans only those
   * files: a scan over a list of files costs per file listed, even for the pruned ones. Athena
   * prunes on the SQL's own partition predicate. Absent for queries that do not read the lake.
   */
  readonly lakeDays?: LakeDays;
}

/** What `run.json` records for each query. */
export interface QueryStats {
  readonly name: string;
  /** Athena's QueryExecutionId; absent on DuckDB. */
  readonly query_id: string | null;
  readonly ms: number;
  /** Athena's DataScannedInBytes; null where the engine does not report it. */
  readonly bytes_scanned: number | null;
  readonly rows: number;
}

export interface QueryResult {
  readonly rows: Row[];
  readonly stats: QueryStats;
}

/** How a statement runs. */
export interface RunOptions {
  /**
   * Aborted when the night's deadline passes (the Lambda's remaining time minus a margin): the
   * engine then stops what it is running — on Athena with StopQueryExecution, so that a query
   * does not go on scanning after the invocation ends — and rejects with a `QueryError`.
   */
  readonly signal?: AbortSignal;
}

/** What one materialization wrote. */
export interface Materialized {
  readonly stats: QueryStats;
  /** Rows written; null where the engine does not say. */
  readonly rowsWritten: number | null;
  /** The build it wrote: `stateBuildFolder(kind, day, build)` holds it, and nothing else does. */
  readonly build: string;
}

/**
 * Incremental state an engine keeps in the results store (docs/design.md §5): per-day rollups and
 * the first-entry snapshot, written by the engine itself so no per-user row passes through the
 * pipeline. Keys are relative to the results store, like every other key.
 */
export interface StateCapability {
  /** How SQL reads and writes this engine's state (the engine's `dialect.state`). */
  readonly sql: StateSql;
  /**
   * Runs `query` (a SELECT) and stores its rows as a new build of the state of `kind` for `day`,
   * in a build folder of its own that nothing else writes to (the statement is `sql.materialize`).
   * It does not touch the manifest: the caller switches the manifest to the build afterwards.
   */
  materialize(query: Query, kind: StateKind, day: string, options?: RunOptions): Promise<Materialized>;
}

export interface QueryEngine {
  readonly dialect: Dialect;
  /** Present when the engine keeps incremental state next to the results (`keepsState`); then `dialect.state` is its SQL. */
  readonly state?: StateCapability;
  /** Engine name for `run.json` and the report: `duckdb` or `athena`. */
  readonly name: string;
  /** Runs one query; rejects with a `QueryError` naming the query. */
  run(query: Query, options?: RunOptions): Promise<QueryResult>;
  /**
   * Whether the lake has anything under day D's partition (`<partition>=D/`: data files, empty
   * files, or only markers such as Spark's `_SUCCESS`); null when this engine cannot list the lake.
   * Asked for a night without events, so an empty partition is not reported as a missing one.
   */
  hasLakePartition(day: string): Promise<boolean | null>;
  /**
   * The lake's first partition day, where the engine can list the lake (DuckDB over a folder);
   * undefined where it cannot (Athena: `lake.first_day` says it).
   */
  firstLakeDay?(): string | null;
  /** Releases connections; the engine is unusable afterwards. */
  close(): Promise<void>;
}
