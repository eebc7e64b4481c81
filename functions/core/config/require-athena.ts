/** `lake.athena`, for the code paths that query Athena. */
import { InputError } from '../errors';
import type { AthenaLakeConfig, NsmConfig } from './types';

/** `lake.athena`, or an InputError saying how to provide it. */
export function requireAthena(config: NsmConfig): AthenaLakeConfig {
  if (!config.lake.athena) {
    throw new InputError(
      `${config.source}: lake.athena: required to query with Athena (database, table, workgroup; or NSM_ATHENA_* variables)`,
    );
  }
  return config.lake.athena;
}
