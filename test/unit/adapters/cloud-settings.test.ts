import { describe, expect, it } from 'vitest';
import { applyCloudEnv, requireAthena } from '../../../functions/adapters/cloud-settings';
import { InputError } from '../../../functions/core/errors';
import { lakeConfig, testConfig } from '../../support/config';

const base = testConfig({
  lake: lakeConfig('s3://lake-bucket/events', {
    athena: { database: 'product_events', table: 'events', workgroup: 'primary', bytes_scanned_cutoff_gb: 50 },
  }),
  results: './results',
  metrics: [{ id: 'm', name: 'm', type: 'count', events: undefined, window_days: 1 }],
  north_star: 'm',
});

describe('applyCloudEnv', () => {
  it('changes nothing without NSM_* variables (and leaves the input alone)', () => {
    const copy = structuredClone(base);
    expect(applyCloudEnv(base, {})).toEqual(base);
    expect(applyCloudEnv(base, { NSM_RESULTS_BUCKET: '  ', NSM_SNS_TOPIC_ARN: '' })).toEqual(base);
    expect(base).toEqual(copy);
  });

  it('points the results at s3://bucket/prefix', () => {
    expect(applyCloudEnv(base, { NSM_RESULTS_BUCKET: 'nsm-results', NSM_RESULTS_PREFIX: 'prod/nsm/' }).results.location).toBe(
      's3://nsm-results/prod/nsm',
    );
    expect(applyCloudEnv(base, { NSM_RESULTS_BUCKET: 'nsm-results' }).results.location).toBe('s3://nsm-results');
  });

  it('rejects a prefix without a bucket, and a bad bucket name', () => {
    expect(() => applyCloudEnv(base, { NSM_RESULTS_PREFIX: 'x' })).toThrow('NSM_RESULTS_PREFIX is set but NSM_RESULTS_BUCKET is not');
    expect(() => applyCloudEnv(base, { NSM_RESULTS_BUCKET: 'Bad_Bucket' })).toThrow(
      /NSM_RESULTS_BUCKET\/NSM_RESULTS_PREFIX: 'Bad_Bucket' is not a valid S3 bucket name/,
    );
  });

  it('lets NSM_SNS_TOPIC_ARN win over alerts.sns_topic_arn', () => {
    const withTopic = { ...base, alerts: { ...base.alerts, sns_topic_arn: 'arn:aws:sns:us-east-1:1:from-config' } };
    expect(applyCloudEnv(withTopic, {}).alerts.sns_topic_arn).toBe('arn:aws:sns:us-east-1:1:from-config');
    expect(applyCloudEnv(withTopic, { NSM_SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:from-env' }).alerts.sns_topic_arn).toBe(
      'arn:aws:sns:us-east-1:1:from-env',
    );
  });

  it('overrides lake.athena field by field, keeping the scan cutoff', () => {
    expect(applyCloudEnv(base, { NSM_ATHENA_WORKGROUP: 'nsm-prod' }).lake.athena).toEqual({
      database: 'product_events',
      table: 'events',
      workgroup: 'nsm-prod',
      bytes_scanned_cutoff_gb: 50,
    });
  });

  it('builds lake.athena from all three variables when the config has none', () => {
    const noAthena = { ...base, lake: { ...base.lake, athena: undefined } };
    expect(applyCloudEnv(noAthena, { NSM_ATHENA_WORKGROUP: 'wg', NSM_ATHENA_DATABASE: 'db', NSM_ATHENA_TABLE: 't' }).lake.athena).toEqual({
      workgroup: 'wg',
      database: 'db',
      table: 't',
      bytes_scanned_cutoff_gb: 100,
    });
    expect(() => applyCloudEnv(noAthena, { NSM_ATHENA_WORKGROUP: 'wg' })).toThrow(
      'NSM_ATHENA_DATABASE, NSM_ATHENA_TABLE not set and <test> has no lake.athena',
    );
  });

  it('rejects a database or table that is not an identifier', () => {
    expect(() => applyCloudEnv(base, { NSM_ATHENA_TABLE: 'events; DROP' })).toThrow(InputError);
    expect(() => applyCloudEnv(base, { NSM_ATHENA_DATABASE: 'a.b' })).toThrow("NSM_ATHENA_DATABASE: 'a.b' is not an identifier");
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
