/** `nsm validate`: checks a config file against every rule and prints what it defines. */
import { describeConfig } from '../../core/config/describe';
import { loadConfig } from '../../wiring/load-config';
import { defineCommand } from '../args';
import { CONFIG_FLAG } from './common-flags';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'check a config file and print the metrics, tree and alerts it defines',
  flags: { config: CONFIG_FLAG },
  async run(flags, io) {
    // The file as written: the environment's overrides belong to a run, not to the file.
    const config = await loadConfig(flags.config ?? 'nsm.config.yaml', {});
    io.out(`${config.source}: valid\n${describeConfig(config)}\n`);
    return 0;
  },
});
