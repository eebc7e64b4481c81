/**
 * The two dialects: `athena` (Trino SQL, engine v3) and `duckdb`. Each fragment says why it
 * differs where it does; identical fragments are shared from `common`.
 */

import { requireAthena } from '../config/require-athena';
import type { NsmConfig } from '../config/types';
import { type EngineName, keepsState } from '../state/keeps-state';
import type { Dialect } from './dialect';
import { DUCKDB_EVENTS_VIEW } from './duckdb-lake';
import { quoteIdent, quoteString } from './quote';
import { athenaStateSql, duckdbStateSql } from './state-sql';

const common = {
  dateLiteral: (day: string) => `DATE ${quoteString(day)}`,
  toDate: (expr: string) => `CAST(${expr} AS DATE)`,
  // TRY_CAST exists in both engines and yields NULL for 'abc', so bad property values are skipped.
  toDouble: (expr: string) => `TRY_CAST(${expr} AS DOUBLE)`,
};

/**
 * DuckDB over the local lake, which the engine exposes as the view `events`.
 * @param state.resultsDir the local results folder, when the engine keeps its state there
 */
export function duckdbDialect(state?: { resultsDir: string }): Dialect {
  return {
    name: 'duckdb',
    eventsTable: DUCKDB_EVENTS_VIEW,
    ...common,
    // DATE + INTEGER stays a DATE in DuckDB; DATE + INTERVAL would become a TIMESTAMP.
    addDays: (date, days) => `(${date} + CAST(${days} AS INTEGER))`,
    // A JSON Lines lake is read with exactly the configured columns (duckdb-lake.ts): nothing to describe.
    describeLake: (lake) =>
      lake.format === 'json' ? null : `SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM ${DUCKDB_EVENTS_VIEW})`,
    ...(state ? { state: duckdbStateSql(state.resultsDir) } : {}),
  };
}

/**
 * Athena engine v3 (Trino) over the Glue table `database.table`.
 * @param state.resultsLocation `s3://bucket/prefix` of the results, when the engine keeps its state there
 */
export function athenaDialect(database: string, table: string, state?: { resultsLocation: string }): Dialect {
  return {
    name: 'athena',
    eventsTable: `${quoteIdent(database)}.${quoteIdent(table)}`,
    ...common,
    // Trino has no DATE + INTEGER operator.
    addDays: (date, days) => `date_add('day', ${days}, ${date})`,
    // No schema worth asking: the stack builds the Glue table from the config's own columns, so
    // information_schema always lists them, and a column the lake's files lack reads as NULL. The
    // night's rows say whether a configured column holds anything (as on a JSON lake).
    describeLake: () => null,
    ...(state ? { state: athenaStateSql(database, state.resultsLocation) } : {}),
  };
}

/**
 * The dialect `engine` speaks for `config`, with the state SQL when the engine keeps state for the
 * config's results location (`keepsState`). What `nsm sql` prints and `nsm run` sends.
 * @throws InputError for Athena without `lake.athena`
 */
export function dialectFor(config: NsmConfig, engine: EngineName): Dialect {
  const results = config.results.location;
  const state = keepsState(engine, results);
  if (engine === 'duckdb') return duckdbDialect(state ? { resultsDir: results } : undefined);
  const athena = requireAthena(config);
  return athenaDialect(athena.database, athena.table, state ? { resultsLocation: results } : undefined);
}
