import { describe, expect, it } from 'vitest';
import { sql } from '../../../../functions/core/sql/sql';

describe('sql template tag', () => {
  it('removes the common indentation, the empty first line and the closing line', () => {
    expect(sql`
      SELECT 1
      FROM t
    `).toBe('SELECT 1\nFROM t');
    expect(sql`SELECT 1`).toBe('SELECT 1');
  });

  it('keeps indentation relative to the least indented line', () => {
    expect(sql`
      SELECT
        a
      FROM t`).toBe('SELECT\n  a\nFROM t');
  });

  it('puts a list one item per line at the column of its line, comma-separated', () => {
    const columns = ['a', 'b AS c', 'count(*) AS n'];
    expect(sql`
      SELECT
        ${columns}
      FROM t`).toBe('SELECT\n  a,\n  b AS c,\n  count(*) AS n\nFROM t');
  });

  it('indents every line of a multi-line value after its first to the indentation of its line', () => {
    const inner = sql`
      SELECT
        x
      FROM t
      WHERE a
        AND b`;
    expect(sql`
      WITH s AS (
        ${inner}
      )
      SELECT * FROM s`).toBe('WITH s AS (\n  SELECT\n    x\n  FROM t\n  WHERE a\n    AND b\n)\nSELECT * FROM s');
  });

  it('leaves a value in the middle of a line in place, numbers included, and empty lines unindented', () => {
    expect(sql`
      SELECT ${3} AS n
        FROM ${'t\n\nWHERE x'}`).toBe('SELECT 3 AS n\n  FROM t\n\n  WHERE x');
  });

  it('counts a line holding only a placeholder in the common indentation', () => {
    expect(sql`
        ${'x'}
      y`).toBe('  x\ny');
  });
});
