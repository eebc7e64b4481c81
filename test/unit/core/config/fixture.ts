/** The docs/design.md §2 example config (test/fixtures/example.config.yaml), as text and as a plain object. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseConfig } from '../../../../functions/core/config/parse';
import { ConfigError } from '../../../../functions/core/errors';

export const EXAMPLE_PATH = fileURLToPath(new URL('../../../fixtures/example.config.yaml', import.meta.url));
export const EXAMPLE_TEXT = readFileSync(EXAMPLE_PATH, 'utf8');

// Tests mutate a copy of the document freely, in any shape (that is the point of the tests).
export type Doc = Record<string, any>;

/** A fresh copy of the example as a plain object. */
export function exampleDoc(): Doc {
  return parse(EXAMPLE_TEXT) as Doc;
}

/** The one-line message `parseConfig` throws for `text`; fails the test when it parses. */
export function errorFor(text: string, source = 'nsm.config.yaml'): ConfigError {
  try {
    parseConfig(text, source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config parsed');
}

/** The message for the example after `mutate`, sent as JSON (YAML 1.2 reads JSON). */
export function messageAfter(mutate: (doc: Doc) => void): string {
  const doc = exampleDoc();
  mutate(doc);
  return errorFor(JSON.stringify(doc)).message;
}
