#!/usr/bin/env node
// Bundles the `nsm` CLI into dist/nsm.mjs (run by `npm ci` through the `prepare` script). The CLI
// works without it — bin/nsm.js falls back to running the TypeScript through tsx — but a bundle
// starts about a second faster, which is most of a local night's time (see docs/performance.md).

import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Chunk names carry content hashes: start from an empty folder so old chunks do not pile up.
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: { nsm: join(root, 'functions/cli/main.ts') },
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // Dynamic imports (the AWS side, the demo) become chunks of their own, so their dependencies —
  // the AWS SDK above all — load only when a command needs them.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // The AWS SDK stays in node_modules and loads only for cloud runs; DuckDB's native binding
  // (a .node file) must stay there too. DuckDB's JavaScript API (@duckdb/node-api, ~120 CommonJS
  // files) is bundled: imported from ESM, Node lexes every file for its exports, which cost
  // ~130 ms of every command's start-up (docs/performance.md).
  external: ['@duckdb/node-bindings', '@aws-sdk/*', '@aws-lambda-powertools/*'],
  // CommonJS dependencies (jstat) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as nsmCreateRequire } from 'node:module'; const require = nsmCreateRequire(import.meta.url);" },
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
});
