#!/usr/bin/env node
// The `nsm` command. It runs dist/nsm.mjs, the bundle `npm ci` builds (bin/build-cli.js), when that
// bundle is newer than every source file; otherwise — a source edited since, or no bundle — it runs
// the TypeScript directly through tsx's loader. Either way a fresh clone needs nothing but `npm ci`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'nsm.mjs');

/** Newest modification time of the files under `dir` (recursively). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const inputs = [join(root, 'package-lock.json'), join(root, 'bin', 'build-cli.js')].filter(existsSync);
const fresh =
  existsSync(bundle) &&
  statSync(bundle).mtimeMs >= Math.max(newest(join(root, 'functions')), ...inputs.map((f) => statSync(f).mtimeMs));

let main;
if (fresh) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../functions/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
