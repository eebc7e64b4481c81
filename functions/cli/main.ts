/**
 * `nsm` entry point. Errors a user caused print one line and exit 2; anything else prints its
 * message (the stack too with NSM_DEBUG=1) and exits 1. Nothing else in the CLI catches errors.
 */
import { NsmError } from '../core/errors';
import { type CommandIo, processIo } from './commands/io';
import { runCommand } from './commands/run';
import { sqlCommand } from './commands/sql';
import { validateCommand } from './commands/validate';

const USAGE = `nsm — nightly North Star Metric pipeline

Usage:
  nsm run      --config FILE [--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD] [--engine duckdb|athena [--workgroup NAME]] [--alert-all]
  nsm sql      --config FILE --date YYYY-MM-DD [--dialect duckdb|athena] [--from-scratch]
  nsm validate --config FILE
  nsm demo     [--dir DIR] [--events N]

--config defaults to ./nsm.config.yaml; run's default night is yesterday in the config's timezone.
`;

const COMMANDS: Record<string, (argv: readonly string[], io: CommandIo) => Promise<number>> = {
  run: runCommand,
  sql: sqlCommand,
  validate: validateCommand,
  // Loaded on demand: the generator is only needed by `nsm demo`.
  demo: async (argv, io) => (await import('./commands/demo')).demoCommand(argv, io),
};

/** Runs `nsm <argv>` and returns the exit code. */
export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`nsm: unknown command '${name}' (run, sql, validate, demo)\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof NsmError) {
      io.err(`nsm ${name}: ${err.message.split('\n')[0]}\n`);
      if (io.env.NSM_DEBUG) io.err(`${err.stack}\n`);
      return err.exitCode;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.err(`nsm ${name}: unexpected error: ${e.message.split('\n')[0]}\n`);
    if (io.env.NSM_DEBUG) io.err(`${e.stack}\n`);
    return 1;
  }
}
