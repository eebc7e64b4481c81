/**
 * The local lake behind the DuckDB engine's `events` view: its files (listed once, in Node), the
 * partition day of each, and whether Parquet files are read with `union_by_name`. A query that says
 * which partitions it reads gets a view over just their files.
 */
import type { LakeConfig } from '../core/config/types';
import type { LakeDays } from '../core/engine';
import { lakeScanSql } from '../core/sql/duckdb-lake';
import { BomFreeLakeFiles } from './lake-bom';
import { firstPartitionDay, listLake, partitionOf } from './lake-files';

export class LakeView {
  /** The partition value of each of `files` (same order), or null where its path has none. */
  private readonly fileDays: readonly (string | null)[];
  /** Read Parquet with union_by_name; set once a file's columns differ from the first file's. */
  private unionByName = false;

  private constructor(
    readonly config: LakeConfig,
    private readonly columns: readonly string[],
    private readonly files: readonly string[],
    private readonly partitionDays: ReadonlySet<string>,
    private readonly copies: BomFreeLakeFiles,
  ) {
    this.fileDays = files.map((f) => partitionOf(f, config.partition));
  }

  /**
   * Lists the lake's files; throws LakeError when there are none. A JSON file whose text begins
   * with a UTF-8 BOM is read through a copy without it (lake-bom.ts), as Athena skips the mark.
   */
  static async list(lake: LakeConfig, columns: readonly string[]): Promise<LakeView> {
    const { files, partitionDays } = await listLake(lake.location, lake.partition, lake.format);
    const copies = new BomFreeLakeFiles();
    const read = lake.format === 'json' ? copies.map(files, lake.partition) : files;
    return new LakeView(lake, columns, read, partitionDays, copies);
  }

  /** Removes the BOM-less copies the view reads, if any. */
  dispose(): void {
    this.copies.dispose();
  }

  /**
   * Whether `day` has a partition folder, data files in it or not (from the same listing as the
   * files, so it agrees with what the queries read).
   */
  hasPartition(day: string): boolean {
    return this.partitionDays.has(day);
  }

  /** The SELECT over `files` (default: every file of the lake). */
  scan(files: readonly string[] = this.files): string {
    return lakeScanSql(this.config, this.columns, files, this.unionByName);
  }

  /** The lake's first partition day (the listing found data files, so there is one). */
  get firstDay(): string | null {
    return firstPartitionDay(this.files, this.config.partition);
  }

  /** True once the view reads Parquet with union_by_name. */
  get widened(): boolean {
    return this.unionByName;
  }

  /**
   * Reads Parquet files with union_by_name from now on. A Parquet lake is first read with the first
   * file's schema, which spares opening every file's footer on each night; a file whose columns
   * differ (a column added or dropped over time) makes a query fail, and the view widens then.
   */
  widen(): void {
    this.unionByName = true;
  }

  /** True for DuckDB's errors about a Parquet file whose columns differ from the first file's. */
  isSchemaDrift(err: unknown): boolean {
    if (this.config.format !== 'parquet') return false;
    const text = String((err as Error).cause ?? err);
    return /union_by_name|Referenced column .* not found/.test(text);
  }

  /** The lake files of `days`, or null to use the lake-wide view (no range, or no file in it). */
  filesFor(days: LakeDays | undefined): string[] | null {
    if (!days) return null;
    const files = this.files.filter((_, i) => {
      const day = this.fileDays[i];
      return day !== null && day !== undefined && (days.from === undefined || day >= days.from) && day <= days.to;
    });
    return files.length > 0 && files.length < this.files.length ? files : null;
  }
}
