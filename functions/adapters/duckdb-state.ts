/**
 * Incremental state on DuckDB (docs/design.md §5): Parquet files under the local results folder,
 * each build written with core's COPY statement (`sql.materialize`) into a build folder of its own
 * (`state/<kind>/<day>.<build>/data.parquet`). Nothing reads a build before the day's manifest names
 * it, so a file cut short by a crash is never read; it is deleted when the day is next built.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Materialized, Query, QueryResult, RunOptions, StateCapability } from '../core/engine';
import type { StateKind } from '../core/results/layout';
import type { StateSql } from '../core/sql/dialect';
import { newBuildId } from './build-id';

export class DuckDbState implements StateCapability {
  /**
   * @param sql the state SQL of the engine's dialect (`duckdbStateSql`)
   * @param run runs one statement on the engine
   */
  constructor(
    readonly sql: StateSql,
    private readonly run: (query: Query, options?: RunOptions) => Promise<QueryResult>,
  ) {}

  async materialize(query: Query, kind: StateKind, day: string, options: RunOptions = {}): Promise<Materialized> {
    const build = newBuildId();
    const target = this.sql.target(kind, day, build);
    await mkdir(dirname(target), { recursive: true });
    const result = await this.run({ ...query, sql: this.sql.materialize(query.sql, kind, day, build) }, options);
    // COPY answers with one row: the number of rows written.
    const count = result.rows[0]?.Count;
    return { stats: result.stats, rowsWritten: typeof count === 'number' ? count : null, build };
  }
}
