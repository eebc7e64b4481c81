// Whether the CLI bundle of the checkout at `root` (dist/nsm.mjs, built by bin/build-cli.js on
// `npm ci`) is newer than everything it is built from: the sources under functions/, the lockfile
// and the build script itself. bin/nsm.js runs the bundle only then (tsx otherwise); the benchmark
// asks the same question before each timed night, so the two can never disagree.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time of the files under `dir` (recursively). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** @param {string} root a checkout's folder @returns {boolean} */
export function bundleIsFresh(root) {
  const bundle = join(root, 'dist', 'nsm.mjs');
  if (!existsSync(bundle)) return false;
  const inputs = [join(root, 'package-lock.json'), join(root, 'bin', 'build-cli.js')].filter(existsSync);
  return statSync(bundle).mtimeMs >= Math.max(newest(join(root, 'functions')), ...inputs.map((f) => statSync(f).mtimeMs));
}
