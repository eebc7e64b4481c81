/** A test suite that needs something outside node_modules (see test-prerequisites.js). */
export interface TestSuite {
  readonly name: string;
  readonly path: string;
  readonly install: string;
  readonly skipVariable: string;
}
export interface SuiteStatus {
  readonly status: 'ready' | 'skipped' | 'missing';
  readonly message: string;
}
export interface CheckOptions {
  readonly env?: Record<string, string | undefined>;
  readonly exists?: (path: string) => boolean;
}
export const BROWSER_SUITE: TestSuite;
export const SUITES: readonly TestSuite[];
export function suiteStatus(suite: TestSuite, options?: CheckOptions): SuiteStatus;
export function checkTestSuites(options?: CheckOptions): { failures: string[]; notices: string[] };
export function existsUnder(root: string): (path: string) => boolean;
