/**
 * The one place where text from a config becomes SQL. Identifiers are checked against the
 * identifier pattern and double-quoted; string values are single-quoted with `'` doubled, which
 * is the standard-SQL escape that both Trino (Athena) and DuckDB use — neither treats backslash
 * as an escape inside a plain '...' literal — so a hostile event name stays data.
 */
import { NsmError } from '../errors';

/** Identifier pattern of docs/design.md §1 for column, table and database names. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `"name"`; throws if `name` is not an identifier (the config loader rejects those first). */
export function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new NsmError(`not an SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** `'text'` with every `'` doubled. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `('a', 'b')` for an IN list; never empty (callers omit the predicate when there is no list). */
export function quoteStringList(values: readonly string[]): string {
  if (values.length === 0) throw new NsmError('empty IN list');
  return `(${values.map(quoteString).join(', ')})`;
}
