/**
 * The per-day rollup: one row per (user, account, event) of one day — and, with `segments`, per
 * value of each dimension — with the number of events and the sum of every numeric property a
 * `sum` metric reads. Every metric of docs/design.md §2, its segments and the candidate test can
 * be computed exactly from rollups: counts add up, sums add up, and the distinct users/accounts of
 * a window (or of a segment) are the distinct ids among its days' rollup rows. Dimensions are
 * stored as their raw text, not as tonight's segments: which values are named changes by night.
 */
import type { NsmConfig } from '../config/types';
import { propertyColumn, summedProperties } from '../metrics/event-metrics';
import type { Dialect } from './dialect';
import { dimensionColumn, dimensionText } from './metrics-sources';
import { quoteIdent, quoteString } from './quote';
import { sql } from './sql';

/** SELECT building day `dt`'s rollup from the lake (reads that one partition). */
export function buildRollupSelect(dialect: Dialect, config: Pick<NsmConfig, 'lake' | 'metrics' | 'segments'>, dt: string): string {
  const { lake } = config;
  const c = lake.columns;
  const user = quoteIdent(c.user);
  const event = quoteIdent(c.event);
  const account = c.account ? quoteIdent(c.account) : null;
  const dimensions = config.segments?.dimensions ?? [];
  const columns = [
    `${quoteString(dt)} AS nsm_day`,
    // Text, whatever the lake's type: the state tables declare these columns as strings.
    `CAST(${user} AS VARCHAR) AS nsm_user`,
    `CAST(${account ?? 'CAST(NULL AS VARCHAR)'} AS VARCHAR) AS nsm_account`,
    `${event} AS nsm_event`,
    'count(*) AS nsm_n',
    ...summedProperties(config.metrics).map((p) => `sum(${dialect.toDouble(quoteIdent(p))}) AS ${quoteIdent(propertyColumn(p))}`),
    ...dimensions.map((d) => `${dimensionText(quoteIdent(d))} AS ${quoteIdent(dimensionColumn(d))}`),
  ];
  const groupBy = [...(account ? [user, account, event] : [user, event]), ...dimensions.map((d) => quoteIdent(d))];
  return sql`
    SELECT
      ${columns}
    FROM ${dialect.eventsTable}
    WHERE ${quoteIdent(lake.partition)} = ${quoteString(dt)}
    GROUP BY ${groupBy.join(', ')}`;
}
