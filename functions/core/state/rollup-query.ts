/**
 * The per-day rollup: one row per (user, account, event) of one day, with the number of events
 * and the sum of every numeric property a `sum` metric reads. Every metric of DESIGN.md §2 and
 * the candidate test can be computed exactly from rollups: counts add up, sums add up, and the
 * distinct users/accounts of a window are the distinct ids among its days' rollup rows.
 */
import type { NsmConfig } from '../config/types';
import { propertyColumn, summedProperties } from '../metrics/event-metrics';
import type { Dialect } from '../sql/dialect';
import { quoteIdent, quoteString } from '../sql/quote';

/**
 * Identifies what a rollup was built from: the summed properties and every lake setting that
 * changes its rows. A rollup of another shape (the config changed) is rebuilt.
 */
export function rollupShape(config: Pick<NsmConfig, 'metrics' | 'lake'>): string {
  return JSON.stringify({ v: 2, lake: lakeIdentity(config.lake), properties: summedProperties(config.metrics) });
}

/** The lake settings state depends on (not the Athena names, which only say where to query). */
export function lakeIdentity(lake: NsmConfig['lake']): object {
  return { location: lake.location, format: lake.format, partition: lake.partition, columns: lake.columns };
}

/** SELECT building day `dt`'s rollup from the lake (reads that one partition). */
export function buildRollupSelect(dialect: Dialect, config: Pick<NsmConfig, 'lake' | 'metrics'>, dt: string): string {
  const { lake } = config;
  const c = lake.columns;
  const account = c.account ? quoteIdent(c.account) : 'CAST(NULL AS VARCHAR)';
  const columns = [
    `${quoteString(dt)} AS nsm_day`,
    // Text, whatever the lake's type: the state tables declare these columns as strings.
    `CAST(${quoteIdent(c.user)} AS VARCHAR) AS nsm_user`,
    `CAST(${account} AS VARCHAR) AS nsm_account`,
    `${quoteIdent(c.event)} AS nsm_event`,
    'count(*) AS nsm_n',
    ...summedProperties(config.metrics).map((p) => `sum(${dialect.toDouble(quoteIdent(p))}) AS ${quoteIdent(propertyColumn(p))}`),
  ];
  return (
    `SELECT\n  ${columns.join(',\n  ')}\nFROM ${dialect.eventsTable}\n` +
    `WHERE ${quoteIdent(lake.partition)} = ${quoteString(dt)}\n` +
    `GROUP BY ${quoteIdent(c.user)}, ${account === 'CAST(NULL AS VARCHAR)' ? '' : `${account}, `}${quoteIdent(c.event)}`
  );
}
