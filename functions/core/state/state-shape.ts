/**
 * What a piece of incremental state was built from. A rollup or snapshot whose shape differs from
 * the config's (a property added, another lake, another entry event) is rebuilt, never reused.
 */
import type { NsmConfig } from '../config/types';
import { summedProperties } from '../metrics/event-metrics';

/** The lake settings state depends on (not the Athena names, which only say where to query). */
export function lakeIdentity(lake: NsmConfig['lake']): object {
  return { location: lake.location, format: lake.format, partition: lake.partition, columns: lake.columns };
}

/**
 * A rollup's shape: the summed properties, the segment dimensions and every lake setting that
 * changes its rows. (Without segments the shape is what it was before segments existed, so turning
 * them on rebuilds the rollups once, and leaving them off rebuilds nothing.)
 */
export function rollupShape(config: Pick<NsmConfig, 'metrics' | 'lake' | 'segments'>): string {
  const dimensions = config.segments?.dimensions ?? [];
  return JSON.stringify({
    v: 2,
    lake: lakeIdentity(config.lake),
    properties: summedProperties(config.metrics),
    ...(dimensions.length > 0 ? { dimensions } : {}),
  });
}

/** A first-entry snapshot's shape: one taken for another entry event or lake is not reused. */
export function entriesShape(config: Pick<NsmConfig, 'lake'>, entryEvent: string): string {
  return JSON.stringify({ v: 2, lake: lakeIdentity(config.lake), entry: entryEvent });
}
