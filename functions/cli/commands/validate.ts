/** `nsm validate`: checks a config file against every rule and prints what it defines. */
import { describeConfig } from '../../core/config/describe';
import { loadConfig } from '../../wiring/load-config';
import { parseFlags } from '../args';
import type { CommandIo } from './io';

export async function validateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const flags = parseFlags('validate', argv, { config: { type: 'string' } });
  // The file as written: the environment's overrides belong to a run, not to the file.
  const config = await loadConfig(flags.config ?? 'nsm.config.yaml', {});
  io.out(`${config.source}: valid\n${describeConfig(config)}\n`);
  return 0;
}
