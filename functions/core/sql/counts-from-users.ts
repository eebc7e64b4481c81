/**
 * The end of the candidates query: from the CTE `users` (one row per cohort member, with
 * `nsm_retained` 0/1 and per-action columns, see `./cohort-users.ts`), the CTE `totals` (one row
 * of sums over the cohort) and the final SELECT with one row per group (an action) holding the
 * group's labels and its 2×2 counts:
 * cohort_size, n_hit, n_miss, retained_hit, retained_miss. No per-user row leaves the engine.
 */
import { sql } from './sql';

/** One result row of the query. */
export interface CountGroup {
  /** SQL literals of the group's label columns, in `labelColumns` order. */
  readonly labels: readonly string[];
  /** Aggregate over `users`: the number of hitters. */
  readonly nHit: string;
  /** Aggregate over `users`: the number of retained hitters. */
  readonly retainedHit: string;
}

/**
 * `totals AS (…) SELECT …` (to follow the `users` CTE), rows in `groups` order.
 * @param labelColumns names of the label columns, such as `candidate_id`
 */
export function countsFromUsers(labelColumns: readonly string[], groups: readonly CountGroup[]): string {
  const totalColumns = [
    'count(*) AS nsm_cohort',
    'sum(nsm_retained) AS nsm_retained',
    ...groups.flatMap((g, i) => [`${g.nHit} AS nsm_n_hit_${i}`, `${g.retainedHit} AS nsm_retained_hit_${i}`]),
  ];
  // An empty cohort sums to NULL: COALESCE to 0. CAST to BIGINT: DuckDB sums integers as HUGEINT.
  const pick = (column: (i: number) => string) =>
    `CAST(coalesce(CASE a.nsm_idx ${groups.map((_, i) => `WHEN ${i} THEN ${column(i)}`).join(' ')} END, 0) AS BIGINT)`;
  const nHit = pick((i) => `t.nsm_n_hit_${i}`);
  const retainedHit = pick((i) => `t.nsm_retained_hit_${i}`);
  const values = groups.map((g, i) => `(${[String(i), ...g.labels].join(', ')})`).join(', ');
  const columns = [
    ...labelColumns.map((c) => `a.${c}`),
    'CAST(t.nsm_cohort AS BIGINT) AS cohort_size',
    `${nHit} AS n_hit`,
    `CAST(t.nsm_cohort AS BIGINT) - ${nHit} AS n_miss`,
    `${retainedHit} AS retained_hit`,
    `CAST(coalesce(t.nsm_retained, 0) AS BIGINT) - ${retainedHit} AS retained_miss`,
  ];
  return sql`
    totals AS (
      SELECT
        ${totalColumns}
      FROM users
    )
    SELECT
      ${columns}
    FROM (VALUES ${values}) AS a (${['nsm_idx', ...labelColumns].join(', ')})
    CROSS JOIN totals t
    ORDER BY a.nsm_idx`;
}
