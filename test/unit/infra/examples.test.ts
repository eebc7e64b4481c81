/**
 * examples/cloud.config.yaml is what docs/deploy.md starts from: it loads with the real loader and
 * synthesizes the whole stack with no cdk-nag finding (what `npm run synth -- -c
 * config=examples/cloud.config.yaml` checks), and without any config infra/app.ts says where to start.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/wiring/load-config';
import { EXAMPLE_CONFIG_FILE } from '../../../infra/build-app';
import { CDK_JSON_CONTEXT, only, synthApp } from './synth';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('examples/cloud.config.yaml', { timeout: 120_000 }, () => {
  it('synthesizes the stack with no cdk-nag finding', async () => {
    const config = await loadConfig(join(ROOT, EXAMPLE_CONFIG_FILE), {});
    const { app, template } = synthApp(config);
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.filter((v) => v.severity === 'error' || v.severity === 'warning')
      .map((v) => v.ruleName);
    expect(findings).toEqual([]);
    expect(only(template, 'AWS::Scheduler::Schedule').props.ScheduleExpressionTimezone).toBe('Europe/Berlin');
    expect(only(template, 'AWS::Athena::WorkGroup').props.Name).toBe('nsm');
  });

  it('infra/app.ts without -c config and without nsm.config.yaml says how to start, in one line (exit 2)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nsm-no-config-'));
    // What the CDK CLI runs (cdk.json "app"), from a folder without nsm.config.yaml.
    const failure = await promisify(execFile)('node', [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'infra/app.ts')], {
      cwd: empty,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(CDK_JSON_CONTEXT), CDK_OUTDIR: join(empty, 'out') },
    }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trimEnd()).toBe(
      'nsm-nightly: config file not found: nsm.config.yaml (pass -c config=FILE; examples/cloud.config.yaml is a template to start from)',
    );
  });
});
