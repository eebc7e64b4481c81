/**
 * The fake Athena's executor on real Trino: every statement the engine sends is run on the test
 * Trino (Athena engine v3 is Trino) in the execution's database, and the result goes back as
 * Athena prints it: cells as text, NULL as no value, Trino's type names without their parameters
 * (`varchar(10)` → `varchar`), `DataScannedInBytes` = the bytes Trino read from storage.
 *
 * Every SELECT goes to Trino unchanged. The only rewrites are of statement wrappers that Athena
 * has and Trino lacks, all listed in {@link STATEMENT_WRAPPERS} with why; a statement that starts
 * with another Athena-only wrapper fails as Athena would fail it on a typo, so a gap is seen.
 */
import { randomUUID } from 'node:crypto';
import type { FakeColumn, FakeExecution, FakeOutcome, Responder } from '../fake-athena-server';
import { JsonNumber, TrinoCancelledError, type TrinoClient, TrinoQueryError, type TrinoSession, type TrinoValue } from './trino-client';

/** Schema holding the short-lived tables of UNLOAD's stand-in (in the suite's catalog). */
export const UNLOAD_SCHEMA = 'nsm_unload';

/** One Trino statement of a rewrite, with the session it needs. */
interface TrinoStep {
  readonly sql: string;
  readonly properties?: Readonly<Record<string, string>>;
  /** The step whose result is the execution's result (default: the first). */
  readonly result?: boolean;
}

interface StatementWrapper {
  readonly name: string;
  /** Why Trino needs it rewritten, and why the rewrite does what Athena does. */
  readonly why: string;
  readonly match: RegExp;
  readonly rewrite: (m: RegExpExecArray, catalog: string) => TrinoStep[];
}

const UNLOAD_FORMATS: Readonly<Record<string, string>> = {
  PARQUET: 'PARQUET',
  ORC: 'ORC',
  AVRO: 'AVRO',
  JSON: 'JSON',
  TEXTFILE: 'TEXTFILE',
};
const UNLOAD_CODECS: Readonly<Record<string, string>> = { SNAPPY: 'SNAPPY', GZIP: 'GZIP', ZSTD: 'ZSTD', LZ4: 'LZ4', NONE: 'NONE' };

/** `key = 'value', …` of a WITH clause. */
function withOptions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const m = /^\s*([a-z_]+)\s*=\s*'([^']*)'\s*$/i.exec(part);
    if (!m) throw new Error(`fake Athena: cannot read UNLOAD option ${JSON.stringify(part.trim())}`);
    out.set(m[1]!.toLowerCase(), m[2]!);
  }
  return out;
}

/**
 * The statement wrappers rewritten for Trino — the one list of every difference between what the
 * engine sends and what Trino runs.
 */
export const STATEMENT_WRAPPERS: readonly StatementWrapper[] = [
  {
    name: 'UNLOAD',
    why:
      "Athena's UNLOAD (q) TO 's3://…/' WITH (format, compression) writes q's rows as files into an empty S3 folder " +
      'and returns no rows; Trino has no UNLOAD. CREATE TABLE … WITH (external_location = that folder, format = …) AS q ' +
      'writes the same rows as files of that format into that folder (compression from the hive.compression_codec session ' +
      'property). The table stays registered in the suite catalog’s own schema, where nothing reads it (dropping it ' +
      'would cost a statement per UNLOAD and leave the same files). Like UNLOAD, it fails when the folder already holds objects.',
    match: /^UNLOAD \(\n([\s\S]*)\n\) TO '(s3:\/\/[^']+)' WITH \(([^)]*)\)$/,
    rewrite: (m, catalog) => {
      const options = withOptions(m[3]!);
      const format = UNLOAD_FORMATS[(options.get('format') ?? '').toUpperCase()];
      const codec = options.has('compression') ? UNLOAD_CODECS[options.get('compression')!.toUpperCase()] : 'NONE';
      for (const key of options.keys()) {
        if (key !== 'format' && key !== 'compression') throw new Error(`fake Athena: UNLOAD option ${key} is not emulated`);
      }
      if (!format || !codec) throw new Error(`fake Athena: UNLOAD WITH (${m[3]}) is not emulated`);
      const table = `"${catalog}"."${UNLOAD_SCHEMA}"."unload_${randomUUID().replace(/-/g, '')}"`;
      return [
        {
          sql: `CREATE TABLE ${table} WITH (external_location = '${m[2]}', format = '${format}') AS\n${m[1]}`,
          properties: { [`${catalog}.compression_codec`]: codec },
          result: true,
        },
      ];
    },
  },
];

/** The Trino steps of an Athena statement: its wrapper's rewrite, or the statement itself. */
export function trinoSteps(sql: string, catalog: string): TrinoStep[] {
  for (const wrapper of STATEMENT_WRAPPERS) {
    const m = wrapper.match.exec(sql);
    if (m) return wrapper.rewrite(m, catalog);
  }
  if (/^\s*UNLOAD\b/i.test(sql)) throw new Error('fake Athena: an UNLOAD of a form the UNLOAD rewrite does not know');
  return [{ sql, result: true }];
}

/** Trino's type signature → the name Athena puts in `ColumnInfo.Type`. */
export function athenaTypeName(trinoType: string): string {
  return trinoType.replace(/\(.*$/, '').trim().toLowerCase();
}

/** A Trino JSON value → the text Athena prints (undefined for NULL). */
export function athenaText(value: TrinoValue, type: string): string | null {
  if (value === null) return null;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  // Arrays, maps and rows print in Athena's own notation, which nothing here reads; refuse
  // rather than print something else.
  throw new Error(`fake Athena: cannot print a ${type} value as Athena does`);
}

export interface TrinoResponderOptions {
  /** The Trino catalog standing in for Athena's `AwsDataCatalog` (see services.ts `suiteCatalog`). */
  readonly catalog: string;
  /** Every statement run on Trino, in order (rewrites included). */
  readonly ran?: { readonly execution: string; readonly sql: string }[];
  /**
   * Awaited before an execution's statement goes to Trino: a test holds an execution here to make
   * it slow (a query past the night's deadline) or late (one that goes on after its invocation
   * was killed). An execution stopped meanwhile never reaches Trino.
   */
  readonly beforeStatement?: (sql: string, execution: FakeExecution) => Promise<void>;
}

/** A fake-Athena responder that runs each statement on Trino (see the module comment). */
export function trinoResponder(trino: TrinoClient, options: TrinoResponderOptions): Responder {
  return async (sql: string, execution: FakeExecution): Promise<FakeOutcome> => {
    let steps: TrinoStep[];
    try {
      steps = trinoSteps(sql, options.catalog);
    } catch (err) {
      return { fail: { reason: (err as Error).message, errorCategory: 2 } };
    }
    const session: TrinoSession = { catalog: options.catalog, ...(execution.database ? { schema: execution.database } : {}) };
    await options.beforeStatement?.(sql, execution);
    // StopQueryExecution cancels the query on Trino too, as Athena stops its own.
    const cancelled = () => execution.stopped;
    let outcome: FakeOutcome | undefined;
    for (const step of steps) {
      if (cancelled()) return { fail: { reason: 'Query was cancelled by user', errorCategory: 2 } };
      options.ran?.push({ execution: execution.id, sql: step.sql });
      try {
        const r = await trino.query(step.sql, { ...session, ...(step.properties ? { properties: step.properties } : {}) }, { cancelled });
        if (step.result) {
          const columns: FakeColumn[] = r.columns.map((c) => ({ name: c.name, type: athenaTypeName(c.type) }));
          // CREATE TABLE AS answers with its row count; UNLOAD returns no rows.
          const rows = sql.startsWith('UNLOAD') ? [] : r.rows.map((row) => row.map((v, i) => athenaText(v, r.columns[i]!.type)));
          outcome = { result: { columns: sql.startsWith('UNLOAD') ? [] : columns, rows }, bytesScanned: r.physicalInputBytes };
        }
      } catch (err) {
        if (err instanceof TrinoQueryError) return { fail: { reason: err.message, errorCategory: 2 } };
        if (err instanceof TrinoCancelledError) return { fail: { reason: 'Query was cancelled by user', errorCategory: 2 } };
        return { fail: { reason: `fake Athena on Trino: ${(err as Error).message}`, errorCategory: 1 } };
      }
    }
    return outcome!;
  };
}
