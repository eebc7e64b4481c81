/**
 * The environment variables CDK sets on the `nightly` function (infra/nsm-pipeline.ts) override
 * the bundled config, so one config file serves every stage:
 *
 * | variable                 | overrides                                  |
 * |--------------------------|--------------------------------------------|
 * | `NSM_RESULTS_BUCKET`     | `results.location` → `s3://bucket/prefix`   |
 * | `NSM_RESULTS_PREFIX`     | the prefix of that location (with the bucket) |
 * | `NSM_SNS_TOPIC_ARN`      | `alerts.sns_topic_arn` (DESIGN.md §2: the env var wins) |
 * | `NSM_ATHENA_WORKGROUP`   | `lake.athena.workgroup`                    |
 * | `NSM_ATHENA_DATABASE`    | `lake.athena.database`                     |
 * | `NSM_ATHENA_TABLE`       | `lake.athena.table`                        |
 *
 * Empty values count as unset. Problems are `InputError`s naming the variable.
 */
import { DEFAULT_BYTES_SCANNED_CUTOFF_GB } from '../core/config/schema';
import type { AthenaLakeConfig, NsmConfig } from '../core/config/types';
import { InputError } from '../core/errors';
import { formatS3Uri, parseS3Uri } from '../core/s3-uri';
import { IDENTIFIER } from '../core/sql/quote';
// Type-only: the environment shape is the one the SDK clients read; no SDK code is loaded here.
import type { Env } from './aws-clients';

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** `config` with the NSM_* environment overrides applied (the input is not modified). */
export function applyCloudEnv(config: NsmConfig, env: Env): NsmConfig {
  const bucket = value(env, 'NSM_RESULTS_BUCKET');
  const prefix = value(env, 'NSM_RESULTS_PREFIX');
  if (prefix !== undefined && bucket === undefined) throw new InputError('NSM_RESULTS_PREFIX is set but NSM_RESULTS_BUCKET is not');
  let results = config.results;
  if (bucket !== undefined) {
    const location = formatS3Uri(parseS3Uri(`s3://${bucket}/${prefix ?? ''}`, 'NSM_RESULTS_BUCKET/NSM_RESULTS_PREFIX'));
    results = { location };
  }

  const athenaEnv = {
    workgroup: value(env, 'NSM_ATHENA_WORKGROUP'),
    database: value(env, 'NSM_ATHENA_DATABASE'),
    table: value(env, 'NSM_ATHENA_TABLE'),
  };
  for (const [field, v] of Object.entries(athenaEnv)) {
    if (v !== undefined && field !== 'workgroup' && !IDENTIFIER.test(v)) {
      throw new InputError(`NSM_ATHENA_${field.toUpperCase()}: '${v}' is not an identifier (letters, digits, _)`);
    }
  }
  let athena: AthenaLakeConfig | undefined = config.lake.athena;
  if (athenaEnv.workgroup || athenaEnv.database || athenaEnv.table) {
    const merged = {
      workgroup: athenaEnv.workgroup ?? athena?.workgroup,
      database: athenaEnv.database ?? athena?.database,
      table: athenaEnv.table ?? athena?.table,
    };
    const missing = Object.entries(merged)
      .filter(([, v]) => v === undefined)
      .map(([k]) => `NSM_ATHENA_${k.toUpperCase()}`);
    if (missing.length) throw new InputError(`${missing.join(', ')} not set and ${config.source} has no lake.athena`);
    athena = {
      workgroup: merged.workgroup!,
      database: merged.database!,
      table: merged.table!,
      bytes_scanned_cutoff_gb: athena?.bytes_scanned_cutoff_gb ?? DEFAULT_BYTES_SCANNED_CUTOFF_GB,
    };
  }

  const topic = value(env, 'NSM_SNS_TOPIC_ARN');
  return {
    ...config,
    lake: { ...config.lake, athena },
    results,
    alerts: topic === undefined ? config.alerts : { ...config.alerts, sns_topic_arn: topic },
  };
}

/** `lake.athena`, or an InputError saying how to provide it. */
export function requireAthena(config: NsmConfig): AthenaLakeConfig {
  if (!config.lake.athena) {
    throw new InputError(
      `${config.source}: lake.athena: required to query with Athena (database, table, workgroup; or NSM_ATHENA_* variables)`,
    );
  }
  return config.lake.athena;
}
