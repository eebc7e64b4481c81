/**
 * The embedded engine: DuckDB over the local lake, exposed as the view `events` so that the SQL
 * the compiler emits for the `duckdb` dialect runs unchanged. Hive partitioning gives the
 * partition column from the folder names (kept VARCHAR, as Athena's projected `dt` is), and
 * filters on it prune files. JSON columns are all read as VARCHAR and cast where a number is
 * needed, so a stray string in a numeric property is skipped instead of failing the scan.
 */

import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { LakeConfig } from '../core/config/types';
import type { Cell, LakeDays, Query, QueryEngine, QueryResult, QueryStats, Row, StateCapability } from '../core/engine';
import { QueryError } from '../core/errors';
import type { Dialect } from '../core/sql/dialect';
import { duckdbDialect } from '../core/sql/dialects';
import { quoteString } from '../core/sql/quote';
import { type StateKind, stateFolderKey } from '../core/state/state-keys';
import { listLakeFiles } from './lake-files';

export interface DuckDbEngineOptions {
  /** DuckDB worker threads; default: DuckDB's own (all cores). */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. `1GB`; default `2GB` so a laptop run stays bounded. */
  readonly memoryLimit?: string;
  /** An instance to use instead of a new in-memory one (tests). */
  readonly instance?: DuckDBInstance;
  /**
   * The local results folder: when given, the engine keeps the incremental state (per-day rollups,
   * the first-entry snapshot) there as Parquet, and a night reads its own partition plus that state.
   */
  readonly stateDir?: string;
}

/** The lake view's definition, kept to scope it per query and to widen it if a Parquet file differs. */
interface LakeView {
  readonly config: LakeConfig;
  readonly columns: readonly string[];
  readonly files: readonly string[];
  /** The partition value of each of `files` (same order), or null where its path has none. */
  readonly fileDays: readonly (string | null)[];
  /** Read Parquet with union_by_name; set once a file's columns differ from the first file's. */
  unionByName: boolean;
}

export class DuckDbEngine implements QueryEngine {
  readonly dialect: Dialect = duckdbDialect();
  readonly name = 'duckdb';
  readonly state?: StateCapability;

  /** Bumped when the lake view is redefined; a query that failed on an older view is retried. */
  private viewVersion = 0;
  private widening: Promise<void> | undefined;

  /** Use {@link DuckDbEngine.open}, which creates the `events` view over `lake`. */
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly lake: LakeView,
    stateDir?: string,
  ) {
    if (stateDir !== undefined) this.state = new DuckDbState(this, stateDir);
  }

  /**
   * Opens a DuckDB instance with the view `events` over the lake at `lake.location`.
   * @param columns the lake columns the queries read (see `lakeColumnsUsed`)
   */
  static async open(lake: LakeConfig, columns: readonly string[], options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const files = await listLakeFiles(lake.location, lake.partition, lake.format);
    const instance =
      options.instance ??
      (await DuckDBInstance.create(':memory:', {
        memory_limit: options.memoryLimit ?? '2GB',
        ...(options.threads ? { threads: String(options.threads) } : {}),
      }));
    const view: LakeView = { config: lake, columns, files, fileDays: files.map((f) => partitionOf(f, lake.partition)), unionByName: false };
    const engine = new DuckDbEngine(instance, view, options.stateDir);
    await engine.createLakeView();
    return engine;
  }

  private async createLakeView(): Promise<void> {
    const lake = this.lake;
    const connection = await this.instance.connect();
    try {
      await connection.run(`CREATE OR REPLACE VIEW events AS ${lakeScanSql(lake.config, lake.columns, lake.files, lake.unionByName)}`);
    } finally {
      connection.closeSync();
    }
  }

  async run(query: Query): Promise<QueryResult> {
    const version = this.viewVersion;
    try {
      return await this.runOnce(query);
    } catch (err) {
      // A Parquet lake is first read with the first file's schema, which spares opening every
      // file's footer on each night. A file whose columns differ (a column added or dropped over
      // time) fails the query; widen the view to union_by_name then — once, shared by queries
      // running side by side — and run the query again.
      const lake = this.lake;
      if (!(lake.config.format === 'parquet' && isSchemaDrift(err))) throw err;
      if (this.viewVersion === version && !lake.unionByName) {
        this.widening ??= (async () => {
          lake.unionByName = true;
          await this.createLakeView();
          this.viewVersion++;
        })();
      }
      await this.widening;
      if (this.viewVersion === version) throw err;
      return this.runOnce(query);
    }
  }

  private async runOnce(query: Query): Promise<QueryResult> {
    const started = performance.now();
    // One connection per query, so that a night's independent queries can run side by side.
    let connection: DuckDBConnection | undefined;
    try {
      connection = await this.instance.connect();
      // A query that says which partitions it reads gets its own `events` over just their files
      // (a TEMP view is private to this connection and shadows the lake-wide one): DuckDB spends
      // ~16 µs per file listed on every scan, pruned or not — 7.7 ms a query at 467 files,
      // growing with history, for a night whose own work is a few partitions.
      const files = this.filesFor(query.lakeDays);
      if (files)
        await connection.run(
          `CREATE TEMP VIEW events AS ${lakeScanSql(this.lake.config, this.lake.columns, files, this.lake.unionByName)}`,
        );
      const reader = await connection.runAndReadAll(query.sql);
      const rows = reader.getRowObjects().map(toRow);
      return {
        rows,
        stats: { name: query.name, query_id: null, ms: Math.round(performance.now() - started), bytes_scanned: null, rows: rows.length },
      };
    } catch (err) {
      throw new QueryError(query.name, err instanceof Error ? err.message.split('\n')[0]! : String(err), undefined, { cause: err });
    } finally {
      connection?.closeSync();
    }
  }

  async close(): Promise<void> {
    this.instance.closeSync();
  }

  /** The lake files of `days`, or null to use the lake-wide view (no range, or no file in it). */
  private filesFor(days: LakeDays | undefined): string[] | null {
    const lake = this.lake;
    if (!days) return null;
    const files = lake.files.filter((_, i) => {
      const day = lake.fileDays[i];
      return day !== null && day !== undefined && (days.from === undefined || day >= days.from) && day <= days.to;
    });
    return files.length > 0 && files.length < lake.files.length ? files : null;
  }
}

/** The partition value in a lake file's path (`…/dt=2024-06-30/part-0.parquet` → `2024-06-30`), or null. */
function partitionOf(file: string, partition: string): string | null {
  const prefix = `${partition}=`;
  const folder = file
    .split(/[\\/]/)
    .reverse()
    .find((part) => part.startsWith(prefix));
  return folder === undefined ? null : folder.slice(prefix.length);
}

/**
 * State as Parquet files under the results folder, written with COPY to a temporary name and
 * renamed into place, so a reader never sees half a file and a crash leaves the old one.
 */
export class DuckDbState implements StateCapability {
  /** @param engine runs the COPY statements (null: only print them, for `nsm sql`) */
  constructor(
    private readonly engine: DuckDbEngine | null,
    private readonly root: string,
  ) {}

  relation(kind: StateKind, days: readonly string[]): string {
    return `read_parquet([${days.map((day) => quoteString(this.file(kind, day))).join(', ')}])`;
  }

  async materialize(query: Query, kind: StateKind, day: string): Promise<{ stats: QueryStats; rowsWritten: number | null }> {
    if (!this.engine) throw new Error('DuckDbState without an engine only prints statements');
    const target = this.file(kind, day);
    const partial = `${target}.partial-${process.pid}`;
    await mkdir(dirname(target), { recursive: true });
    try {
      const result = await this.engine.run({ ...query, sql: copySql(query.sql, partial) });
      await rename(partial, target);
      // COPY answers with one row: the number of rows written.
      const count = result.rows[0]?.Count;
      return { stats: result.stats, rowsWritten: typeof count === 'number' ? count : null };
    } finally {
      await rm(partial, { force: true });
    }
  }

  materializeSql(select: string, kind: StateKind, day: string): string {
    return copySql(select, this.file(kind, day));
  }

  private file(kind: StateKind, day: string): string {
    return join(this.root, stateFolderKey(kind, day), 'data.parquet');
  }
}

/** DuckDB's errors for files whose columns differ from the first file's. */
function isSchemaDrift(err: unknown): boolean {
  const text = String((err as Error).cause ?? err);
  return /union_by_name|Referenced column .* not found/.test(text);
}

const copySql = (select: string, file: string) => `COPY (\n${select}\n) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`;

/** `SELECT * FROM read_json(...)` or `read_parquet(...)` over `files` with Hive partitioning. */
export function lakeScanSql(lake: LakeConfig, columns: readonly string[], files: readonly string[], unionByName = false): string {
  const list = `[${files.map(quoteString).join(', ')}]`;
  const hiveTypes = `{${quoteString(lake.partition)}: 'VARCHAR'}`;
  if (lake.format === 'parquet') {
    return `SELECT * FROM read_parquet(${list}, hive_partitioning = true, hive_types = ${hiveTypes}, union_by_name = ${unionByName})`;
  }
  const schema = `{${columns.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}}`;
  return (
    `SELECT * FROM read_json(${list}, format = 'newline_delimited', hive_partitioning = true, ` +
    `hive_types = ${hiveTypes}, columns = ${schema}, ignore_errors = false)`
  );
}

/** DuckDB values to plain cells: BIGINT to number when safe, DATE and others to their text. */
function toRow(raw: Record<string, DuckDBValue>): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(raw)) row[key] = toCell(value);
  return row;
}

function toCell(value: DuckDBValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  // DECIMAL, DATE, TIMESTAMP, … values print themselves; numbers come back as numbers.
  const text = String(value);
  const asNumber = Number(text);
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) && Number.isFinite(asNumber) ? asNumber : text;
}
