/**
 * The NSM_* environment variables that override the config, so one config file serves every stage
 * (CDK sets them on the `nightly` function, infra/nsm-pipeline.ts):
 *
 * | variable                 | overrides                                        | honoured by          |
 * |--------------------------|--------------------------------------------------|----------------------|
 * | `NSM_RESULTS_BUCKET`     | `results.location` → `s3://bucket/prefix`         | the Lambda only      |
 * | `NSM_RESULTS_PREFIX`     | the prefix of that location (with the bucket)     | the Lambda only      |
 * | `NSM_SNS_TOPIC_ARN`      | `alerts.sns_topic_arn` (the variable wins)        | Lambda, `nsm run`    |
 * | `NSM_ATHENA_WORKGROUP`   | `lake.athena.workgroup` (`--workgroup` wins)      | Lambda, Athena runs  |
 * | `NSM_ATHENA_DATABASE`    | `lake.athena.database`                            | Lambda, Athena runs  |
 * | `NSM_ATHENA_TABLE`       | `lake.athena.table`                               | Lambda, Athena runs  |
 *
 * On the command line the results go where the config says, so a variable left in a shell cannot
 * redirect them; the Athena variables only configure the Athena engine (`commandLineEnv`).
 * Empty values count as unset. Problems are `InputError`s naming the variable.
 */
import type { Env } from '../adapters/aws-clients';
import { snsTopicArnProblem } from '../core/config/field-rules';
import { DEFAULT_BYTES_SCANNED_CUTOFF_GB } from '../core/config/schema';
import type { AthenaLakeConfig, NsmConfig } from '../core/config/types';
import { InputError } from '../core/errors';
import { formatS3Uri, parseS3Uri } from '../core/s3-uri';
import { IDENTIFIER } from '../core/sql/quote';
import type { EngineName } from '../core/state/keeps-state';

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** `config` with the NSM_* overrides present in `env` applied (the input is not modified). */
export function applyEnvOverrides(config: NsmConfig, env: Env): NsmConfig {
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
  const topicProblem = topic === undefined ? undefined : snsTopicArnProblem(topic);
  if (topicProblem) throw new InputError(`NSM_SNS_TOPIC_ARN: ${topicProblem}`);
  return {
    ...config,
    lake: { ...config.lake, athena },
    results,
    alerts: topic === undefined ? config.alerts : { ...config.alerts, sns_topic_arn: topic },
  };
}

/**
 * The part of `env` a command-line run honours (see the module comment): never the results
 * location; the Athena settings only for the Athena engine, with `--workgroup` over the variable.
 */
export function commandLineEnv(env: Env, options: { engine: EngineName; workgroup?: string | undefined }): Env {
  const { NSM_RESULTS_BUCKET: _bucket, NSM_RESULTS_PREFIX: _prefix, ...rest } = env;
  if (options.engine !== 'athena') {
    const { NSM_ATHENA_WORKGROUP: _wg, NSM_ATHENA_DATABASE: _db, NSM_ATHENA_TABLE: _table, ...local } = rest;
    return local;
  }
  return options.workgroup ? { ...rest, NSM_ATHENA_WORKGROUP: options.workgroup } : rest;
}
