/** `nsm run`: one night or a range, on the embedded DuckDB engine (or Athena with `--engine athena`). */
import { InputError } from '../../core/errors';
import { runNights } from '../../core/pipeline/run-nights';
import { reportHtmlKey } from '../../core/results/layout';
import type { EngineName } from '../../core/state/keeps-state';
import { commandLineEnv } from '../../wiring/env-overrides';
import { loadConfig } from '../../wiring/load-config';
import { openPipeline } from '../../wiring/open-pipeline';
import { defineCommand, parseSeconds } from '../args';
import { nightsFromFlags } from '../night-range';
import { CONFIG_FLAG } from './common-flags';

export const runCommand = defineCommand({
  name: 'run',
  summary: 'compute one night (or a range) and write its results, report and alerts',
  flags: {
    config: CONFIG_FLAG,
    date: { type: 'string', value: 'YYYY-MM-DD', default: "yesterday in the config's timezone", help: 'the night to run' },
    from: { type: 'string', value: 'YYYY-MM-DD', help: 'the first night of a range (with --to)' },
    to: { type: 'string', value: 'YYYY-MM-DD', help: 'the last night of a range (with --from)' },
    engine: { type: 'string', value: 'duckdb|athena', default: 'duckdb', help: 'where the SQL runs' },
    workgroup: { type: 'string', value: 'NAME', default: 'lake.athena.workgroup', help: 'the Athena workgroup (--engine athena)' },
    'alert-all': { type: 'boolean', help: "send every night's alerts in a range, not only the newest night's" },
    'lease-wait': {
      type: 'string',
      value: 'SECONDS',
      default: '600',
      help: "how long to wait for another run's lease on the results before failing (docs/operations.md)",
    },
  },
  notes: ['--date cannot be combined with --from/--to. Results go to results.location of the config.'],
  async run(flags, io) {
    const leaseWait = flags['lease-wait'] === undefined ? undefined : parseSeconds(flags['lease-wait'], '--lease-wait');
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
      // Who holds the lease, for a run that waits for it.
      what: ['nsm run', ...nights.slice(0, 1).map((d) => (nights.length > 1 ? `--from ${d} --to ${nights.at(-1)}` : `--date ${d}`))].join(
        ' ',
      ),
      ...(leaseWait === undefined ? {} : { leaseWaitMs: leaseWait * 1000 }),
    });
    try {
      const outcomes = await runNights(config, nights, pipeline.deps, { alertAll: flags['alert-all'] === true });
      const last = outcomes[outcomes.length - 1];
      if (last) io.out(`results: ${pipeline.deps.store.uriFor(reportHtmlKey(last.dt))}\n`);
    } finally {
      await pipeline.close();
    }
    return 0;
  },
});
