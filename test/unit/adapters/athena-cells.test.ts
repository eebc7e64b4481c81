import { describe, expect, it } from 'vitest';
import { athenaCell, baseType } from '../../../functions/adapters/athena-cells';

describe('baseType', () => {
  it.each([
    ['decimal(38,9)', 'decimal'],
    ['VARCHAR', 'varchar'],
    ['varchar(12)', 'varchar'],
    ['bigint', 'bigint'],
  ])('%s -> %s', (t, b) => expect(baseType(t)).toBe(b));
});

describe('athenaCell', () => {
  it.each([
    // [text, type, cell]
    [undefined, 'bigint', null],
    [undefined, 'varchar', null],
    ['', 'varchar', ''],
    ['', 'bigint', null],
    ['', 'date', null],
    ['42', 'bigint', 42],
    ['-42', 'integer', -42],
    ['+5', 'smallint', 5],
    ['127', 'tinyint', 127],
    ['9007199254740991', 'bigint', 9007199254740991], // Number.MAX_SAFE_INTEGER
    ['9007199254740992', 'bigint', '9007199254740992'], // 2^53: not safe, kept exact as text
    ['-9223372036854775808', 'bigint', '-9223372036854775808'],
    ['0.5', 'double', 0.5],
    ['1.0E-5', 'double', 1e-5],
    ['-2.5E10', 'double', -2.5e10],
    ['NaN', 'double', Number.NaN],
    ['Infinity', 'double', Number.POSITIVE_INFINITY],
    ['-Infinity', 'real', Number.NEGATIVE_INFINITY],
    ['1.5', 'float', 1.5],
    ['123.450', 'decimal(10,3)', 123.45],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['2024-02-29', 'date', '2024-02-29'],
    ['abc', 'varchar', 'abc'],
    ['abc ', 'char(4)', 'abc '],
    ['2024-05-01 12:00:00.000', 'timestamp', '2024-05-01 12:00:00.000'],
    ['[1, 2]', 'array(integer)', '[1, 2]'],
    ['12', 'VARCHAR', '12'], // a numeric-looking string stays a string
  ])('%j as %s -> %j', (text, type, cell) => {
    expect(athenaCell(text, type)).toEqual(cell);
  });

  it.each([
    ['1.5', 'bigint'],
    ['abc', 'double'],
    ['1,5', 'double'],
    ['yes', 'boolean'],
    ['05/01/2024', 'date'],
  ])('throws on %j declared %s', (text, type) => {
    expect(() => athenaCell(text, type)).toThrow(TypeError);
  });
});
