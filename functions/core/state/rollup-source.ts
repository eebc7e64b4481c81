/** The per-day rollups as the metrics query's source: rows stand for `nsm_n` events each. */
import { dayRange } from '../dates';
import { propertyColumn, summedProperties } from '../metrics/event-metrics';
import { eventFilter, type MetricsSource } from '../sql/metrics-query';
import { quoteIdent, quoteString, quoteStringList } from '../sql/quote';

/** @param rollups a relation over the rollups of the given days (see `NightState.rollups`) */
export function rollupSource(rollups: (days: readonly string[]) => string): MetricsSource {
  return {
    scan: (metrics, from, to) => {
      const columns = [
        'nsm_day',
        'nsm_user',
        'nsm_account',
        'nsm_event',
        'nsm_n',
        ...summedProperties(metrics).map((p) => quoteIdent(propertyColumn(p))),
      ];
      const names = eventFilter(metrics);
      const where = names ? `\n  WHERE nsm_event IN ${quoteStringList(names)} OR nsm_day = ${quoteString(to)}` : '';
      return `  SELECT\n    ${columns.join(',\n    ')}\n  FROM ${rollups(dayRange(from, to))}${where}`;
    },
    countEvents: (condition) => `coalesce(sum(CASE WHEN ${condition} THEN nsm_n END), 0)`,
    // A week of rollups is a few small files: read them twice rather than aggregate per account.
    rescanIsCheap: true,
  };
}
