import { defineConfig } from 'vitest/config';

/**
 * The suites that run against real engines and AWS emulators (Trino, moto, cfn-lint), installed
 * on first use into a per-user cache and started once per run by the `engines` project's global
 * setup (test/support/engines/). `npm run test:engines` runs these alone.
 */
const ENGINE_SUITES = ['test/integration/engines/**/*.test.ts'];

export default defineConfig({
  test: {
    // Integration tests start DuckDB instances and loopback servers; two cores, so keep forks modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: ENGINE_SUITES },
      },
      {
        extends: true,
        test: {
          name: 'engines',
          include: ENGINE_SUITES,
          globalSetup: ['test/support/engines/global-setup.ts'],
          // A suite first waits for Trino's start-up; whole backfills run on it. On two cores shared
          // with other work a Trino statement takes 0.2 s idle and several seconds under load, and
          // a test that times out leaves its statements running into the next: the limit is wide.
          testTimeout: 1_200_000,
          hookTimeout: 1_200_000,
        },
      },
    ],
  },
});
