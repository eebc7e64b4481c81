#!/usr/bin/env node
// Bundles the `nsm` CLI into dist/nsm.mjs (run by `npm ci` through the `prepare` script). The CLI
// works without it — bin/nsm.js falls back to running the TypeScript through tsx — but a bundle
// starts about a second faster, which is most of a local night's time (see docs/performance.md).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
  // Native and heavy packages stay in node_modules; the AWS SDK is only loaded for cloud runs.
  external: ['@duckdb/node-api', '@aws-sdk/*', '@aws-lambda-powertools/*'],
  // CommonJS dependencies (jstat) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as nsmCreateRequire } from 'node:module'; const require = nsmCreateRequire(import.meta.url);" },
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
});
