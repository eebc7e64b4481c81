/** `nsm validate`: checks a config file against every rule and prints what it defines; with `--lake`, against the lake too. */
import { describeConfig } from '../../core/config/describe';
import { InputError } from '../../core/errors';
import { EVENT_LOOKBACK_DAYS, inspectLake } from '../../core/pipeline/inspect-lake';
import type { EngineName } from '../../core/state/keeps-state';
import { commandLineEnv } from '../../wiring/env-overrides';
import { loadConfig } from '../../wiring/load-config';
import { openPipeline } from '../../wiring/open-pipeline';
import { defineCommand } from '../args';
import { nightsFromFlags } from '../night-range';
import { CONFIG_FLAG } from './common-flags';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: "check a config file (and with --lake, the lake's columns and event names) and print what it defines",
  flags: {
    config: CONFIG_FLAG,
    lake: {
      type: 'boolean',
      help: `also check the lake: every configured column exists, every event name was seen in the last ${EVENT_LOOKBACK_DAYS} days`,
    },
    date: {
      type: 'string',
      value: 'YYYY-MM-DD',
      default: "yesterday in the config's timezone",
      help: `the last day of the ${EVENT_LOOKBACK_DAYS} days --lake looks at`,
    },
    engine: { type: 'string', value: 'duckdb|athena', default: 'duckdb', help: 'what reads the lake for --lake' },
  },
  notes: ['A missing column is an error (exit 2); an unseen event name is a warning on stderr (exit 0).'],
  async run(flags, io) {
    const engine = (flags.engine ?? 'duckdb') as EngineName;
    if (engine !== 'duckdb' && engine !== 'athena') throw new InputError(`--engine: '${flags.engine}' is not one of duckdb, athena`);
    if (!flags.lake && (flags.date !== undefined || flags.engine !== undefined)) throw new InputError('--date and --engine go with --lake');
    // The file as written: the environment's overrides belong to a run, not to the file (but
    // reading the lake on Athena needs them, as a run does).
    const config = await loadConfig(flags.config ?? 'nsm.config.yaml', flags.lake ? commandLineEnv(io.env, { engine }) : {});
    if (flags.lake) {
      const [dt] = nightsFromFlags({ date: flags.date }, config.timezone, io.now());
      const pipeline = await openPipeline(config, {
        engine,
        env: io.env,
        log: () => undefined,
        warn: () => undefined,
        now: () => io.now(),
      });
      try {
        const { warnings } = await inspectLake(config, dt!, pipeline.deps.engine);
        for (const w of warnings) io.err(`warning: ${w.message}\n`);
      } finally {
        await pipeline.close();
      }
    }
    io.out(`${config.source}: valid${flags.lake ? ' (and the lake agrees)' : ''}\n${describeConfig(config)}\n`);
    return 0;
  },
});
