/**
 * Athena returns every cell of `GetQueryResults` as text (`VarCharValue`), with the column types
 * in `ResultSetMetadata.ColumnInfo`. This turns that text into the typed cells of the engine port
 * (`Cell` in core/engine.ts), the same values the DuckDB engine yields for the same SQL.
 */
import type { Cell } from '../core/engine';

const INTEGER_TYPES = new Set(['bigint', 'integer', 'int', 'smallint', 'tinyint']);
const FLOAT_TYPES = new Set(['double', 'float', 'real', 'decimal']);
const INTEGER_TEXT = /^[-+]?\d+$/;
// Trino prints doubles as `1.5`, `1.0E-5`, `NaN`, `Infinity`, `-Infinity`.
const FLOAT_TEXT = /^([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|NaN|[-+]?Infinity)$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `decimal(38,9)` → `decimal`, `VARCHAR` → `varchar`. */
export function baseType(athenaType: string): string {
  return athenaType.toLowerCase().replace(/\(.*$/, '').trim();
}

/**
 * One cell. `undefined` (no `VarCharValue`: Athena's NULL) is null. bigint and the other integer
 * types become numbers when they are safe integers and stay strings otherwise (no silent
 * rounding); double/float/real/decimal become numbers; boolean becomes a boolean; date stays
 * `YYYY-MM-DD`; everything else (varchar, char, timestamp, arrays, …) stays text. An empty
 * string is a value for text types and null for the others, which cannot print as ''.
 * Throws on text that does not fit its declared type: a protocol problem, not data.
 */
export function athenaCell(value: string | undefined, athenaType: string): Cell {
  if (value === undefined) return null;
  const type = baseType(athenaType);
  if (value === '' && (INTEGER_TYPES.has(type) || FLOAT_TYPES.has(type) || type === 'boolean' || type === 'date')) return null;
  if (INTEGER_TYPES.has(type)) {
    if (!INTEGER_TEXT.test(value)) throw new TypeError(`not a ${type}: ${JSON.stringify(value)}`);
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.replace(/^\+/, '');
  }
  if (FLOAT_TYPES.has(type)) {
    if (!FLOAT_TEXT.test(value)) throw new TypeError(`not a ${type}: ${JSON.stringify(value)}`);
    return Number(value);
  }
  if (type === 'boolean') {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new TypeError(`not a boolean: ${JSON.stringify(value)}`);
  }
  if (type === 'date') {
    if (!ISO_DAY.test(value)) throw new TypeError(`not a date: ${JSON.stringify(value)}`);
    return value;
  }
  return value;
}
