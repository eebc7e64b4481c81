/**
 * Incremental state on DuckDB (docs/design.md §5): Parquet files under the local results folder,
 * written with core's COPY statement to a temporary name and renamed into place, so a reader never
 * sees half a file and a crash leaves the old one.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Query, QueryResult, QueryStats, StateCapability } from '../core/engine';
import type { StateKind } from '../core/results/layout';
import type { StateSql } from '../core/sql/dialect';
import { copyToParquet } from '../core/sql/state-sql';
import { temporaryPath } from './temporary-files';

export class DuckDbState implements StateCapability {
  /**
   * @param sql the state SQL of the engine's dialect (`duckdbStateSql`)
   * @param run runs one statement on the engine
   */
  constructor(
    readonly sql: StateSql,
    private readonly run: (query: Query) => Promise<QueryResult>,
  ) {}

  async materialize(query: Query, kind: StateKind, day: string): Promise<{ stats: QueryStats; rowsWritten: number | null }> {
    const target = this.sql.target(kind, day);
    const partial = temporaryPath(target);
    await mkdir(dirname(target), { recursive: true });
    try {
      const result = await this.run({ ...query, sql: copyToParquet(query.sql, partial) });
      await rename(partial, target);
      // COPY answers with one row: the number of rows written.
      const count = result.rows[0]?.Count;
      return { stats: result.stats, rowsWritten: typeof count === 'number' ? count : null };
    } finally {
      await rm(partial, { force: true });
    }
  }
}
