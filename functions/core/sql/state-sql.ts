/**
 * The SQL of the incremental state (docs/design.md §5), per engine. Each day's state is Parquet in
 * its own folder under the results location (`state/<kind>/dt=D/`, see results/layout.ts):
 *
 * - DuckDB writes it with COPY to `<results>/state/<kind>/dt=D/data.parquet` and reads it with
 *   `read_parquet` over the days' files;
 * - Athena writes it with UNLOAD into the day's folder and reads it back through the Glue tables
 *   the CDK stack defines over `state/<kind>/` (partition projection on `dt`, so no crawler and no
 *   MSCK): equality on the projected partition makes Athena read exactly those days' folders.
 */
import { type StateKind, stateFolderKey } from '../results/layout';
import type { StateSql } from './dialect';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';
import { STATE_TABLES } from './state-tables';

/** `COPY (select) TO 'file' …`: DuckDB writes the rows of `select` to one Parquet file. */
export function copyToParquet(select: string, file: string): string {
  return sql`
    COPY (
    ${select}
    ) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`;
}

/** `UNLOAD (select) TO 's3://…/' …`: Athena writes the rows of `select` as Parquet into an empty folder. */
export function unloadToParquet(select: string, folder: string): string {
  return sql`
    UNLOAD (
    ${select}
    ) TO ${quoteString(folder)} WITH (format = 'PARQUET', compression = 'SNAPPY')`;
}

/** DuckDB's state under the local results folder `resultsDir` (an absolute path). */
export function duckdbStateSql(resultsDir: string): StateSql {
  const target = (kind: StateKind, day: string) => `${resultsDir}/${stateFolderKey(kind, day)}data.parquet`;
  return {
    target,
    relation: (kind, days) => `read_parquet([${days.map((day) => quoteString(target(kind, day))).join(', ')}])`,
    materialize: (select, kind, day) => copyToParquet(select, target(kind, day)),
  };
}

/** Athena's state under `resultsLocation` (`s3://bucket/prefix`), read through the state tables of `database`. */
export function athenaStateSql(database: string, resultsLocation: string): StateSql {
  const target = (kind: StateKind, day: string) => `${resultsLocation.replace(/\/+$/, '')}/${stateFolderKey(kind, day)}`;
  return {
    target,
    relation: (kind, days) =>
      `(SELECT * FROM ${quoteIdent(database)}.${quoteIdent(STATE_TABLES[kind])} WHERE "dt" IN (${days.map(quoteString).join(', ')}))`,
    materialize: (select, kind, day) => unloadToParquet(select, target(kind, day)),
  };
}
