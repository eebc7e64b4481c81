/**
 * Writes schema/nsm.config.schema.json from the zod config schema (`npm run schema`). Run it after
 * changing functions/core/config/schema.ts; a unit test fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_JSON_SCHEMA_PATH, configJsonSchemaText } from '../functions/core/config/json-schema';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const path = join(root, CONFIG_JSON_SCHEMA_PATH);
writeFileSync(path, configJsonSchemaText());
console.log(`Wrote ${path}`);
