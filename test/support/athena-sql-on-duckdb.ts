/**
 * Runs the SQL the compiler emits for the `athena` dialect on DuckDB, so the fake Athena server
 * can answer with real results and a whole night runs "through Athena" in tests.
 *
 * Trino and DuckDB agree on almost everything the compiler emits (CTEs, GROUPING SETS, GROUPING(),
 * count(DISTINCT), CASE, TRY_CAST, date_diff('day', DATE, DATE), DATE 'literal'). Two fragments
 * are rewritten, and only these two — any other difference makes DuckDB fail the query, which
 * the fake reports as a FAILED execution, so a gap cannot pass unnoticed:
 * - the Glue table `"database"."table"` becomes the DuckDB view `events`;
 * - Trino's `date_add('day', n, d)` becomes `(d + CAST(n AS INTEGER))`, which the `duckdb`
 *   dialect itself uses (DuckDB's date_add takes an INTERVAL and would yield a TIMESTAMP).
 *
 * With `state` set, the incremental state's two Athena-only statements are emulated too (and
 * only with it, so a test that does not expect state fails on them):
 * - `UNLOAD (q) TO 's3://…/state/<kind>/dt=D/' WITH (…)` becomes a DuckDB COPY of q to
 *   `<mirror>/state/<kind>/dt=D/data.parquet` — a local folder stands in for that S3 folder;
 * - the Glue state tables `"db"."nsm_state_<kind>"` become `read_parquet` over that mirror with
 *   the `dt` folder as a Hive partition, as Athena's partition projection reads them.
 *
 * Cells go back out as Athena prints them (text, NULL as no value) with Trino type names, so the
 * AthenaEngine's own cell conversion is what turns them into numbers, dates and booleans.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { STATE_TABLES } from '../../functions/core/sql/state-tables';
import type { FakeColumn, FakeOutcome, Responder } from './fake-athena-server';

/** Replaces every call `name(args…)` outside string literals and quoted identifiers. */
function rewriteCalls(sql: string, name: string, rewrite: (args: string[]) => string): string {
  let out = '';
  let i = 0;
  const lower = sql.toLowerCase();
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      // Copy a quoted literal or identifier whole; a doubled quote is an escaped quote.
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const before = i === 0 ? '' : sql[i - 1]!;
    if (lower.startsWith(`${name}(`, i) && !/[A-Za-z0-9_]/.test(before)) {
      const { args, end } = splitArgs(sql, i + name.length + 1);
      out += rewrite(args.map((a) => rewriteCalls(a, name, rewrite)));
      i = end + 1;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** The comma-separated arguments starting at `start` (just after `(`), up to the matching `)`. */
function splitArgs(sql: string, start: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      current += sql.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') {
      if (depth === 0) {
        args.push(current.trim());
        return { args, end: i };
      }
      depth--;
    }
    if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  throw new Error(`unbalanced parentheses in SQL after offset ${start}`);
}

/** Where emulated UNLOADs write and the state tables read (see the module comment). */
export interface StateMirror {
  /** The Glue database of the state tables. */
  readonly database: string;
  /** A local folder standing in for the results location's `state/` objects. */
  readonly mirror: string;
}

const UNLOAD = /^UNLOAD \(\n([\s\S]*)\n\) TO '(s3:\/\/[^']*?\/(state\/[a-z]+\/dt=\d{4}-\d{2}-\d{2}\/))' WITH \([^)]*\)$/;

/** The local file an emulated UNLOAD writes, or null when `sql` is not an UNLOAD. */
export function unloadTarget(sql: string, state: StateMirror): string | null {
  const m = UNLOAD.exec(sql);
  return m ? join(state.mirror, m[3]!, 'data.parquet') : null;
}

/** Athena SQL → DuckDB SQL (see the module comment for the rewrites). */
export function athenaSqlToDuckDb(sql: string, eventsTable: string, state?: StateMirror): string {
  if (state) {
    const unload = UNLOAD.exec(sql);
    if (unload) return `COPY (\n${athenaSqlToDuckDb(unload[1]!, eventsTable, state)}\n) TO '${unloadTarget(sql, state)}' (FORMAT parquet)`;
    for (const kind of Object.keys(STATE_TABLES) as (keyof typeof STATE_TABLES)[]) {
      const table = `"${state.database}"."${STATE_TABLES[kind]}"`;
      const files = join(state.mirror, 'state', kind, '*', 'data.parquet');
      sql = sql.split(table).join(`read_parquet('${files}', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})`);
    }
  }
  const withView = sql.split(eventsTable).join('events');
  return rewriteCalls(withView, 'date_add', (args) => {
    if (args.length !== 3 || args[0]!.toLowerCase() !== "'day'") throw new Error(`unsupported date_add(${args.join(', ')})`);
    return `(${args[2]} + CAST(${args[1]} AS INTEGER))`;
  });
}

/** DuckDB type name → the name Athena puts in `ColumnInfo.Type`. */
export function trinoType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT' || t === 'UINTEGER') return 'bigint';
  if (t === 'INTEGER' || t === 'USMALLINT') return 'integer';
  if (t === 'SMALLINT' || t === 'UTINYINT') return 'smallint';
  if (t === 'TINYINT') return 'tinyint';
  if (t === 'DOUBLE') return 'double';
  if (t === 'FLOAT') return 'real';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'varchar';
}

export interface DuckDbResponderOptions {
  /** The Athena dialect's events table, e.g. `"product_events"."events"`. */
  readonly eventsTable: string;
  /** What to report as `DataScannedInBytes` for a query. @default 0 */
  readonly bytesScanned?: (sql: string) => number;
  /** Every translated statement, for assertions. */
  readonly translated?: string[];
  /** Emulate UNLOAD and the state tables (see the module comment). */
  readonly state?: StateMirror;
}

/**
 * A fake-Athena responder that executes each query on `instance` (which must have the view
 * `events`, as `DuckDbEngine.open(lake, columns, { instance })` creates it).
 */
export function duckDbResponder(instance: DuckDBInstance, options: DuckDbResponderOptions): Responder {
  return async (sql: string): Promise<FakeOutcome> => {
    const duckSql = athenaSqlToDuckDb(sql, options.eventsTable, options.state);
    options.translated?.push(duckSql);
    const target = options.state ? unloadTarget(sql, options.state) : null;
    if (target) mkdirSync(dirname(target), { recursive: true });
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(duckSql);
      const columns: FakeColumn[] = reader.columnNames().map((name, i) => ({ name, type: trinoType(reader.columnType(i).toString()) }));
      const rows = reader.getRows().map((values) => values.map((v) => (v === null ? null : String(v))));
      return { result: { columns, rows }, bytesScanned: options.bytesScanned?.(sql) ?? 0 };
    } catch (err) {
      // Athena reports SQL errors as a FAILED execution with the engine's message.
      return { fail: { reason: `DuckDB (standing in for Athena): ${(err as Error).message.split('\n')[0]}`, errorCategory: 2 } };
    } finally {
      connection.closeSync();
    }
  };
}
