/**
 * The AWS SDK clients, configured from the standard environment so that the same code talks to
 * AWS, LocalStack, MinIO or a test server:
 *
 * - region: `AWS_REGION` (set by Lambda), else `AWS_DEFAULT_REGION`, else the SDK's own lookup
 *   (shared config file); `us-east-1` when only a custom endpoint is set (emulators ignore it,
 *   but SigV4 signing needs one);
 * - endpoint: `AWS_ENDPOINT_URL_<SERVICE>` (`_S3`, `_ATHENA`, `_SNS`), else `AWS_ENDPOINT_URL`,
 *   unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` — the precedence of the SDKs' "service-specific
 *   endpoints" setting (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 *   SDK v3 reads these variables itself (@smithy/core `getEndpointUrlConfig`); they are read
 *   here too because S3 needs two more settings whenever its endpoint is not AWS:
 * - S3 with a custom endpoint: `forcePathStyle: true` (`http://host/bucket/key`; MinIO, s3rver and
 *   LocalStack do not resolve `bucket.host`), and checksums `WHEN_REQUIRED` — since v3.729.0
 *   (January 2025) the SDK adds a CRC32 checksum to every upload and validates downloads by default,
 *   which several S3-compatible servers reject (https://github.com/aws/aws-sdk-js-v3/issues/6810).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';

export type Env = Readonly<Record<string, string | undefined>>;
export type AwsService = 'S3' | 'Athena' | 'SNS';

/** The settings `awsClientConfig` derives; every field is optional so the SDK's defaults stay. */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  requestChecksumCalculation?: 'WHEN_REQUIRED';
  responseChecksumValidation?: 'WHEN_REQUIRED';
}

/** `true`/`1`/`yes` (any case) are true; everything else — including `false` and `0` — is false. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|yes)$/i.test(value.trim());
}

/** The custom endpoint for `service`, if the environment configures one. */
export function endpointFromEnv(service: AwsService, env: Env): string | undefined {
  if (envFlag(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined;
  const specific = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`]?.trim();
  const general = env.AWS_ENDPOINT_URL?.trim();
  return specific || general || undefined;
}

/** Client settings for `service` from `env` (pure; see the module comment). */
export function awsClientConfig(service: AwsService, env: Env): AwsClientConfig {
  const endpoint = endpointFromEnv(service, env);
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || (endpoint ? 'us-east-1' : undefined);
  const config: AwsClientConfig = {};
  if (region) config.region = region;
  if (endpoint) {
    config.endpoint = endpoint;
    if (service === 'S3') {
      config.forcePathStyle = true;
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    }
  }
  return config;
}

export interface AwsClients {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
}

export const buildS3Client = (env: Env = process.env) => new S3Client(awsClientConfig('S3', env));
export const buildAthenaClient = (env: Env = process.env) => new AthenaClient(awsClientConfig('Athena', env));
export const buildSnsClient = (env: Env = process.env) => new SNSClient(awsClientConfig('SNS', env));

/** All three clients (build once per cold start; they keep connections alive between invocations). */
export function buildAwsClients(env: Env = process.env): AwsClients {
  return { athena: buildAthenaClient(env), s3: buildS3Client(env), sns: buildSnsClient(env) };
}
