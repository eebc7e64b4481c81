/**
 * Reads a config file for the CLI: the file system part that core's pure `parseConfig` leaves out.
 * Relative local lake/results folders mean "relative to the config file", not to the shell's
 * current folder, so `nsm run --config demo/nsm.config.yaml` works from anywhere.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseConfig } from '../core/config/parse';
import type { NsmConfig } from '../core/config/types';
import { InputError } from '../core/errors';
import { isS3Uri } from '../core/s3-uri';

/**
 * Loads, checks and returns the config at `path`. `source` in the result (and in every message)
 * is `path` as given. Throws `InputError` when the file cannot be read, `ConfigError` when it is
 * not a valid config.
 */
export async function loadConfigFile(path: string): Promise<NsmConfig> {
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
  return {
    ...config,
    lake: { ...config.lake, location: local(config.lake.location) },
    results: { location: local(config.results.location) },
  };
}
