/**
 * The SQL of the incremental state (docs/design.md §5), per engine. Each build of a day's state is
 * Parquet in a folder of its own under the results location (`state/<kind>/<day>.<build>/`, see
 * results/layout.ts), and the day's manifest names the build that counts:
 *
 * - DuckDB writes it with COPY to `<results>/state/<kind>/<day>.<build>/data.parquet` and reads it
 *   with `read_parquet` over the builds' files;
 * - Athena writes it with UNLOAD into the build's folder and reads it back through the Glue tables
 *   the CDK stack defines over `state/<kind>/`, partitioned by `build` (the folder's name) with
 *   injected partition projection: `"build" IN (…)` makes Athena read exactly those folders (no
 *   crawler, no MSCK), and never a folder no manifest names.
 */
import { type StateKind, stateBuildFolder, stateBuildName } from '../results/layout';
import type { StateBuildRef, StateSql } from './dialect';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';
import { STATE_BUILD_COLUMN, STATE_TABLES } from './state-tables';

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
  const target = (kind: StateKind, day: string, build: string) => `${resultsDir}/${stateBuildFolder(kind, day, build)}data.parquet`;
  return {
    target,
    relation: (kind, builds) => `read_parquet([${builds.map((b) => quoteString(target(kind, b.day, b.build))).join(', ')}])`,
    materialize: (select, kind, day, build) => copyToParquet(select, target(kind, day, build)),
  };
}

/** Athena's state under `resultsLocation` (`s3://bucket/prefix`), read through the state tables of `database`. */
export function athenaStateSql(database: string, resultsLocation: string): StateSql {
  const target = (kind: StateKind, day: string, build: string) =>
    `${resultsLocation.replace(/\/+$/, '')}/${stateBuildFolder(kind, day, build)}`;
  const names = (builds: readonly StateBuildRef[]) => builds.map((b) => quoteString(stateBuildName(b.day, b.build))).join(', ');
  return {
    target,
    relation: (kind, builds) =>
      `(SELECT * FROM ${quoteIdent(database)}.${quoteIdent(STATE_TABLES[kind])} WHERE ${quoteIdent(STATE_BUILD_COLUMN)} IN (${names(builds)}))`,
    materialize: (select, kind, day, build) => unloadToParquet(select, target(kind, day, build)),
  };
}
