/**
 * examples/cloud.config.yaml is what docs/deploy.md starts from: the CDK app synthesizes it as
 * `npm run synth -- -c config=examples/cloud.config.yaml` runs it (infra/app.ts with the CLI's
 * context, cdk-nag included), and without any config the app says where to start.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CDK_JSON_CONTEXT } from './synth';

const ROOT = resolve(import.meta.dirname, '../../..');

/** infra/app.ts run as the CDK CLI runs it (cdk.json "app"), from `cwd`, with bundling skipped. */
async function runApp(cwd: string, context: Record<string, unknown>) {
  const out = mkdtempSync(join(tmpdir(), 'nsm-examples-'));
  const env = {
    ...process.env,
    CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context }),
    CDK_OUTDIR: out,
  };
  const result = await promisify(execFile)('node', [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'infra/app.ts')], { cwd, env }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
  return { ...result, out };
}

describe('examples/cloud.config.yaml', { timeout: 120_000 }, () => {
  it('synthesizes through infra/app.ts, cdk-nag clean, from the repository root', async () => {
    const { code, stderr, out } = await runApp(ROOT, { config: 'examples/cloud.config.yaml' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'NsmNightly.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toContain('AWS::Lambda::Function');
    expect(types).toContain('AWS::Scheduler::Schedule');
    const schedule = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).find(
      (r) => r.Type === 'AWS::Scheduler::Schedule',
    );
    expect(schedule?.Properties.ScheduleExpressionTimezone).toBe('Europe/Berlin');
  });

  it('without -c config and without nsm.config.yaml, says how to start in one line (exit 2)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nsm-no-config-'));
    const { code, stderr } = await runApp(empty, {});
    expect(code).toBe(2);
    expect(stderr.trimEnd()).toBe(
      'nsm-nightly: config file not found: nsm.config.yaml (pass -c config=FILE; examples/cloud.config.yaml is a template to start from)',
    );
  });
});
