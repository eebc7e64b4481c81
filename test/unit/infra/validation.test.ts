import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/errors';
import { NsmPipeline } from '../../../infra/nsm-pipeline';
import type { NsmPipelineProps } from '../../../infra/pipeline-props';
import { CLOUD_CONFIG_FILE, cloudConfig, synthApp, withConfig } from './synth';

const ROOT = resolve(import.meta.dirname, '../../..');
const FILE = CLOUD_CONFIG_FILE;

/** Builds the construct alone: validation runs before any resource, so no synth is needed. */
function build(props: Partial<NsmPipelineProps>) {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
  return new NsmPipeline(stack, 'P', { config: cloudConfig, ...props });
}

describe('invalid configs fail synth with a message naming file and field', () => {
  it.each([
    [
      'a local lake folder',
      withConfig((c) => void (c.lake.location = './demo/lake')),
      `${FILE}: lake.location: must be an s3:// URI for a cloud deploy, got ./demo/lake`,
    ],
    [
      'a local results folder',
      withConfig((c) => void (c.results.location = '/tmp/results')),
      `${FILE}: results.location: must be an s3:// URI for a cloud deploy, got /tmp/results`,
    ],
    [
      'results in the lake location',
      withConfig((c) => void (c.results.location = 's3://acme-product-events/events/v1/')),
      `${FILE}: results.location: must differ from lake.location (s3://acme-product-events/events/v1)`,
    ],
    [
      'no athena section',
      withConfig((c) => void (c.lake.athena = undefined)),
      `${FILE}: lake.athena: is required for a cloud deploy (database, table, workgroup)`,
    ],
    [
      'the primary workgroup',
      withConfig((c) => void (c.lake.athena!.workgroup = 'primary')),
      `${FILE}: lake.athena.workgroup: must not be "primary": the stack creates and owns its workgroup`,
    ],
    [
      'a mixed-case Glue database',
      withConfig((c) => void (c.lake.athena!.database = 'Product_Events')),
      `${FILE}: lake.athena.database: must be lower case letters, digits and _ for Glue, got Product_Events`,
    ],
    [
      'an events table named like a results table',
      withConfig((c) => void (c.lake.athena!.table = 'nsm_metrics')),
      `${FILE}: lake.athena.table: nsm_metrics is the name of a results table the stack creates; choose another`,
    ],
    [
      'an events table named like a state table',
      withConfig((c) => void (c.lake.athena!.table = 'nsm_state_daily')),
      `${FILE}: lake.athena.table: nsm_state_daily is the name of a state table the stack creates; choose another`,
    ],
    [
      'two sum properties that differ only in case',
      withConfig((c) => {
        c.metrics.push({ id: 'd2', name: 'd2', type: 'sum', events: undefined, window_days: 1, property: 'Duration_MS', scale: 1 });
      }),
      `${FILE}: metrics: sum properties "Duration_MS" and "duration_ms" differ only in case; Glue and Athena would fold both into column p__duration_ms`,
    ],
    [
      'a scan cutoff under Athena’s 10 MB floor',
      withConfig((c) => void (c.lake.athena!.bytes_scanned_cutoff_gb = 0.001)),
      `${FILE}: lake.athena.bytes_scanned_cutoff_gb: must be >= 0.01 (Athena's minimum is 10 MB)`,
    ],
    [
      'an SMS number that is not E.164',
      withConfig((c) => void (c.alerts.sms = ['555-0100'])),
      `${FILE}: alerts.sms[0]: '555-0100' is not a phone number in E.164 form (such as +15555550100)`,
    ],
    [
      'an Athena workgroup name with a space',
      withConfig((c) => void (c.lake.athena!.workgroup = 'nsm prod')),
      `${FILE}: lake.athena.workgroup: 'nsm prod' is not an Athena workgroup name (1-128 letters, digits, '.', '_' and '-')`,
    ],
    [
      'an alert email address without a domain',
      withConfig((c) => void (c.alerts.email = ['growth-team'])),
      `${FILE}: alerts.email[0]: 'growth-team' is not an email address`,
    ],
    [
      'an unknown time zone',
      withConfig((c) => void (c.timezone = 'Mars/Olympus')),
      `${FILE}: timezone: unknown time zone 'Mars/Olympus' (use an IANA name such as UTC or Europe/Berlin)`,
    ],
    [
      'a schedule restricting both day fields',
      withConfig((c) => void (c.schedule = '0 6 1 * MON')),
      `${FILE}: schedule: schedule "0 6 1 * MON": AWS schedules cannot restrict both the day of month and the day of week (cron reads that as "either"); use * for one of them`,
    ],
    [
      'no first day of the lake',
      withConfig((c) => void (c.lake.first_day = undefined)),
      `${FILE}: lake.first_day: is required for a cloud deploy: the lake's first day (YYYY-MM-DD), where Athena's partition projection starts; Athena never reads an earlier day`,
    ],
    [
      'a first day after tomorrow',
      withConfig((c) => void (c.lake.first_day = '2999-01-01')),
      `${FILE}: lake.first_day: 2999-01-01 is after tomorrow (UTC): Athena's partition projection would hold no day`,
    ],
    [
      'a sum property that is the partition key',
      withConfig((c) => {
        const m = c.metrics.find((x) => x.type === 'sum') as { property: string };
        m.property = 'dt';
      }),
      `${FILE}: lake.columns: lake column "dt" is also the partition key "dt"; Glue tables cannot have both`,
    ],
  ])('%s', (_case, config, message) => {
    const attempt = () => build({ config });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it.each([
    [{ memorySize: 64 }, 'NsmPipeline: memorySize must be a whole number of MB from 128 to 10240, got 64'],
    [{ missedNightHours: 200 }, 'NsmPipeline: missedNightHours must be a whole number from 1 to 168, got 200'],
    [{ configFile: '/nonexistent/nsm.yaml' }, 'NsmPipeline: the config file to bundle does not exist: /nonexistent/nsm.yaml'],
  ] as const)('rejects props %o', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  it('rejects a context flag that is neither true nor false', () => {
    expect(() => synthApp(cloudConfig, { createResultsBucket: 'yes' })).toThrow(
      'context createResultsBucket must be true or false, got "yes"',
    );
  });

  it('`cdk synth` with a local config prints one line naming the field and exits 2', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsm-infra-'));
    const local = join(dir, 'local.config.yaml');
    writeFileSync(
      local,
      readFileSync(FILE, 'utf8')
        .replace('s3://acme-product-events/events/v1', './lake')
        .replace(/^\s*athena:.*$/m, ''),
    );
    // What the CDK CLI runs (cdk.json "app"), with the context it passes.
    const run = promisify(execFile)('node', ['bin/run-ts.js', 'infra/app.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: local }), CDK_OUTDIR: join(dir, 'out') },
    });
    const failure = await run.then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trim()).toBe(
      `nsm-nightly: ${local}: lake.location: must be an s3:// URI for a cloud deploy, got ${join(dir, 'lake')}`,
    );
  });
});
