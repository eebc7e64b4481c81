/**
 * The floor (target 2 of docs/performance.md): one bare DuckDB pass that reads every needed column of the given
 * files once. "Needed" = what a night's metrics and candidates read: the user, account and event
 * columns, the partition column, and every `sum` metric's property (cast to DOUBLE as the
 * pipeline does). Each column feeds an aggregate, so none can be skipped by projection pushdown;
 * the distinct counts make the pass do the hashing a night does too.
 */
import type { NsmConfig } from '../functions/core/config/types';
import { summedProperties } from '../functions/core/metrics/event-metrics';
import { quoteIdent, quoteString } from '../functions/core/sql/quote';

export interface FloorColumns {
  /** Text columns (user, account, event). */
  readonly text: readonly string[];
  /** Numeric properties summed by metrics. */
  readonly numeric: readonly string[];
}

/** The lake columns a night needs (the `time` column is not: days come from the partition). */
export function neededColumns(config: Pick<NsmConfig, 'lake' | 'metrics'>): FloorColumns {
  const { user, account, event } = config.lake.columns;
  // The same property list the pipeline's queries and rollups read.
  const numeric = summedProperties(config.metrics);
  const text = [...new Set([user, account, event].filter((c): c is string => c !== undefined))].filter((c) => !numeric.includes(c));
  return { text, numeric };
}

/** The floor query over `files` (absolute paths of one format). */
export function floorSql(format: 'json' | 'parquet', files: readonly string[], columns: FloorColumns, partition: string): string {
  if (files.length === 0) throw new Error('floor over no files');
  const list = `[${files.map(quoteString).join(', ')}]`;
  const hiveTypes = `{${quoteString(partition)}: 'VARCHAR'}`;
  const source =
    format === 'json'
      ? `read_json(${list}, format = 'newline_delimited', hive_partitioning = true, hive_types = ${hiveTypes}, ` +
        `columns = {${[...columns.text, ...columns.numeric].map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}})`
      : `read_parquet(${list}, hive_partitioning = true, hive_types = ${hiveTypes})`;
  const aggregates = [
    'count(*) AS n_rows',
    `count(DISTINCT ${quoteIdent(partition)}) AS n_days`,
    ...columns.text.map((c, i) => `count(DISTINCT ${quoteIdent(c)}) AS n_text_${i}`),
    ...columns.numeric.map((c, i) => `sum(TRY_CAST(${quoteIdent(c)} AS DOUBLE)) AS sum_${i}`),
  ];
  return `SELECT\n  ${aggregates.join(',\n  ')}\nFROM ${source}`;
}
