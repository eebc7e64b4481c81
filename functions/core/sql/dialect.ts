/**
 * A SQL dialect is data: a small set of fragment functions that differ between engines
 * (DESIGN.md §1). Query builders take a dialect as their first argument and never test the
 * engine's name. Day arithmetic happens on DATE values only, because DuckDB and Trino disagree
 * on timestamps (`date_diff` on timestamps counts boundaries in DuckDB, whole days in Trino;
 * `DATE - INTERVAL` is a TIMESTAMP in DuckDB).
 */
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
}
