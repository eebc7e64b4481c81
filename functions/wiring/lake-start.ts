/**
 * The lake's first day for `nsm sql --plan first-night` over a local lake, which prints without
 * opening an engine: the same listing the DuckDB engine takes (adapters/lake-files.ts), so the
 * printed chain starts where a run's would.
 */
import { firstPartitionDay, listLake } from '../adapters/lake-files';
import type { LakeConfig } from '../core/config/types';
import { isS3Uri } from '../core/s3-uri';

/** The first partition day of a local lake; undefined for a lake in S3 (then `lake.first_day` says it). */
export async function localLakeFirstDay(lake: LakeConfig): Promise<string | null | undefined> {
  if (isS3Uri(lake.location)) return undefined;
  return firstPartitionDay((await listLake(lake.location, lake.partition, lake.format)).files, lake.partition);
}
