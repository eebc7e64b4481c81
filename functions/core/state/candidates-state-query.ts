/**
 * The candidates query over the incremental state (issue 9): the cohort comes from the
 * first-entry snapshot, the outcome and hit flags from the per-day rollups of the hit and
 * outcome ranges. Same columns and same counts as `buildCandidatesQuery` over the lake (a test
 * checks they are equal), but it reads about 70 small rollups instead of all of history.
 */
import type { CandidatesConfig } from '../config/types';
import type { Query } from '../engine';
import { actColumn, CANDIDATES_QUERY, candidateScanRanges, countsFromUsers, hitColumn } from '../sql/candidates-query';
import type { Dialect } from '../sql/dialect';
import { quoteString } from '../sql/quote';

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

  const scanned =
    `  SELECT\n    nsm_user,\n    ${dialect.toDate('nsm_day')} AS nsm_day,\n` +
    actions.map((a, i) => `    max(CASE WHEN nsm_event = ${s(a.event)} THEN 1 ELSE 0 END) AS ${actColumn(i)}`).join(',\n') +
    // Only cohort members' days matter (users LEFT JOINs scanned on them); filtering before the
    // GROUP BY keeps the aggregate to the cohort's rows instead of every active user's: about
    // 2.8x faster on the benchmark's night (docs/performance.md). NULL users never match IN.
    `\n  FROM ${rollups}\n  WHERE nsm_user IN (SELECT nsm_user FROM cohort)\n  GROUP BY nsm_user, nsm_day`;
  const cohort =
    `  SELECT nsm_user, ${dialect.toDate('nsm_entry_day')} AS nsm_entry_day\n  FROM ${entries}\n` +
    `  WHERE nsm_entry_day BETWEEN ${s(ranges.cohort.start)} AND ${s(ranges.cohort.end)}`;
  const userColumns = [
    'c.nsm_user',
    `max(CASE WHEN u.nsm_day BETWEEN ${plusDays(r - w + 1)} AND ${plusDays(r)} THEN 1 ELSE 0 END) AS nsm_retained`,
    ...actions.map(
      (a, i) =>
        `max(CASE WHEN u.${actColumn(i)} = 1 AND u.nsm_day BETWEEN ${entryDay} AND ${plusDays(a.within_days - 1)} AND u.nsm_day <= ${dialect.dateLiteral(ranges.hits.end)} THEN 1 ELSE 0 END) AS ${hitColumn(i)}`,
    ),
  ];
  const users = `  SELECT\n    ${userColumns.join(',\n    ')}\n  FROM cohort c\n  LEFT JOIN scanned u ON u.nsm_user = c.nsm_user\n  GROUP BY c.nsm_user`;
  return {
    name: CANDIDATES_QUERY,
    sql: `WITH cohort AS (\n${cohort}\n),\nscanned AS (\n${scanned}\n),\nusers AS (\n${users}\n),\n${countsFromUsers(actions)}`,
  };
}
