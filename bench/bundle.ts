/**
 * The nsm CLI runs its esbuild bundle (dist/nsm.mjs) when the bundle is newer than every source
 * file, and falls back to tsx otherwise (bin/nsm.js), which costs about a second of start-up. A
 * real install has a fresh bundle (`npm ci` builds it), so before each measured night the
 * benchmark rebuilds a stale bundle, outside the timing, and counts how often it had to.
 * A checkout without bin/build-cli.js (older commits) always runs through tsx.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleIsFresh } from '../bin/bundle-fresh.js';
import { expectSuccess, measureChild } from './child';

export type Runner = 'bundle' | 'tsx';

/** Builds the bundle when it is stale and the checkout can; says which runner nsm will use. */
export async function ensureBundle(nsmDir: string): Promise<{ runner: Runner; rebuilt: boolean }> {
  const builder = join(nsmDir, 'bin', 'build-cli.js');
  if (!existsSync(builder)) return { runner: 'tsx', rebuilt: false };
  if (bundleIsFresh(nsmDir)) return { runner: 'bundle', rebuilt: false };
  expectSuccess('bin/build-cli.js', await measureChild(process.execPath, [builder], { cwd: nsmDir }));
  return { runner: bundleIsFresh(nsmDir) ? 'bundle' : 'tsx', rebuilt: true };
}
