/**
 * Rewrites the alert examples of docs/alerts.md from the formatters (`npm run docs:alerts`). Run it
 * after changing an alert text; a unit test fails while the committed doc is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withAlertExamples } from './alert-doc-examples';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'alerts.md');
writeFileSync(path, withAlertExamples(readFileSync(path, 'utf8')));
console.log(`Wrote ${path}`);
