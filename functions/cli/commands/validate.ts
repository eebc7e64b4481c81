/** `nsm validate`: checks a config against every rule and prints what it defines. */
import { describeConfig } from '../../core/config/describe';
import { parseFlags } from '../args';
import { loadConfigFile } from '../load-config';
import type { CommandIo } from './io';

export async function validateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const flags = parseFlags('validate', argv, { config: { type: 'string' } });
  const config = await loadConfigFile(flags.config ?? 'nsm.config.yaml');
  io.out(`${config.source}: valid\n${describeConfig(config)}\n`);
  return 0;
}
