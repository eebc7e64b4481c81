// Child process of the benchmark: the floor (see floor-sql.ts). Plain JavaScript run by bare
// `node`, with nothing loaded but DuckDB, so that its wall time is the least a Node process can
// spend reading the data once: no TypeScript loader, no CLI. Runs the SQL of SPEC.json once in a
// fresh in-memory DuckDB with DuckDB's own defaults (all cores, default memory limit) and prints
// {"ms": <query ms>, "row": {...}}.
import { readFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';

const specPath = process.argv[2];
if (!specPath) throw new Error('usage: node bench/floor.mjs SPEC.json');
const { sql } = JSON.parse(await readFile(specPath, 'utf8'));
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const started = performance.now();
const reader = await connection.runAndReadAll(sql);
const ms = performance.now() - started;
const row = Object.fromEntries(Object.entries(reader.getRowObjects()[0] ?? {}).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
connection.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ ms, row })}\n`);
