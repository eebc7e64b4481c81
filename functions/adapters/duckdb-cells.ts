/**
 * DuckDB values to the typed cells of the engine port (`Cell` in core/engine.ts), the same values
 * the Athena engine yields for the same SQL: BIGINT to a number when it is a safe integer (its text
 * otherwise), DECIMAL and other numeric values to numbers, DATE and the rest to their text.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Cell, Row } from '../core/engine';

/** One result row. */
export function duckdbRow(raw: Record<string, DuckDBValue>): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(raw)) row[key] = duckdbCell(value);
  return row;
}

/** One cell. */
export function duckdbCell(value: DuckDBValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  // DECIMAL, DATE, TIMESTAMP, … values print themselves; numbers come back as numbers.
  const text = String(value);
  const asNumber = Number(text);
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) && Number.isFinite(asNumber) ? asNumber : text;
}
