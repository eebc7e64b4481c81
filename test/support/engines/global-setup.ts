/**
 * vitest globalSetup of the `engines` project (vitest.config.ts): installs the tools when missing
 * (tools.ts), starts moto and Trino on 127.0.0.1, hands their endpoints to the suites (`inject`),
 * and stops both when the run ends. Trino's start-up (~30 s on two idle cores) is not waited for
 * here: the suites wait for it (services.ts), so the unit tests run meanwhile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto } from './moto-server';
import { ensureTestTools } from './tools';
import { startTrino } from './trino-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto's endpoint (S3, SNS, SQS). */
    motoEndpoint: string;
    /** Trino's endpoint (may still be starting: see services.ts). */
    trinoEndpoint: string;
    /** Trino's folder (its `server.log`); suites put their catalogs' metastores beside it. */
    trinoDir: string;
    /** The `cfn-lint` executable. */
    cfnLint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tools = await ensureTestTools((line) => console.log(`[engines] ${line}`));
  const dir = mkdtempSync(join(tmpdir(), 'nsm-engines-'));
  const moto = await startMoto(tools);
  const trino = await startTrino({ tools, dir });
  // A run that is interrupted still ends its servers: nothing may outlive the test run.
  const killNow = () => {
    moto.kill();
    trino.kill();
  };
  process.once('exit', killNow);
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('trinoEndpoint', trino.endpoint);
  project.provide('trinoDir', dir);
  project.provide('cfnLint', join(tools.pythonBin, 'cfn-lint'));
  return async () => {
    process.off('exit', killNow);
    await Promise.all([trino.stop(), moto.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
