/** `nsm demo`: a synthetic lake with planted effects, a matching config, a backfill and the last night. */
import { resolve } from 'node:path';
import { DEFAULT_DEMO_EVENTS } from '../../demo/generate-lake';
import { runDemo } from '../../demo/run-demo';
import { parseFlags, parsePositiveInt } from '../args';
import type { CommandIo } from './io';

export async function demoCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const flags = parseFlags('demo', argv, { dir: { type: 'string' }, events: { type: 'string' } });
  const dir = resolve(flags.dir ?? 'demo');
  const events = flags.events === undefined ? DEFAULT_DEMO_EVENTS : parsePositiveInt(flags.events, '--events');
  const result = await runDemo({ dir, events, log: (line) => io.out(`${line}\n`) });
  io.out(`\nconfig:  ${result.configPath}\nresults: ${result.resultsDir}\nreport:  ${result.reportPath}\n`);
  return 0;
}
