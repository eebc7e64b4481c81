/** The columns and types of a SELECT over local files, asked of a throwaway in-memory DuckDB (`nsm init`). */
import { DuckDBInstance } from '@duckdb/node-api';
import type { LakeColumn } from '../core/pipeline/inspect-lake';
import { describeScanSql } from '../core/sql/lake-profile';

export async function describeLocalScan(scan: string): Promise<LakeColumn[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(describeScanSql(scan));
      return reader.getRowObjects().map((r) => ({ name: String(r.name), type: String(r.type) }));
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
