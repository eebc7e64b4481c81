/**
 * Whether an engine keeps the incremental state (docs/design.md §5) for a results location. The
 * state lives next to the results and the engine itself writes and reads it: DuckDB as Parquet
 * files in a local results folder, Athena with UNLOAD into S3 (read through the Glue state tables).
 * Any other pairing — DuckDB with results in S3, Athena with a local results folder — has no place
 * the engine can write, so its nights read the lake.
 */
import { isS3Uri } from '../s3-uri';

export type EngineName = 'duckdb' | 'athena';

export function keepsState(engine: EngineName, resultsLocation: string): boolean {
  return engine === 'duckdb' ? !isS3Uri(resultsLocation) : isS3Uri(resultsLocation);
}
