/**
 * A SQL dialect is data (docs/design.md §1): the fragments that differ between engines, and where
 * the engine keeps its incremental state and how SQL reads and writes it. Query builders take a
 * dialect as their first argument and never test the engine's name. Day arithmetic happens on DATE
 * values only, because DuckDB and Trino disagree on timestamps (`date_diff` on timestamps counts
 * boundaries in DuckDB, whole days in Trino; `DATE - INTERVAL` is a TIMESTAMP in DuckDB).
 */
import type { LakeConfig } from '../config/types';
import type { StateKind } from '../results/layout';

export interface Dialect {
  readonly name: 'athena' | 'duckdb';
  /** The events relation: a view in DuckDB, `"database"."table"` in Athena. */
  readonly eventsTable: string;
  /** A DATE literal for a `YYYY-MM-DD` day. */
  dateLiteral(day: string): string;
  /** A `YYYY-MM-DD` string expression (the partition value) as a DATE. */
  toDate(expr: string): string;
  /** DATE `date` plus integer `days`, still a DATE. */
  addDays(date: string, days: string | number): string;
  /** Any value as DOUBLE, NULL when it is not a number (never an error). */
  toDouble(expr: string): string;
  /**
   * A SELECT of the lake's columns (`name`, `type`, the engine's type names), or null where the
   * lake has no schema to ask (see `lakeColumnsQuery`).
   */
  describeLake(lake: LakeConfig): string | null;
  /**
   * The incremental state's SQL, when the engine keeps state for this results location
   * (`keepsState`); absent otherwise, and every query then reads the lake.
   */
  readonly state?: StateSql;
}

/** One build of a day's state, as its manifest names it. */
export interface StateBuildRef {
  readonly day: string;
  readonly build: string;
}

/** How one engine's SQL reads and writes the incremental state (docs/design.md §5). */
export interface StateSql {
  /** Where build `build` of `kind` for `day` is written: a Parquet file (DuckDB) or an `s3://` folder (Athena). */
  target(kind: StateKind, day: string, build: string): string;
  /** A FROM-clause relation over the given builds of `kind` (each complete, each named by its day's manifest). */
  relation(kind: StateKind, builds: readonly StateBuildRef[]): string;
  /** The statement that stores the rows of `select` as build `build` of `kind` for `day`: COPY (DuckDB) or UNLOAD (Athena). */
  materialize(select: string, kind: StateKind, day: string, build: string): string;
}
