// What the test suites need from outside node_modules, and whether it is there. `npm test` runs
// bin/check-test-env.js before vitest, so a suite that cannot run fails the run with one line
// instead of being skipped quietly; a suite is skipped only when its variable says so
// explicitly (NSM_SKIP_BROWSER=1). The suites read the same status (test/browser/report.test.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The report's browser test: Debian's Chromium, driven by playwright-core. */
export const BROWSER_SUITE = {
  name: 'the browser tests (test/browser)',
  path: '/usr/bin/chromium',
  install: 'apt-get install -y chromium',
  skipVariable: 'NSM_SKIP_BROWSER',
};

/** Every suite with an outside prerequisite. */
export const SUITES = [BROWSER_SUITE];

/**
 * Whether `suite` can run: `ready`, `skipped` (its variable is exactly `1`) or `missing`, with
 * the one line to print.
 * @param {typeof BROWSER_SUITE} suite
 * @param {{ env?: Record<string, string | undefined>, exists?: (path: string) => boolean }} [options]
 * @returns {{ status: 'ready' | 'skipped' | 'missing', message: string }}
 */
export function suiteStatus(suite, options = {}) {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  if (env[suite.skipVariable] === '1') {
    return { status: 'skipped', message: `npm test: skipping ${suite.name}: ${suite.skipVariable}=1` };
  }
  if (exists(suite.path)) return { status: 'ready', message: '' };
  return {
    status: 'missing',
    message: `npm test: ${suite.name} cannot run: ${suite.path} is missing. Install it (${suite.install}) or set ${suite.skipVariable}=1 to skip them.`,
  };
}

/**
 * Every suite's status: the failure lines (suites that cannot run) and notices (suites skipped).
 * @param {{ env?: Record<string, string | undefined>, exists?: (path: string) => boolean }} [options]
 * @returns {{ failures: string[], notices: string[] }}
 */
export function checkTestSuites(options = {}) {
  const failures = [];
  const notices = [];
  for (const suite of SUITES) {
    const { status, message } = suiteStatus(suite, options);
    if (status === 'missing') failures.push(message);
    if (status === 'skipped') notices.push(message);
  }
  return { failures, notices };
}

/** `exists` under another root than `/`: only for this module's own test. */
export function existsUnder(root) {
  return (path) => existsSync(join(root, path));
}
