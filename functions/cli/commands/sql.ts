/**
 * `nsm sql`: prints every query of a night for a dialect, as `nsm run` would send them. Where the
 * engine keeps incremental state (DuckDB with local results, Athena with results in S3) that is the
 * steady-night plan — rebuild D-1 and D's rollups, fold the entry snapshot, then the metrics and
 * candidates over the state; `--from-scratch` prints the lake-only plan instead. Nothing is
 * opened: the statements are core's, and so is the dialect.
 */
import { parseIsoDay } from '../../core/dates';
import { InputError } from '../../core/errors';
import { formatQueries, planNight } from '../../core/pipeline/plan-night';
import { dialectFor } from '../../core/sql/dialects';
import type { EngineName } from '../../core/state/keeps-state';
import { steadyStatePlan } from '../../core/state/steady-state-plan';
import { commandLineEnv } from '../../wiring/env-overrides';
import { loadConfig } from '../../wiring/load-config';
import { parseFlags } from '../args';
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
  const name = flags.dialect ?? 'duckdb';
  if (name !== 'duckdb' && name !== 'athena') throw new InputError(`--dialect: '${name}' is not one of athena, duckdb`);
  const engine: EngineName = name;
  const config = await loadConfig(flags.config ?? 'nsm.config.yaml', commandLineEnv(io.env, { engine }));
  const dialect = dialectFor(config, engine);
  const queries = dialect.state && !flags['from-scratch'] ? await steadyStatePlan(config, dialect, dt) : planNight(config, dialect, dt);
  io.out(formatQueries(queries));
  return 0;
}
