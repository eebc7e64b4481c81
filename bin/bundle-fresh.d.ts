/** Whether the CLI bundle of the checkout at `root` is newer than its sources, lockfile and build script (see bundle-fresh.js). */
export function bundleIsFresh(root: string): boolean;
