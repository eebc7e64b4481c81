import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNsmApp } from '../../../infra/build-app';
import { CDK_JSON_CONTEXT, CLOUD_CONFIG_FILE, cloudConfig, NIGHTLY_DESCRIPTION } from './synth';

// The one test that runs esbuild (every other CDK test skips bundling): what ships to Lambda.
// esbuild over the AWS SDK takes seconds, more on a loaded CI machine.
describe('nightly bundle', { timeout: 180_000 }, () => {
  const outdir = mkdtempSync(join(tmpdir(), 'nsm-cdk-out-'));
  let bundleDir: string | undefined;
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('is one minified ESM file with its source map and the config, without DuckDB or the CLI', () => {
    const app = new App({ outdir, context: CDK_JSON_CONTEXT });
    const stack = buildNsmApp(app, cloudConfig);
    const started = Date.now();
    const assembly = app.synth();
    const ms = Date.now() - started;

    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string }; Description?: string } }>;
    };
    const fn = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description?.startsWith(NIGHTLY_DESCRIPTION),
    )!;
    const hash = fn.Properties.Code!.S3Key!.replace(/\.zip$/, '');
    const dir = join(outdir, `asset.${hash}`);

    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map', 'nsm.config.yaml']);
    expect(readFileSync(join(dir, 'nsm.config.yaml'), 'utf8')).toBe(readFileSync(CLOUD_CONFIG_FILE, 'utf8'));

    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    const bytes = statSync(join(dir, 'index.mjs')).size;
    console.log(`nightly bundle: index.mjs ${(bytes / 1024).toFixed(0)} KiB, synth with bundling ${ms} ms`);
    // Generous ceiling: the AWS SDK clients (Athena, S3, SNS) minified are ~1 MB together; DuckDB
    // alone would be tens of MB.
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
    expect(code).not.toContain('@duckdb');
    expect(code).not.toMatch(/\.node["']/);

    // The source map lists every module in the bundle: the proof of what is (not) inside.
    const sources = (JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources;
    expect(sources.some((s) => s.endsWith('functions/nightly/handler.ts'))).toBe(true);
    expect(sources.filter((s) => s.includes('@duckdb') || /functions\/(cli|adapters\/duckdb)/.test(s))).toEqual([]);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);

    bundleDir = dir;
  });

  it('loads as ESM, reads the bundled config and rejects a bad event with a named error', async () => {
    expect(bundleDir).toBeDefined();
    // The variables CDK sets (values from the fixture's stack); no AWS call happens before the event is parsed.
    const env = {
      NSM_CONFIG_PATH: join(bundleDir!, 'nsm.config.yaml'),
      NSM_SNS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      NSM_RESULTS_BUCKET: 'acme-nsm-results',
      NSM_RESULTS_PREFIX: 'nightly',
      AWS_REGION: 'eu-west-1',
      AWS_SDK_JS_SUPPRESS_END_OF_SUPPORT_WARNING: '1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const mod = (await import(pathToFileURL(join(bundleDir!, 'index.mjs')).href)) as {
        handler: (event: unknown) => Promise<unknown>;
      };
      const error = await mod.handler({ date: 'nope' }).then(
        () => undefined,
        (e: Error) => e,
      );
      // keepNames: the class name survives minification.
      expect(error?.name).toBe('InputError');
      expect(error?.message).toMatch(/event\.date/);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
