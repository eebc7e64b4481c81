/**
 * The one config loader of the CLI, the Lambda, the demo, the bench and the CDK app: the file
 * system part that core's pure `parseConfig` leaves out, and the environment's overrides.
 *
 * - Relative local lake/results folders mean "relative to the config file", not to the current
 *   folder, so `nsm run --config demo/nsm.config.yaml` works from anywhere. (A deployed config's
 *   locations are `s3://` URIs, which are left alone.)
 * - The NSM_* overrides present in `env` are applied (`env-overrides.ts`); each caller passes the
 *   variables it honours: the Lambda its whole environment, `nsm run` its `commandLineEnv`, the
 *   demo and `nsm validate` none.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Env } from '../adapters/aws-clients';
import { overlapProblem } from '../core/config/location';
import { parseConfig } from '../core/config/parse';
import type { NsmConfig } from '../core/config/types';
import { ConfigError, InputError } from '../core/errors';
import { isS3Uri } from '../core/s3-uri';
import { applyEnvOverrides } from './env-overrides';

/**
 * Loads, checks and returns the config at `path` with `env`'s overrides. `source` in the result (and
 * in every message) is `path` as given. Throws `InputError` when the file cannot be read or a
 * variable is wrong, `ConfigError` when the file is not a valid config.
 */
export async function loadConfig(path: string, env: Env): Promise<NsmConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`config file not found: ${path}`, { cause: error });
    const reason = code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new InputError(`cannot read config file ${path}: ${reason}`, { cause: error });
  }
  const config = parseConfig(text, path);
  const folder = dirname(resolve(path));
  const local = (location: string): string => (isS3Uri(location) ? location : resolve(folder, location));
  const resolved: NsmConfig = {
    ...config,
    lake: { ...config.lake, location: local(config.lake.location) },
    results: { location: local(config.results.location) },
  };
  const overridden = applyEnvOverrides(resolved, env);
  // The rules compared the locations as written; resolved (and overridden) they may overlap anew.
  const overlap = overlapProblem(overridden.lake.location, overridden.results.location);
  if (overlap) throw new ConfigError(path, 'results.location', overlap);
  return overridden;
}

/** The config bundled beside the Lambda's code: `NSM_CONFIG_PATH` (set by infra/nightly-function.ts), else `nsm.config.yaml` in the task root. */
export function bundledConfigPath(env: Env): string {
  return env.NSM_CONFIG_PATH || `${env.LAMBDA_TASK_ROOT ?? '.'}/nsm.config.yaml`;
}
