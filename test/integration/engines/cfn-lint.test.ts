/**
 * cfn-lint (AWS's CloudFormation linter, installed by test/support/engines/tools.ts) over every
 * template the app synthesizes: the stack for the cloud fixture, with the results bucket created
 * by the stack, and for a Parquet lake. Clean means no finding at all; a finding is acknowledged
 * only on its resource with the reason beside it (`cfn-lint` metadata, as infra/nightly-function.ts
 * does for W3005), never here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { synthApp, withConfig } from '../../unit/infra/synth';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'nsm-cfn-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VARIANTS = {
  'cloud fixture': () => synthApp(),
  'results bucket created by the stack': () => synthApp(undefined, { createResultsBucket: true }),
  'parquet lake, no reserved concurrency': () =>
    synthApp(
      withConfig((c) => {
        c.lake.format = 'parquet';
      }),
      { reserveConcurrency: false },
    ),
};

interface Finding {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path: readonly (string | number)[] };
}

describe('cfn-lint', () => {
  it('finds nothing in any synthesized template', async () => {
    const files = Object.entries(VARIANTS).map(([name, synth], i) => {
      const file = join(dir, `template-${i}.json`);
      writeFileSync(file, JSON.stringify(synth().template.toJSON(), null, 1));
      return { name, file };
    });
    // Exit code 0 only when clean; findings come back as JSON either way.
    const out = await run(inject('cfnLint'), ['--format', 'json', '--', ...files.map((f) => f.file)]).catch(
      (err: { stdout?: string; stderr?: string; code?: number }) => {
        if (!err.stdout) throw new Error(`cfn-lint failed (exit ${err.code}): ${err.stderr}`);
        return { stdout: err.stdout };
      },
    );
    const findings = (JSON.parse(out.stdout) as Finding[]).map(
      (f) => `${files.find((x) => x.file === f.Filename)?.name}: ${f.Rule.Id} ${f.Level} at ${f.Location.Path.join('/')}: ${f.Message}`,
    );
    expect(findings).toEqual([]);
  });

  it('would report a finding (the linter runs on these files)', async () => {
    // A template with an unknown resource property: if cfn-lint were not really reading the
    // files, the test above could not fail.
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { NoSuchProperty: 1 } } } }));
    const err = (await run(inject('cfnLint'), ['--format', 'json', '--', bad]).catch((e: unknown) => e)) as { stdout: string };
    expect((JSON.parse(err.stdout) as Finding[]).map((f) => f.Rule.Id)).toContain('E3002');
  });
});
