/**
 * `npm test` refuses to pass while a suite cannot run: bin/check-test-env.js (run by the `test`
 * script before vitest) fails with one line per missing prerequisite, unless the suite is skipped
 * on purpose with its variable (NSM_SKIP_BROWSER=1).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_SUITE, checkTestSuites, suiteStatus } from '../../../bin/test-prerequisites.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const missing = { exists: () => false };
const present = { exists: () => true };

describe('suiteStatus', () => {
  it('is ready when the browser is there', () => {
    expect(suiteStatus(BROWSER_SUITE, { ...present, env: {} }).status).toBe('ready');
  });

  it('is missing, with a one-line reason naming the browser, the fix and the way to skip, when it is not', () => {
    const s = suiteStatus(BROWSER_SUITE, { ...missing, env: {} });
    expect(s.status).toBe('missing');
    expect(s.message).toBe(
      'npm test: the browser tests (test/browser) cannot run: /usr/bin/chromium is missing. Install it (apt-get install -y chromium) or set NSM_SKIP_BROWSER=1 to skip them.',
    );
  });

  it('is skipped only when NSM_SKIP_BROWSER=1 says so explicitly', () => {
    expect(suiteStatus(BROWSER_SUITE, { ...missing, env: { NSM_SKIP_BROWSER: '1' } })).toEqual({
      status: 'skipped',
      message: 'npm test: skipping the browser tests (test/browser): NSM_SKIP_BROWSER=1',
    });
    // Anything else is not an explicit yes.
    for (const value of ['', '0', 'true', 'yes']) {
      expect(suiteStatus(BROWSER_SUITE, { ...missing, env: { NSM_SKIP_BROWSER: value } }).status).toBe('missing');
    }
    // Skipping wins even with the browser there: the variable says "do not run them".
    expect(suiteStatus(BROWSER_SUITE, { ...present, env: { NSM_SKIP_BROWSER: '1' } }).status).toBe('skipped');
  });
});

describe('checkTestSuites', () => {
  it('lists one failure line per suite that cannot run', () => {
    expect(checkTestSuites({ ...missing, env: {} })).toEqual({
      failures: [suiteStatus(BROWSER_SUITE, { ...missing, env: {} }).message],
      notices: [],
    });
    expect(checkTestSuites({ ...present, env: {} })).toEqual({ failures: [], notices: [] });
  });
});

describe('bin/check-test-env.js', () => {
  it('runs in `npm test` before vitest', () => {
    const test: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.test;
    expect(test).toMatch(/node bin\/check-test-env\.js && vitest run$/);
  });

  it('exits 1 with the one line when a suite cannot run, 0 with a notice when skipped', () => {
    const run = (env: Record<string, string>) =>
      spawnSync('node', [join(ROOT, 'bin/check-test-env.js')], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    // NSM_TEST_PREREQUISITES_ROOT points the checker at a root where nothing exists.
    const failed = run({ NSM_TEST_PREREQUISITES_ROOT: '/nonexistent' });
    expect(failed.status).toBe(1);
    expect(failed.stderr.trimEnd().split('\n')).toEqual([suiteStatus(BROWSER_SUITE, { ...missing, env: {} }).message]);
    const skipped = run({ NSM_TEST_PREREQUISITES_ROOT: '/nonexistent', NSM_SKIP_BROWSER: '1' });
    expect(skipped.status).toBe(0);
    expect(skipped.stderr.trimEnd()).toBe('npm test: skipping the browser tests (test/browser): NSM_SKIP_BROWSER=1');
  });
});
