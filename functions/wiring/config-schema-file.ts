/**
 * Finds the config's JSON Schema shipped with the package, so configs that `nsm` writes can point
 * editors at it (`# yaml-language-server: $schema=…`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_JSON_SCHEMA_PATH } from '../core/config/json-schema';

/**
 * The schema file's absolute path, or `undefined` when the package has none. Looked up from this
 * module's folder upwards, since that folder is `functions/cli` under tsx but `dist` or
 * `dist/chunks` in the bundle.
 */
export function configSchemaFile(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level++) {
    const candidate = join(dir, CONFIG_JSON_SCHEMA_PATH);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** The schema file relative to `configDir`, with `/` separators as the modeline expects. */
export function configSchemaPathFrom(configDir: string): string | undefined {
  const file = configSchemaFile();
  return file === undefined ? undefined : relative(configDir, file).split(sep).join('/');
}
