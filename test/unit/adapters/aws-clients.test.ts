import { describe, expect, it } from 'vitest';
import { awsClientConfig, buildAwsClients, endpointFromEnv, envFlag } from '../../../functions/adapters/aws-clients';

describe('envFlag', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    [' 1 ', true],
    ['yes', true],
    // The Powertools trap (its getBooleanFromEnv reads 'false' as true): the string 'false' must not read as true.
    ['false', false],
    ['0', false],
    ['', false],
    [undefined, false],
  ])('%j -> %s', (v, expected) => expect(envFlag(v)).toBe(expected));
});

describe('endpointFromEnv', () => {
  it('prefers the service-specific variable, then the general one', () => {
    const env = { AWS_ENDPOINT_URL: 'http://all:4566', AWS_ENDPOINT_URL_S3: 'http://minio:9000' };
    expect(endpointFromEnv('S3', env)).toBe('http://minio:9000');
    expect(endpointFromEnv('SNS', env)).toBe('http://all:4566');
    expect(endpointFromEnv('Athena', { AWS_ENDPOINT_URL_ATHENA: 'http://athena:1' })).toBe('http://athena:1');
    expect(endpointFromEnv('Athena', {})).toBeUndefined();
  });
  it('ignores blank values and honours AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', () => {
    expect(endpointFromEnv('S3', { AWS_ENDPOINT_URL_S3: '  ', AWS_ENDPOINT_URL: 'http://all' })).toBe('http://all');
    expect(endpointFromEnv('S3', { AWS_ENDPOINT_URL_S3: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
    expect(endpointFromEnv('S3', { AWS_ENDPOINT_URL_S3: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' })).toBe('http://x');
  });
});

describe('awsClientConfig', () => {
  it('leaves everything to the SDK on plain AWS', () => {
    expect(awsClientConfig('S3', { AWS_REGION: 'eu-west-1' })).toEqual({ region: 'eu-west-1' });
    expect(awsClientConfig('Athena', {})).toEqual({});
  });
  it('uses AWS_DEFAULT_REGION when AWS_REGION is unset', () => {
    expect(awsClientConfig('SNS', { AWS_DEFAULT_REGION: 'ap-south-1' })).toEqual({ region: 'ap-south-1' });
  });
  it('sets path style and WHEN_REQUIRED checksums for a custom S3 endpoint, with a default region', () => {
    expect(awsClientConfig('S3', { AWS_ENDPOINT_URL_S3: 'http://localhost:9000' })).toEqual({
      region: 'us-east-1',
      endpoint: 'http://localhost:9000',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });
  it('sets only the endpoint for Athena and SNS', () => {
    expect(awsClientConfig('SNS', { AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_REGION: 'eu-central-1' })).toEqual({
      region: 'eu-central-1',
      endpoint: 'http://localhost:4566',
    });
  });
});

describe('buildAwsClients', () => {
  it('builds clients whose resolved config carries the endpoint and path style', async () => {
    const { s3, athena, sns } = buildAwsClients({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' });
    try {
      expect(s3.config.forcePathStyle).toBe(true);
      expect(await s3.config.region()).toBe('eu-west-1');
      const endpoint = await s3.config.endpoint!();
      expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:9000');
      expect(await athena.config.region()).toBe('eu-west-1');
      expect(await sns.config.region()).toBe('eu-west-1');
    } finally {
      s3.destroy();
      athena.destroy();
      sns.destroy();
    }
  });
});
