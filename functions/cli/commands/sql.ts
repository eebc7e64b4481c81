/** `nsm sql`: prints every query of a night for a dialect, exactly as `nsm run` would send it. */
import { parseIsoDay } from '../../core/dates';
import { InputError } from '../../core/errors';
import { formatQueries, planNight } from '../../core/pipeline/plan-night';
import { athenaDialect, duckdbDialect } from '../../core/sql/dialects';
import { parseFlags } from '../args';
import { loadConfigFile } from '../load-config';
import type { CommandIo } from './io';

export async function sqlCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const flags = parseFlags('sql', argv, { config: { type: 'string' }, date: { type: 'string' }, dialect: { type: 'string' } });
  if (!flags.date) throw new InputError('nsm sql: --date is required');
  const dt = parseIsoDay(flags.date, '--date');
  const config = await loadConfigFile(flags.config ?? 'nsm.config.yaml');
  const name = flags.dialect ?? 'duckdb';
  let dialect;
  if (name === 'duckdb') dialect = duckdbDialect();
  else if (name === 'athena') {
    const athena = config.lake.athena;
    if (!athena) throw new InputError(`${config.source}: lake.athena: required for --dialect athena (database, table, workgroup)`);
    dialect = athenaDialect(athena.database, athena.table);
  } else throw new InputError(`--dialect: '${name}' is not one of athena, duckdb`);
  io.out(formatQueries(planNight(config, dialect, dt)));
  return 0;
}
