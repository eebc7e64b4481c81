/**
 * The two dialects: `athena` (Trino SQL, engine v3) and `duckdb`. Each fragment says why it
 * differs where it does; identical fragments are shared from `common`.
 */
import type { Dialect } from './dialect';
import { quoteIdent, quoteString } from './quote';

const common = {
  dateLiteral: (day: string) => `DATE ${quoteString(day)}`,
  toDate: (expr: string) => `CAST(${expr} AS DATE)`,
  // TRY_CAST exists in both engines and yields NULL for 'abc', so bad property values are skipped.
  toDouble: (expr: string) => `TRY_CAST(${expr} AS DOUBLE)`,
};

/** DuckDB over the local lake, which the engine exposes as the view `events`. */
export function duckdbDialect(): Dialect {
  return {
    name: 'duckdb',
    eventsTable: 'events',
    ...common,
    // DATE + INTEGER stays a DATE in DuckDB; DATE + INTERVAL would become a TIMESTAMP.
    addDays: (date, days) => `(${date} + CAST(${days} AS INTEGER))`,
  };
}

/** Athena engine v3 (Trino) over the Glue table `database.table`. */
export function athenaDialect(database: string, table: string): Dialect {
  return {
    name: 'athena',
    eventsTable: `${quoteIdent(database)}.${quoteIdent(table)}`,
    ...common,
    // Trino has no DATE + INTEGER operator.
    addDays: (date, days) => `date_add('day', ${days}, ${date})`,
  };
}
