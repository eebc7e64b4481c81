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
import { defineCommand } from '../args';
import { CONFIG_FLAG } from './common-flags';

export const sqlCommand = defineCommand({
  name: 'sql',
  summary: 'print the SQL a night runs, in the DuckDB or Athena dialect, without running it',
  flags: {
    config: CONFIG_FLAG,
    date: { type: 'string', value: 'YYYY-MM-DD', help: 'the night (required)' },
    dialect: { type: 'string', value: 'duckdb|athena', default: 'duckdb', help: 'the SQL dialect' },
    'from-scratch': { type: 'boolean', help: 'the lake-only plan instead of the steady night over incremental state' },
  },
  async run(flags, io) {
    if (!flags.date) throw new InputError('--date is required');
    const dt = parseIsoDay(flags.date, '--date');
    const name = flags.dialect ?? 'duckdb';
    if (name !== 'duckdb' && name !== 'athena') throw new InputError(`--dialect: '${name}' is not one of athena, duckdb`);
    const engine: EngineName = name;
    const config = await loadConfig(flags.config ?? 'nsm.config.yaml', commandLineEnv(io.env, { engine }));
    const dialect = dialectFor(config, engine);
    const queries = dialect.state && !flags['from-scratch'] ? await steadyStatePlan(config, dialect, dt) : planNight(config, dialect, dt);
    io.out(formatQueries(queries));
    return 0;
  },
});
