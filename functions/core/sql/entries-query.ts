/**
 * The first-entry snapshot: every user's entry day E (the first day they did the entry event) for
 * entry days up to a night N. The candidate cohort needs E "among all lake days up to D"
 * (docs/design.md §2), which from the lake alone means reading all history every night; the
 * snapshot carries it from night to night instead: snapshot(N) = snapshot(P) folded with the entry
 * rows of days P+1 … N, read from the per-day rollups or, a bounded chunk of days at a time, from
 * the lake itself. A fold is `min(entry day)` per user over the union, so reading a day twice is
 * harmless and the order of the chunks does not matter.
 */
import type { NsmConfig } from '../config/types';
import type { Dialect } from './dialect';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';

/**
 * The entry rows (`nsm_user`, `nsm_entry_day`) of the lake's days `from` … `to` (the partitions it
 * reads): one per event of the entry event.
 */
export function lakeEntryRows(dialect: Dialect, config: Pick<NsmConfig, 'lake'>, entryEvent: string, from: string, to: string): string {
  const { lake } = config;
  const user = quoteIdent(lake.columns.user);
  const part = quoteIdent(lake.partition);
  return sql`
    SELECT CAST(${user} AS VARCHAR) AS nsm_user, ${part} AS nsm_entry_day
    FROM ${dialect.eventsTable}
    WHERE ${part} BETWEEN ${quoteString(from)} AND ${quoteString(to)} AND ${quoteIdent(lake.columns.event)} = ${quoteString(entryEvent)} AND ${user} IS NOT NULL`;
}

/** The entry rows of the rollups in `rollups` (a relation over some days' rollups). */
export function rollupEntryRows(rollups: string, entryEvent: string): string {
  return sql`
    SELECT nsm_user, nsm_day AS nsm_entry_day FROM ${rollups}
    WHERE nsm_event = ${quoteString(entryEvent)} AND nsm_user IS NOT NULL`;
}

/**
 * A snapshot: each user's first entry day among `rows` (entry rows, as above) and, when given, the
 * earlier snapshot `previous` (a relation).
 */
export function buildEntriesSelect(previous: string | null, rows: string): string {
  if (previous === null) {
    return sql`
      SELECT nsm_user, min(nsm_entry_day) AS nsm_entry_day
      FROM (
        ${rows}
      ) AS nsm_entries
      GROUP BY nsm_user`;
  }
  return sql`
    SELECT nsm_user, min(nsm_entry_day) AS nsm_entry_day
    FROM (
      SELECT nsm_user, nsm_entry_day FROM ${previous}
      UNION ALL
      ${rows}
    ) AS nsm_entries
    GROUP BY nsm_user`;
}
