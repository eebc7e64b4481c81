/**
 * The nsm CLI runs its esbuild bundle (dist/nsm.mjs) when the bundle is newer than every source
 * file, and falls back to tsx otherwise (bin/nsm.js), which costs about a second of start-up. A
 * real install has a fresh bundle (`npm ci` builds it), so before each measured night the
 * benchmark rebuilds a stale bundle, outside the timing, and counts how often it had to.
 * A checkout without bin/build-cli.js (older commits) always runs through tsx.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, measureChild } from './child';

export type Runner = 'bundle' | 'tsx';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether `bin/nsm.js` in `nsmDir` would run the bundle now (the same test it makes). */
export function bundleIsFresh(nsmDir: string): boolean {
  const bundle = join(nsmDir, 'dist', 'nsm.mjs');
  if (!existsSync(bundle)) return false;
  const lock = join(nsmDir, 'package-lock.json');
  const sources = Math.max(newest(join(nsmDir, 'functions')), existsSync(lock) ? statSync(lock).mtimeMs : 0);
  return statSync(bundle).mtimeMs >= sources;
}

/** Builds the bundle when it is stale and the checkout can; says which runner nsm will use. */
export async function ensureBundle(nsmDir: string): Promise<{ runner: Runner; rebuilt: boolean }> {
  const builder = join(nsmDir, 'bin', 'build-cli.js');
  if (!existsSync(builder)) return { runner: 'tsx', rebuilt: false };
  if (bundleIsFresh(nsmDir)) return { runner: 'bundle', rebuilt: false };
  expectSuccess('bin/build-cli.js', await measureChild(process.execPath, [builder], { cwd: nsmDir }));
  return { runner: bundleIsFresh(nsmDir) ? 'bundle' : 'tsx', rebuilt: true };
}
