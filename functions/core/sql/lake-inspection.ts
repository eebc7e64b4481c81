/**
 * The queries that look at the lake itself rather than at metrics: which columns it has (and their
 * types), and which event names it holds over some days. `nsm run` asks them of the night's own
 * partition before any state is built, `nsm validate --lake` of the last 28 days, `nsm init` of
 * the whole lake.
 */
import type { LakeConfig } from '../config/types';
import type { Query } from '../engine';
import type { Dialect } from './dialect';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';

export const LAKE_COLUMNS_QUERY = 'lake-columns';
export const LAKE_EVENTS_QUERY = 'lake-events';

/** Column `i` of the events query: how many of a group's events have the i-th checked column. */
export const presentColumn = (i: number) => `nsm_has_${i}`;

/**
 * The lake's columns and their types (rows `name`, `type`) as the night `day` sees them, or null
 * where the lake has no schema worth asking, and presence is checked in the night's data instead: a
 * JSON Lines lake read by DuckDB has exactly the columns the config names (each key read as text),
 * and Athena's Glue table is the stack's, built from the config's columns (a column the files lack
 * reads as NULL). DuckDB describes the view over the day's Parquet files (a footer each).
 */
export function lakeColumnsQuery(dialect: Dialect, lake: LakeConfig, day: string): Query | null {
  const describe = dialect.describeLake(lake);
  return describe === null ? null : { name: LAKE_COLUMNS_QUERY, sql: describe, lakeDays: { from: day, to: day } };
}

/**
 * Event names with their counts and first and last day, over days `from` … `to` (rows `nsm_event`,
 * `nsm_n`, `nsm_first`, `nsm_last`, then `nsm_has_i`: how many of them have `present[i]`).
 */
export function lakeEventsQuery(
  dialect: Dialect,
  lake: LakeConfig,
  eventColumn: string,
  from: string,
  to: string,
  present: readonly string[] = [],
): Query {
  const partition = quoteIdent(lake.partition);
  const range = from === to ? `${partition} = ${quoteString(to)}` : `${partition} BETWEEN ${quoteString(from)} AND ${quoteString(to)}`;
  return {
    name: LAKE_EVENTS_QUERY,
    sql: sql`
      SELECT
        ${[
          `CAST(${quoteIdent(eventColumn)} AS VARCHAR) AS nsm_event`,
          'count(*) AS nsm_n',
          `min(${partition}) AS nsm_first`,
          `max(${partition}) AS nsm_last`,
          ...present.map((c, i) => `count(${quoteIdent(c)}) AS ${presentColumn(i)}`),
        ]}
      FROM ${dialect.eventsTable}
      WHERE ${range}
      GROUP BY 1
      ORDER BY nsm_n DESC`,
    lakeDays: { from, to },
  };
}
