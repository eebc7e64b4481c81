/** The raw lake columns a config's queries read (besides the partition column). */
import type { NsmConfig } from '../config/types';
import { summedProperties } from '../metrics/event-metrics';

/** Column names in the lake's own naming, deduplicated, in a stable order. */
export function lakeColumnsUsed(config: Pick<NsmConfig, 'lake' | 'metrics'> & { readonly segments?: NsmConfig['segments'] }): string[] {
  const { user, account, event, time } = config.lake.columns;
  const properties = summedProperties(config.metrics);
  const dimensions = config.segments?.dimensions ?? [];
  return [...new Set([user, account, event, time, ...properties, ...dimensions].filter((c): c is string => c !== undefined))];
}
