#!/usr/bin/env node
// The `nsm` command. It runs dist/nsm.mjs, the bundle `npm ci` builds (bin/build-cli.js), when that
// bundle is newer than every source file; otherwise — a source edited since, or no bundle — it runs
// the TypeScript directly through tsx's loader. Either way a fresh clone needs nothing but `npm ci`.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleIsFresh } from './bundle-fresh.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let main;
if (bundleIsFresh(root)) {
  ({ main } = await import(pathToFileURL(join(root, 'dist', 'nsm.mjs')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../functions/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
