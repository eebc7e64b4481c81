/** `nsm run`: one night or a range, on the embedded DuckDB engine (or Athena with `--engine athena`). */
import { InputError } from '../../core/errors';
import { runNights } from '../../core/pipeline/run-nights';
import { reportHtmlKey } from '../../core/results/layout';
import type { EngineName } from '../../core/state/keeps-state';
import { commandLineEnv } from '../../wiring/env-overrides';
import { loadConfig } from '../../wiring/load-config';
import { openPipeline } from '../../wiring/open-pipeline';
import { parseFlags } from '../args';
import { nightsFromFlags } from '../night-range';
import type { CommandIo } from './io';

export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const flags = parseFlags('run', argv, {
    config: { type: 'string' },
    date: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    engine: { type: 'string' },
    workgroup: { type: 'string' },
    'alert-all': { type: 'boolean' },
  });
  const engine = (flags.engine ?? 'duckdb') as EngineName;
  if (engine !== 'duckdb' && engine !== 'athena') throw new InputError(`--engine: '${flags.engine}' is not one of duckdb, athena`);
  // Everything a user can get wrong is checked before anything is written.
  const config = await loadConfig(flags.config ?? 'nsm.config.yaml', commandLineEnv(io.env, { engine, workgroup: flags.workgroup }));
  const nights = nightsFromFlags(flags, config.timezone, io.now());
  const pipeline = await openPipeline(config, {
    engine,
    env: io.env,
    log: (line) => io.out(`${line}\n`),
    warn: (line) => io.err(`warning: ${line}\n`),
    print: (text) => io.out(text),
    now: () => io.now(),
  });
  try {
    const outcomes = await runNights(config, nights, pipeline.deps, { alertAll: flags['alert-all'] === true });
    const last = outcomes[outcomes.length - 1];
    if (last) io.out(`results: ${pipeline.deps.store.uriFor(reportHtmlKey(last.dt))}\n`);
  } finally {
    await pipeline.close();
  }
  return 0;
}
