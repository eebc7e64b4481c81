/**
 * `nsm sql`: prints every query of a night for a dialect, in order, as `nsm run` would send them.
 * Where the engine keeps incremental state (DuckDB with local results, Athena with results in S3)
 * that is the steady-night plan — rebuild D-1 and D's rollups, fold the entry snapshot, then the
 * metrics and candidates over the state — or, with `--plan first-night`, a first night's: every
 * rollup, the first-entry snapshot in chunks of at most `lake.max_days_per_query` days, then the
 * night's queries. `--from-scratch` prints the lake-only plan instead. No engine is opened: the
 * statements are core's, and so is the dialect (a first night over a local lake lists its folder
 * for the lake's first day).
 */
import { parseIsoDay } from '../../core/dates';
import type { Query } from '../../core/engine';
import { InputError } from '../../core/errors';
import { formatQueries, planNight } from '../../core/pipeline/plan-night';
import { dialectFor } from '../../core/sql/dialects';
import type { EngineName } from '../../core/state/keeps-state';
import { planLimits } from '../../core/state/night-state';
import { type PrintedPlan, printedStatePlan } from '../../core/state/printed-plans';
import { commandLineEnv } from '../../wiring/env-overrides';
import { localLakeFirstDay } from '../../wiring/lake-start';
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
    plan: {
      type: 'string',
      value: 'steady|first-night',
      default: 'steady',
      help: 'which night over incremental state: a steady one, or a first night (every state build, in bounded chunks)',
    },
    'from-scratch': { type: 'boolean', help: 'the lake-only plan instead of the steady night over incremental state' },
  },
  async run(flags, io) {
    if (!flags.date) throw new InputError('--date is required');
    const dt = parseIsoDay(flags.date, '--date');
    const name = flags.dialect ?? 'duckdb';
    if (name !== 'duckdb' && name !== 'athena') throw new InputError(`--dialect: '${name}' is not one of athena, duckdb`);
    const engine: EngineName = name;
    const config = await loadConfig(flags.config ?? 'nsm.config.yaml', commandLineEnv(io.env, { engine }));
    const plan = flags.plan ?? 'steady';
    if (plan !== 'steady' && plan !== 'first-night') throw new InputError(`--plan: '${plan}' is not one of first-night, steady`);
    if (flags['from-scratch'] && flags.plan)
      throw new InputError('--plan and --from-scratch do not go together (the lake-only plan has no state)');
    const dialect = dialectFor(config, engine);
    let queries: Query[];
    if (!dialect.state || flags['from-scratch']) {
      if (flags.plan)
        throw new InputError(`the ${engine} engine keeps no state for ${config.results.location}, so a night reads the lake (no --plan)`);
      queries = planNight(config, dialect, dt);
    } else {
      // The lake's first day matters to a first night only; only a local lake can say it unasked.
      const firstDay = plan === 'first-night' && engine === 'duckdb' ? await localLakeFirstDay(config.lake) : undefined;
      queries = await printedStatePlan(config, dialect, dt, plan as PrintedPlan, planLimits(config, firstDay));
    }
    io.out(formatQueries(queries));
    return 0;
  },
});
