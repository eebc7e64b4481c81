/**
 * The fake Athena's translation to Trino (test/support/engines/trino-athena.ts) and the Trino
 * client's number-preserving parser: what the engine suites' fidelity rests on.
 */
import { describe, expect, it } from 'vitest';
import { athenaText, athenaTypeName, STATEMENT_WRAPPERS, trinoSteps } from '../../support/engines/trino-athena';
import { JsonNumber, parseJsonKeepingNumbers } from '../../support/engines/trino-client';

const unload = (options: string) =>
  `UNLOAD (\nSELECT 'x' AS a\nFROM "db"."t"\nWHERE "dt" = '2024-05-01'\n) TO 's3://bucket/prefix/state/daily/dt=2024-05-01/' WITH (${options})`;

describe('trinoSteps', () => {
  it('sends a SELECT unchanged', () => {
    const sql = "WITH x AS (SELECT date_add('day', 3, DATE '2024-05-01') AS d)\nSELECT * FROM x";
    expect(trinoSteps(sql, 'cat')).toEqual([{ sql, result: true }]);
  });

  it("turns UNLOAD into CREATE TABLE AS with the UNLOAD's folder, format and compression", () => {
    const [step, ...rest] = trinoSteps(unload("format = 'PARQUET', compression = 'SNAPPY'"), 'cat');
    expect(rest).toEqual([]);
    expect(step!.sql).toMatch(
      /^CREATE TABLE "cat"\."nsm_unload"\."unload_[0-9a-f]{32}" WITH \(external_location = 's3:\/\/bucket\/prefix\/state\/daily\/dt=2024-05-01\/', format = 'PARQUET'\) AS\nSELECT 'x' AS a\nFROM "db"\."t"\nWHERE "dt" = '2024-05-01'$/,
    );
    expect(step!.properties).toEqual({ 'cat.compression_codec': 'SNAPPY' });
  });

  it('refuses UNLOAD options it does not emulate, and UNLOADs of another form', () => {
    expect(() => trinoSteps(unload("format = 'PARQUET', partitioned_by = ARRAY['dt']"), 'cat')).toThrow(/cannot read UNLOAD option/);
    expect(() => trinoSteps(unload("format = 'PARQUET', field_delimiter = '|'"), 'cat')).toThrow(/field_delimiter is not emulated/);
    expect(() => trinoSteps(unload("format = 'XML'"), 'cat')).toThrow(/is not emulated/);
    expect(() => trinoSteps("UNLOAD (SELECT 1) TO 's3://b/p/'", 'cat')).toThrow(/UNLOAD of a form/);
  });

  it('lists each rewrite with why', () => {
    expect(STATEMENT_WRAPPERS.map((w) => w.name)).toEqual(['UNLOAD']);
    for (const w of STATEMENT_WRAPPERS) expect(w.why.length).toBeGreaterThan(100);
  });
});

describe('athenaText and athenaTypeName', () => {
  it('prints cells as Athena does, from Trino JSON', () => {
    expect(athenaText(new JsonNumber('9223372036854775807'), 'bigint')).toBe('9223372036854775807');
    expect(athenaText(new JsonNumber('1.0E-5'), 'double')).toBe('1.0E-5');
    expect(athenaText('NaN', 'double')).toBe('NaN');
    expect(athenaText('1.50', 'decimal(3,2)')).toBe('1.50');
    expect(athenaText(true, 'boolean')).toBe('true');
    expect(athenaText(null, 'varchar')).toBeNull();
    expect(() => athenaText(['a'], 'array(varchar)')).toThrow(/cannot print a array\(varchar\)/);
  });

  it("drops a type's parameters", () => {
    expect(athenaTypeName('varchar(10)')).toBe('varchar');
    expect(athenaTypeName('decimal(38, 2)')).toBe('decimal');
    expect(athenaTypeName('timestamp(3)')).toBe('timestamp');
    expect(athenaTypeName('bigint')).toBe('bigint');
  });
});

describe('parseJsonKeepingNumbers', () => {
  it('keeps every number as written (no rounding past 2^53) and parses the rest as JSON.parse does', () => {
    const text = '{"data":[[9007199254740993,-1.5e-7,"a\\"b\\u00e9",null,true,false]],"nested":{"x":[]},"e":{}}';
    const parsed = parseJsonKeepingNumbers(text) as Record<string, any>;
    expect(parsed.data[0][0]).toEqual(new JsonNumber('9007199254740993'));
    expect(parsed.data[0][1]).toEqual(new JsonNumber('-1.5e-7'));
    expect(parsed.data[0].slice(2)).toEqual(['a"bé', null, true, false]);
    expect(parsed.nested).toEqual({ x: [] });
    expect(parsed.e).toEqual({});
  });

  it('rejects what is not JSON', () => {
    expect(() => parseJsonKeepingNumbers('{"a":1,}')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingNumbers('[1] x')).toThrow(/trailing/);
  });
});
