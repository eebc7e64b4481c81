/**
 * Child process of the benchmark: runs the floor query (see `floor-sql.ts`) once in a fresh
 * in-memory DuckDB with DuckDB's own defaults (all cores, default memory limit) and prints
 * `{"ms": <query ms>, "row": {...}}`. Run as `node bin/run-ts.js bench/floor.ts SPEC.json`, the
 * same loader as `nsm`, so that the parent's wall-clock times compare like with like.
 */
import { readFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { floorSql, type FloorColumns } from './floor-sql';

export interface FloorSpec {
  readonly format: 'json' | 'parquet';
  readonly files: readonly string[];
  readonly columns: FloorColumns;
  readonly partition: string;
}

const specPath = process.argv[2];
if (!specPath) throw new Error('usage: bench/floor.ts SPEC.json');
const spec = JSON.parse(await readFile(specPath, 'utf8')) as FloorSpec;
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const started = performance.now();
const reader = await connection.runAndReadAll(floorSql(spec.format, spec.files, spec.columns, spec.partition));
const ms = performance.now() - started;
const row = Object.fromEntries(Object.entries(reader.getRowObjects()[0] ?? {}).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
connection.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ ms, row })}\n`);
