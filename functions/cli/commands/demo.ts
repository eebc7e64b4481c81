/** `nsm demo`: a synthetic lake with planted effects, a matching config, a backfill and the last night. */
import { resolve } from 'node:path';
import { DEFAULT_DEMO_EVENTS } from '../../demo/demo-size';
import { defineCommand, parsePositiveInt } from '../args';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: "generate a synthetic lake with planted effects, backfill it and write the last night's report",
  flags: {
    dir: { type: 'string', value: 'DIR', default: 'demo', help: 'the folder for the lake, config and results' },
    events: { type: 'string', value: 'N', default: String(DEFAULT_DEMO_EVENTS), help: 'about how many events the lake holds' },
  },
  async run(flags, io) {
    // Loaded on demand: the generator is only needed by `nsm demo`.
    const { runDemo } = await import('../../demo/run-demo');
    const dir = resolve(flags.dir ?? 'demo');
    const events = flags.events === undefined ? DEFAULT_DEMO_EVENTS : parsePositiveInt(flags.events, '--events');
    const result = await runDemo({ dir, events, log: (line) => io.out(`${line}\n`) });
    io.out(`\nconfig:  ${result.configPath}\nresults: ${result.resultsDir}\nreport:  ${result.reportPath}\n`);
    return 0;
  },
});
