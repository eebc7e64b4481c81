/**
 * The late-data re-check's query (docs/alerts.md "Late data re-judged"): how many events night D's
 * partition holds now. It reads that one partition and nothing else, so re-checking a few
 * `data_incomplete` nights costs a few partition scans, not a night each.
 */
import type { LakeConfig } from '../config/types';
import type { Query } from '../engine';
import type { Dialect } from './dialect';
import { DAY_EVENTS_COLUMN } from './metrics-query';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';

/** The query's name prefix in `nsm sql`, logs and `run.json`: `recheck 2026-11-28`. */
export const RECHECK_QUERY = 'recheck';

/**
 * Counts D's events the way the metrics query's `day_events` does — the rows of D's partition that
 * have an event name (a malformed JSON line is read as a row of NULLs, and is no event) — so that
 * the re-check and the night's own freshness guard compare like with like.
 */
export function buildDayEventsQuery(dialect: Dialect, lake: LakeConfig, dt: string): Query {
  const query = sql`
    SELECT
      count(${quoteIdent(lake.columns.event)}) AS ${DAY_EVENTS_COLUMN}
    FROM ${dialect.eventsTable}
    WHERE ${quoteIdent(lake.partition)} = ${quoteString(dt)}`;
  return { name: `${RECHECK_QUERY} ${dt}`, sql: query, lakeDays: { from: dt, to: dt } };
}
