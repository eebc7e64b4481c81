/**
 * The config's JSON Schema, generated from the zod schema (`./schema.ts`) so the two cannot
 * drift: editors use it to complete and check `nsm.config.yaml` as it is typed
 * (`# yaml-language-server: $schema=…`). It holds the document's shape — keys, types, required
 * keys, metric types, no unknown keys — but not the value and cross-field rules of ./rules.ts
 * (ranges, identifiers, references, the tree), which only `nsm validate` checks.
 */
import { z } from 'zod';
import { configSchema } from './schema';

/** Where the generated schema is committed, relative to the repository root. */
export const CONFIG_JSON_SCHEMA_PATH = 'schema/nsm.config.schema.json';

/**
 * The JSON Schema of a config file, as committed at {@link CONFIG_JSON_SCHEMA_PATH}.
 * Draft-07, because that is the draft the YAML and JSON language servers of VS Code (and hence
 * most editors) fully support; the schema uses nothing a later draft would add.
 */
export function configJsonSchema(): Record<string, unknown> {
  // `input`: the file as written, where keys with defaults are optional.
  const schema = z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' });
  return {
    $schema: schema.$schema,
    title: 'nsm-nightly config (nsm.config.yaml)',
    description: 'Checks keys and types; `nsm validate --config FILE` checks every rule (docs/configuration.md).',
    ...schema,
  };
}

/** The committed file's text: two-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/**
 * The comment that points the YAML language server (VS Code, JetBrains, Neovim, …) at the schema.
 * @param schemaPath the schema file relative to the config's folder (or a URL)
 */
export function schemaModeline(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}`;
}
