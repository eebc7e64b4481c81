/** Writes small Hive-partitioned JSON Lines and Parquet lakes for integration tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';

export type LakeEvent = Record<string, unknown> & { dt: string };

/** Writes `events` under `<dir>/dt=<day>/part-0.jsonl` (or `.jsonl.gz`); the `dt` field becomes the folder. */
export function writeJsonLake(dir: string, events: readonly LakeEvent[], options: { gzip?: boolean } = {}): string {
  const byDay = new Map<string, string[]>();
  for (const { dt, ...rest } of events) {
    const lines = byDay.get(dt) ?? [];
    lines.push(JSON.stringify(rest));
    byDay.set(dt, lines);
  }
  for (const [dt, lines] of byDay) {
    const folder = join(dir, `dt=${dt}`);
    mkdirSync(folder, { recursive: true });
    const text = `${lines.join('\n')}\n`;
    if (options.gzip) writeFileSync(join(folder, 'part-0.jsonl.gz'), gzipSync(text));
    else writeFileSync(join(folder, 'part-0.jsonl'), text);
  }
  return dir;
}

/**
 * Writes one Parquet file per day, `<dir>/dt=<day>/part-0.parquet`, holding what that day's
 * DuckDB SELECT returns — so each file can have its own columns (a lake whose schema drifted).
 */
export async function writeParquetLake(dir: string, selectsByDay: Readonly<Record<string, string>>): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [dt, select] of Object.entries(selectsByDay)) {
      const folder = join(dir, `dt=${dt}`);
      mkdirSync(folder, { recursive: true });
      await connection.run(`COPY (${select}) TO '${join(folder, 'part-0.parquet')}' (FORMAT parquet)`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return dir;
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'nsm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
