/**
 * The SQL `nsm init` runs to profile a lake it has not seen (DuckDB over the view `events`): its
 * event names with counts and first/last day (`lakeEventsQuery` over every day), and what new
 * users do early — the raw material of a starter config's candidate actions.
 */
import type { Dialect } from './dialect';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';

/**
 * A JSON Lines scan that lets DuckDB find the keys and their types (`nsm init`; nights read the
 * configured keys as text). Lines that are not JSON are skipped, as nights skip them.
 */
export const jsonAutoScanSql = (files: readonly string[]) =>
  `SELECT * FROM read_json([${files.map(quoteString).join(', ')}], format = 'newline_delimited', union_by_name = true, ignore_errors = true)`;

/** A Parquet scan over `files`, every file's own columns (`nsm init`). */
export const parquetScanSql = (files: readonly string[]) =>
  `SELECT * FROM read_parquet([${files.map(quoteString).join(', ')}], union_by_name = true)`;

/** Describes the rows of a scan (`name`, `type`), e.g. to learn a JSON lake's keys and their types. */
export const describeScanSql = (scan: string) => `SELECT column_name AS name, column_type AS type FROM (DESCRIBE ${scan})`;

/**
 * Per event name: distinct users ever (`users`), and among the users whose first day is after the
 * lake's first day (new users: `newcomers` in total) how many did it on their first day
 * (`day0`) and within their first `days` days (`early`).
 */
export function newUserEventsSql(
  dialect: Dialect,
  columns: { user: string; event: string; partition: string },
  lakeFirstDay: string,
  days: number,
): string {
  const user = `CAST(${quoteIdent(columns.user)} AS VARCHAR)`;
  const event = `CAST(${quoteIdent(columns.event)} AS VARCHAR)`;
  const day = quoteIdent(columns.partition);
  return sql`
    WITH ev AS (
      SELECT ${user} AS u, ${event} AS e, ${dialect.toDate(day)} AS d FROM ${dialect.eventsTable} WHERE ${user} IS NOT NULL
    ),
    firsts AS (
      SELECT u, min(d) AS d0 FROM ev GROUP BY u
    ),
    newcomers AS (
      SELECT u, d0 FROM firsts WHERE d0 > ${dialect.dateLiteral(lakeFirstDay)}
    )
    SELECT
      ev.e AS nsm_event,
      count(DISTINCT ev.u) AS users,
      count(DISTINCT CASE WHEN ev.d = n.d0 THEN ev.u END) AS day0,
      count(DISTINCT CASE WHEN ev.d < ${dialect.addDays('n.d0', days)} THEN n.u END) AS early,
      (SELECT count(*) FROM newcomers) AS newcomers
    FROM ev LEFT JOIN newcomers n ON n.u = ev.u
    WHERE ev.e IS NOT NULL
    GROUP BY ev.e`;
}
