/**
 * The local lake as DuckDB reads it: the view `events` (the duckdb dialect's `eventsTable`) over
 * the lake's files. The partition column is taken from each file's path — the `<partition>=<day>`
 * folder — and kept VARCHAR, as Athena's projected `dt` is; filters on it prune files (DuckDB
 * evaluates them on the file names before reading). Not DuckDB's own Hive partitioning: it would
 * make every `key=value` folder on the way a column (a loader's `hour=07/` subfolder) and refuse a
 * partition whose files sit at different depths, while Athena simply reads every file under the
 * partition's folder. JSON columns are all read as VARCHAR and cast where a number is needed, so a
 * stray string in a numeric property is skipped instead of failing the scan. A line that is not
 * valid JSON reads as a row whose every column is NULL (`ignore_errors`), as on Athena with
 * `ignore.malformed.json`: not an event to any query, and counted as `malformed_rows`.
 */
import type { LakeConfig } from '../config/types';
import { quoteIdent, quoteString } from './quote';

/** The view the DuckDB engine defines over the lake, and the duckdb dialect's events relation. */
export const DUCKDB_EVENTS_VIEW = 'events';

/**
 * The column that carries each row's file name inside the scan. It must be DuckDB's own name,
 * `filename`: DuckDB prunes files on a filter over that column only (a renamed one is read for
 * every file). The view drops it, so a lake column of that name is not reachable: none is needed.
 */
const FILE_COLUMN = 'filename';

/**
 * `SELECT …` over `files` (read_json or read_parquet), with the partition column taken from each
 * file's `<partition>=<day>/` folder.
 * @param columns the lake columns the queries read (JSON: each read as VARCHAR)
 * @param unionByName Parquet only: read every file's own columns (files whose columns differ)
 */
export function lakeScanSql(lake: LakeConfig, columns: readonly string[], files: readonly string[], unionByName = false): string {
  const list = `[${files.map(quoteString).join(', ')}]`;
  const common = 'hive_partitioning = false, filename = true';
  const source =
    lake.format === 'parquet'
      ? `read_parquet(${list}, ${common}, union_by_name = ${unionByName})`
      : `read_json(${list}, format = 'newline_delimited', ${common}, columns = {${columns.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}}, ignore_errors = true)`;
  // The folder separator of either system (`/`, `\`); the day is the folder's whole value.
  const sep = String.raw`[/\\]`;
  const value = String.raw`([^/\\]*)`;
  const day = `regexp_extract(${FILE_COLUMN}, ${quoteString(`${sep}${lake.partition}=${value}${sep}`)}, 1)`;
  return `SELECT * EXCLUDE (${FILE_COLUMN}), ${day} AS ${quoteIdent(lake.partition)} FROM ${source}`;
}

/** Defines (or redefines) the lake-wide view over `scan`. */
export const lakeViewSql = (scan: string) => `CREATE OR REPLACE VIEW ${DUCKDB_EVENTS_VIEW} AS ${scan}`;

/**
 * A connection-local view over `scan` (a few partitions' files) that shadows the lake-wide one for
 * one query: DuckDB spends ~16 µs per file listed on every scan, pruned or not.
 */
export const queryLakeViewSql = (scan: string) => `CREATE TEMP VIEW ${DUCKDB_EVENTS_VIEW} AS ${scan}`;
