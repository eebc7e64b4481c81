/** The raw lake columns a config's queries read (besides the partition column). */
import type { NsmConfig } from '../config/types';
import { summedProperties } from '../metrics/event-metrics';

/** Column names in the lake's own naming, deduplicated, in a stable order. */
export function lakeColumnsUsed(config: Pick<NsmConfig, 'lake' | 'metrics'>): string[] {
  const { user, account, event, time } = config.lake.columns;
  const properties = summedProperties(config.metrics);
  return [...new Set([user, account, event, time, ...properties].filter((c): c is string => c !== undefined))];
}
