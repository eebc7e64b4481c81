/**
 * The committed JSON Schema (schema/nsm.config.schema.json) is what the zod schema generates, and
 * an independent validator (Ajv, draft-07 as the schema declares) agrees with `parseConfig` on
 * shapes: it accepts every config we ship and rejects the typos the loader rejects.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_JSON_SCHEMA_PATH, configJsonSchemaText } from '../../../../functions/core/config/json-schema';
import { parseConfig } from '../../../../functions/core/config/parse';
import { demoConfigYaml } from '../../../../functions/demo/demo-config';
import { EXAMPLE_PATH, exampleDoc } from './fixture';

const ROOT = resolve(import.meta.dirname, '../../../..');
const SCHEMA_FILE = join(ROOT, CONFIG_JSON_SCHEMA_PATH);
const committed = readFileSync(SCHEMA_FILE, 'utf8');
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed));

/** Ajv's verdict on a document, with its errors as `path message` lines when it rejects. */
function ajv(doc: unknown): { valid: boolean; errors: string[] } {
  const valid = validate(doc);
  return { valid, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`) };
}

/** Every config file the repository ships, with its text. */
const SHIPPED = ['examples/cloud.config.yaml', 'examples/local.config.yaml', 'test/fixtures/cloud.config.yaml', EXAMPLE_PATH].map(
  (file) => {
    const path = resolve(ROOT, file);
    return { path, text: readFileSync(path, 'utf8') };
  },
);

describe('schema/nsm.config.schema.json', () => {
  it('is what the zod schema generates (run `npm run schema` after changing functions/core/config/schema.ts)', () => {
    expect(committed === configJsonSchemaText(), 'schema/nsm.config.schema.json is stale: run `npm run schema`').toBe(true);
  });

  it('is draft-07 with a title, and describes every top-level key', () => {
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.title).toMatch(/nsm\.config\.yaml/);
    expect(schema.additionalProperties).toBe(false);
    for (const [key, sub] of Object.entries(schema.properties as Record<string, { description?: string }>)) {
      expect(sub.description, key).toBeTruthy();
    }
  });

  it.each(SHIPPED.map((s) => [s.path.slice(ROOT.length + 1), s.text]))('accepts %s', (_, text) => {
    parseConfig(text, 'x'); // the loader accepts it too
    expect(ajv(parse(text)).errors).toEqual([]);
  });

  it("accepts the demo's generated config", () => {
    const text = demoConfigYaml({ lakeDir: './lake', resultsDir: './results', schemaPath: '../schema/nsm.config.schema.json' });
    parseConfig(text, 'x');
    expect(ajv(parse(text)).errors).toEqual([]);
  });

  // Each of these is a shape error the loader reports; an editor with the schema must flag it too.
  it.each<[string, (d: Record<string, any>) => void, RegExp]>([
    ['a misspelt top-level key', (d) => ((d.northstar = d.north_star), delete d.north_star), /additional|required/],
    ['a misspelt metric key', (d) => (d.metrics[1].windw_days = 1), /additional|must match exactly one/],
    ['a key of another metric type', (d) => (d.metrics[1].property = 'x'), /additional|must match exactly one/],
    ['a misspelt nested key', (d) => (d.candidates.retention = { days: 21, window_days: 7 }), /additional|required/],
    ['an unknown metric type', (d) => (d.metrics[2].type = 'unique_users'), /must match exactly one|const/],
    ['a string for a number', (d) => (d.alerts.baseline_weeks = '4'), /must be number/],
    ['an unknown lake format', (d) => (d.lake.format = 'csv'), /allowed values/],
    ['version 2', (d) => (d.version = 2), /constant/],
    ['a missing lake', (d) => delete d.lake, /required/],
  ])('rejects %s, as the loader does', (_, mutate, why) => {
    const doc = exampleDoc();
    mutate(doc);
    expect(() => parseConfig(JSON.stringify(doc), 'x')).toThrow();
    const verdict = ajv(doc);
    expect(verdict.valid).toBe(false);
    expect(verdict.errors.join('\n')).toMatch(why);
  });
});

describe('the schema reference in shipped configs', () => {
  it.each([...SHIPPED.filter((s) => s.path.includes('/examples/')).map((s) => [s.path.slice(ROOT.length + 1), s.path, s.text] as const)])(
    '%s names the committed schema by a path relative to itself',
    (_, path, text) => {
      const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
      expect(match, 'a yaml-language-server modeline').not.toBeNull();
      expect(resolve(dirname(path), match![1]!)).toBe(SCHEMA_FILE);
    },
  );

  it("the demo's config carries the schema path it is given", () => {
    const text = demoConfigYaml({ lakeDir: './lake', resultsDir: './results', schemaPath: '../schema/nsm.config.schema.json' });
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/nsm\.config\.schema\.json$/m);
  });
});
