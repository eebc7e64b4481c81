import { describe, expect, it } from 'vitest';
import { requireAthena } from '../../../functions/core/config/require-athena';
import { InputError } from '../../../functions/core/errors';
import { applyEnvOverrides, commandLineEnv } from '../../../functions/wiring/env-overrides';
import { lakeConfig, testConfig } from '../../support/config';

const base = testConfig({
  lake: lakeConfig('s3://lake-bucket/events', {
    athena: { database: 'product_events', table: 'events', workgroup: 'primary', bytes_scanned_cutoff_gb: 50 },
  }),
  results: './results',
  metrics: [{ id: 'm', name: 'm', type: 'count', events: undefined, window_days: 1 }],
  north_star: 'm',
});

describe('applyEnvOverrides', () => {
  it('changes nothing without NSM_* variables (and leaves the input alone)', () => {
    const copy = structuredClone(base);
    expect(applyEnvOverrides(base, {})).toEqual(base);
    expect(applyEnvOverrides(base, { NSM_RESULTS_BUCKET: '  ', NSM_SNS_TOPIC_ARN: '' })).toEqual(base);
    expect(base).toEqual(copy);
  });

  it('points the results at s3://bucket/prefix', () => {
    expect(applyEnvOverrides(base, { NSM_RESULTS_BUCKET: 'nsm-results', NSM_RESULTS_PREFIX: 'prod/nsm/' }).results.location).toBe(
      's3://nsm-results/prod/nsm',
    );
    expect(applyEnvOverrides(base, { NSM_RESULTS_BUCKET: 'nsm-results' }).results.location).toBe('s3://nsm-results');
  });

  it('rejects a prefix without a bucket, and a bad bucket name', () => {
    expect(() => applyEnvOverrides(base, { NSM_RESULTS_PREFIX: 'x' })).toThrow('NSM_RESULTS_PREFIX is set but NSM_RESULTS_BUCKET is not');
    expect(() => applyEnvOverrides(base, { NSM_RESULTS_BUCKET: 'Bad_Bucket' })).toThrow(
      /NSM_RESULTS_BUCKET\/NSM_RESULTS_PREFIX: 'Bad_Bucket' is not a valid S3 bucket name/,
    );
  });

  it('lets NSM_SNS_TOPIC_ARN win over alerts.sns_topic_arn', () => {
    const withTopic = { ...base, alerts: { ...base.alerts, sns_topic_arn: 'arn:aws:sns:us-east-1:123456789012:from-config' } };
    expect(applyEnvOverrides(withTopic, {}).alerts.sns_topic_arn).toBe('arn:aws:sns:us-east-1:123456789012:from-config');
    expect(applyEnvOverrides(withTopic, { NSM_SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:from-env' }).alerts.sns_topic_arn).toBe(
      'arn:aws:sns:us-east-1:123456789012:from-env',
    );
  });

  it('rejects a NSM_SNS_TOPIC_ARN that is not an SNS topic ARN, naming the variable', () => {
    expect(() => applyEnvOverrides(base, { NSM_SNS_TOPIC_ARN: 'nsm-alerts' })).toThrow(
      "NSM_SNS_TOPIC_ARN: 'nsm-alerts' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)",
    );
  });

  it('overrides lake.athena field by field, keeping the scan cutoff', () => {
    expect(applyEnvOverrides(base, { NSM_ATHENA_WORKGROUP: 'nsm-prod' }).lake.athena).toEqual({
      database: 'product_events',
      table: 'events',
      workgroup: 'nsm-prod',
      bytes_scanned_cutoff_gb: 50,
    });
  });

  it('builds lake.athena from all three variables when the config has none', () => {
    const noAthena = { ...base, lake: { ...base.lake, athena: undefined } };
    expect(
      applyEnvOverrides(noAthena, { NSM_ATHENA_WORKGROUP: 'wg', NSM_ATHENA_DATABASE: 'db', NSM_ATHENA_TABLE: 't' }).lake.athena,
    ).toEqual({
      workgroup: 'wg',
      database: 'db',
      table: 't',
      bytes_scanned_cutoff_gb: 100,
    });
    expect(() => applyEnvOverrides(noAthena, { NSM_ATHENA_WORKGROUP: 'wg' })).toThrow(
      'NSM_ATHENA_DATABASE, NSM_ATHENA_TABLE not set and <test> has no lake.athena',
    );
  });

  it('rejects a database or table that is not an identifier', () => {
    expect(() => applyEnvOverrides(base, { NSM_ATHENA_TABLE: 'events; DROP' })).toThrow(InputError);
    expect(() => applyEnvOverrides(base, { NSM_ATHENA_DATABASE: 'a.b' })).toThrow("NSM_ATHENA_DATABASE: 'a.b' is not an identifier");
  });
});

describe('requireAthena', () => {
  it('explains how to provide lake.athena', () => {
    expect(() => requireAthena({ ...base, lake: { ...base.lake, athena: undefined } })).toThrow(
      '<test>: lake.athena: required to query with Athena (database, table, workgroup; or NSM_ATHENA_* variables)',
    );
    expect(requireAthena(base).workgroup).toBe('primary');
  });
});

describe('commandLineEnv', () => {
  const shell = {
    NSM_RESULTS_BUCKET: 'elsewhere',
    NSM_RESULTS_PREFIX: 'p',
    NSM_SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:t',
    NSM_ATHENA_WORKGROUP: 'wg',
    NSM_ATHENA_DATABASE: 'db',
    NSM_ATHENA_TABLE: 't',
    AWS_REGION: 'us-east-1',
  };

  it('never lets the results location come from the shell', () => {
    for (const engine of ['duckdb', 'athena'] as const) {
      const env = commandLineEnv(shell, { engine });
      expect(env.NSM_RESULTS_BUCKET).toBeUndefined();
      expect(env.NSM_RESULTS_PREFIX).toBeUndefined();
      expect(applyEnvOverrides(base, env).results.location).toBe('./results');
    }
  });

  it('keeps the topic and the AWS settings; the Athena settings only for the Athena engine', () => {
    expect(commandLineEnv(shell, { engine: 'duckdb' })).toEqual({ NSM_SNS_TOPIC_ARN: shell.NSM_SNS_TOPIC_ARN, AWS_REGION: 'us-east-1' });
    expect(commandLineEnv(shell, { engine: 'athena' })).toEqual({
      NSM_SNS_TOPIC_ARN: shell.NSM_SNS_TOPIC_ARN,
      NSM_ATHENA_WORKGROUP: 'wg',
      NSM_ATHENA_DATABASE: 'db',
      NSM_ATHENA_TABLE: 't',
      AWS_REGION: 'us-east-1',
    });
  });

  it('lets --workgroup win over NSM_ATHENA_WORKGROUP', () => {
    expect(commandLineEnv(shell, { engine: 'athena', workgroup: 'from-flag' }).NSM_ATHENA_WORKGROUP).toBe('from-flag');
    expect(commandLineEnv(shell, { engine: 'athena', workgroup: undefined }).NSM_ATHENA_WORKGROUP).toBe('wg');
  });
});
