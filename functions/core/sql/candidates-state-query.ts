/**
 * The candidates query over the incremental state (docs/design.md §5): the cohort comes from the
 * first-entry snapshot, the outcome and hit flags from the per-day rollups of the hit and
 * outcome ranges. Same columns and same counts as `buildCandidatesQuery` over the lake (a test
 * checks they are equal), but it reads about 70 small rollups instead of all of history.
 */
import { candidateScanRanges } from '../candidates/scan-ranges';
import type { CandidatesConfig } from '../config/types';
import type { Query } from '../engine';
import { actColumn, CANDIDATES_QUERY, countsFromUsers, hitColumn } from './candidates-query';
import type { Dialect } from './dialect';
import { quoteString } from './quote';
import { sql } from './sql';

/**
 * @param rollups relation over the rollups of every day in `candidateRollupDays(...)`
 * @param entries relation over the first-entry snapshot of night `dt`
 */
export function buildCandidatesStateQuery(
  dialect: Dialect,
  candidates: CandidatesConfig,
  dt: string,
  rollups: string,
  entries: string,
): Query {
  const { actions } = candidates;
  const ranges = candidateScanRanges(candidates, dt);
  const s = quoteString;
  const entryDay = 'c.nsm_entry_day';
  const plusDays = (n: number) => dialect.addDays(entryDay, n);
  const { day: r, window_days: w } = candidates.retention;

  const scannedColumns = [
    'nsm_user',
    `${dialect.toDate('nsm_day')} AS nsm_day`,
    ...actions.map((a, i) => `max(CASE WHEN nsm_event = ${s(a.event)} THEN 1 ELSE 0 END) AS ${actColumn(i)}`),
  ];
  const userColumns = [
    'c.nsm_user',
    `max(CASE WHEN u.nsm_day BETWEEN ${plusDays(r - w + 1)} AND ${plusDays(r)} THEN 1 ELSE 0 END) AS nsm_retained`,
    ...actions.map(
      (a, i) =>
        `max(CASE WHEN u.${actColumn(i)} = 1 AND u.nsm_day BETWEEN ${entryDay} AND ${plusDays(a.within_days - 1)} AND u.nsm_day <= ${dialect.dateLiteral(ranges.hits.end)} THEN 1 ELSE 0 END) AS ${hitColumn(i)}`,
    ),
  ];
  // `scanned` keeps only cohort members' days (users LEFT JOINs scanned on them): filtering before
  // the GROUP BY keeps the aggregate to the cohort's rows instead of every active user's, about
  // 2.8x faster on the benchmark's night (docs/performance.md). NULL users never match IN.
  const query = sql`
    WITH cohort AS (
      SELECT nsm_user, ${dialect.toDate('nsm_entry_day')} AS nsm_entry_day
      FROM ${entries}
      WHERE nsm_entry_day BETWEEN ${s(ranges.cohort.start)} AND ${s(ranges.cohort.end)}
    ),
    scanned AS (
      SELECT
        ${scannedColumns}
      FROM ${rollups}
      WHERE nsm_user IN (SELECT nsm_user FROM cohort) AND nsm_event IS NOT NULL
      GROUP BY nsm_user, nsm_day
    ),
    users AS (
      SELECT
        ${userColumns}
      FROM cohort c
      LEFT JOIN scanned u ON u.nsm_user = c.nsm_user
      GROUP BY c.nsm_user
    ),
    ${countsFromUsers(actions)}`;
  return { name: CANDIDATES_QUERY, sql: query };
}
