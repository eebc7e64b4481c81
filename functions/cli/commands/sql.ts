/**
 * `nsm sql`: prints every query of a night for a dialect, as `nsm run` would send them. Where the
 * engine keeps incremental state (DuckDB with local results, Athena with results in S3) that is the
 * steady-night plan — rebuild D-1 and D's rollups, fold the entry snapshot, then the metrics and
 * candidates over the state; `--from-scratch` prints the lake-only plan instead.
 */
import { AthenaState } from '../../adapters/athena-state';
import { DuckDbState } from '../../adapters/duckdb-engine';
import type { NsmConfig } from '../../core/config/types';
import { parseIsoDay } from '../../core/dates';
import type { StateCapability } from '../../core/engine';
import { InputError } from '../../core/errors';
import { formatQueries, planNight } from '../../core/pipeline/plan-night';
import { isS3Uri } from '../../core/s3-uri';
import type { Dialect } from '../../core/sql/dialect';
import { athenaDialect, duckdbDialect } from '../../core/sql/dialects';
import { steadyStatePlan } from '../../core/state/steady-state-plan';
import { parseFlags } from '../args';
import { loadConfigFile } from '../load-config';
import type { CommandIo } from './io';

export async function sqlCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const flags = parseFlags('sql', argv, {
    config: { type: 'string' },
    date: { type: 'string' },
    dialect: { type: 'string' },
    'from-scratch': { type: 'boolean' },
  });
  if (!flags.date) throw new InputError('nsm sql: --date is required');
  const dt = parseIsoDay(flags.date, '--date');
  const config = await loadConfigFile(flags.config ?? 'nsm.config.yaml');
  const { dialect, state } = dialectFor(config, flags.dialect ?? 'duckdb');
  const queries = state && !flags['from-scratch'] ? await steadyStatePlan(config, dialect, dt, state) : planNight(config, dialect, dt);
  io.out(formatQueries(queries));
  return 0;
}

/** The dialect, and the state the engine of that dialect would keep for this config (if any). */
function dialectFor(config: NsmConfig, name: string): { dialect: Dialect; state: StateCapability | null } {
  const results = config.results.location;
  if (name === 'duckdb') return { dialect: duckdbDialect(), state: isS3Uri(results) ? null : new DuckDbState(null, results) };
  if (name !== 'athena') throw new InputError(`--dialect: '${name}' is not one of athena, duckdb`);
  const athena = config.lake.athena;
  if (!athena) throw new InputError(`${config.source}: lake.athena: required for --dialect athena (database, table, workgroup)`);
  const printOnly = async (): Promise<never> => {
    throw new InputError('nsm sql only prints');
  };
  const state = isS3Uri(results)
    ? new AthenaState(printOnly, { database: athena.database, resultsLocation: results, clearFolder: printOnly })
    : null;
  return { dialect: athenaDialect(athena.database, athena.table), state };
}
