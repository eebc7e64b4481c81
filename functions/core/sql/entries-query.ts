/**
 * The first-entry snapshot: every user's entry day E (the first day they did the entry event) for
 * entry days up to D. The candidate cohort needs E "among all lake days up to D" (docs/design.md §2),
 * which from the lake alone means reading all history every night; the snapshot carries it from
 * night to night instead: snapshot(D) = snapshot(P) folded with the entry rows of the rollups of
 * P+1 … D. Only the first night (no earlier snapshot) reads the lake's whole entry history.
 */
import type { NsmConfig } from '../config/types';
import type { Dialect } from './dialect';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';

/** From the lake: the entry day of every user with an entry event on a day <= `dt`. */
export function buildEntriesFromLakeSelect(dialect: Dialect, config: Pick<NsmConfig, 'lake'>, entryEvent: string, dt: string): string {
  const { lake } = config;
  const user = quoteIdent(lake.columns.user);
  const part = quoteIdent(lake.partition);
  return sql`
    SELECT CAST(${user} AS VARCHAR) AS nsm_user, min(${part}) AS nsm_entry_day
    FROM ${dialect.eventsTable}
    WHERE ${part} <= ${quoteString(dt)} AND ${quoteIdent(lake.columns.event)} = ${quoteString(entryEvent)} AND ${user} IS NOT NULL
    GROUP BY ${user}`;
}

/** From an earlier snapshot (a relation) and the rollups (a relation) of the days after it. */
export function buildEntriesFromStateSelect(previous: string, rollups: string, entryEvent: string): string {
  return sql`
    SELECT nsm_user, min(nsm_entry_day) AS nsm_entry_day
    FROM (
      SELECT nsm_user, nsm_entry_day FROM ${previous}
      UNION ALL
      SELECT nsm_user, nsm_day AS nsm_entry_day FROM ${rollups}
      WHERE nsm_event = ${quoteString(entryEvent)} AND nsm_user IS NOT NULL
    ) AS nsm_entries
    GROUP BY nsm_user`;
}
