#!/usr/bin/env node
// Run by `npm test` before vitest: fails (exit 1) with one line per test suite that cannot run,
// and says which suites are skipped on purpose. See test-prerequisites.js.
import { checkTestSuites, existsUnder } from './test-prerequisites.js';

// NSM_TEST_PREREQUISITES_ROOT looks for the prerequisites under another root: only for this
// script's own test (test/unit/bin), which needs a machine where they are missing.
const root = process.env.NSM_TEST_PREREQUISITES_ROOT;
const { failures, notices } = checkTestSuites(root ? { exists: existsUnder(root) } : {});
for (const line of [...notices, ...failures]) console.error(line);
process.exitCode = failures.length > 0 ? 1 : 0;
