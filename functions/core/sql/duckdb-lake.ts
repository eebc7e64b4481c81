/**
 * The local lake as DuckDB reads it: the view `events` (the duckdb dialect's `eventsTable`) over
 * the lake's files with Hive partitioning. The partition column comes from the folder names, kept
 * VARCHAR as Athena's projected `dt` is, and filters on it prune files. JSON columns are all read
 * as VARCHAR and cast where a number is needed, so a stray string in a numeric property is skipped
 * instead of failing the scan.
 */
import type { LakeConfig } from '../config/types';
import { quoteString } from './quote';

/** The view the DuckDB engine defines over the lake, and the duckdb dialect's events relation. */
export const DUCKDB_EVENTS_VIEW = 'events';

/**
 * `SELECT * FROM read_json(...)` or `read_parquet(...)` over `files` with Hive partitioning.
 * @param columns the lake columns the queries read (JSON: each read as VARCHAR)
 * @param unionByName Parquet only: read every file's own columns (files whose columns differ)
 */
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

/** Defines (or redefines) the lake-wide view over `scan`. */
export const lakeViewSql = (scan: string) => `CREATE OR REPLACE VIEW ${DUCKDB_EVENTS_VIEW} AS ${scan}`;

/**
 * A connection-local view over `scan` (a few partitions' files) that shadows the lake-wide one for
 * one query: DuckDB spends ~16 µs per file listed on every scan, pruned or not.
 */
export const queryLakeViewSql = (scan: string) => `CREATE TEMP VIEW ${DUCKDB_EVENTS_VIEW} AS ${scan}`;
