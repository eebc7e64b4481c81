/**
 * `nsm` entry point. It finds the command, answers `--help` and `--version`, parses the flags and
 * runs the command. Errors a user caused print one line, prefixed `nsm <command>:` here and only
 * here, and exit 2; anything else prints its message (the stack too with NSM_DEBUG=1) and exits 1.
 * Nothing else in the CLI catches errors.
 */
import pkg from '../../package.json' with { type: 'json' };
import { closest } from '../core/config/messages';
import { NsmError } from '../core/errors';
import { type Command, commandHelp, parseFlags, wantsHelp } from './args';
import { demoCommand } from './commands/demo';
import { initCommand } from './commands/init';
import { type CommandIo, processIo } from './commands/io';
import { runCommand } from './commands/run';
import { sqlCommand } from './commands/sql';
import { validateCommand } from './commands/validate';

const COMMANDS: readonly Command[] = [initCommand, runCommand, sqlCommand, validateCommand, demoCommand] as unknown as readonly Command[];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `nsm ${pkg.version} — nightly North Star Metric pipeline`,
    '',
    'Usage: nsm <command> [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Flags:',
    '  -h, --help     print this help; nsm <command> --help lists the flags of a command',
    '  -V, --version  print the version',
    '',
  ].join('\n');
}

/** Runs `nsm <argv>` and returns the exit code. */
export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return 0;
  }
  if (name === 'version' || name === '--version' || name === '-V') {
    io.out(`nsm ${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const match = closest(
      name,
      COMMANDS.map((c) => c.name),
    );
    io.err(`nsm: unknown command '${name}'${match ? ` (did you mean '${match}'?)` : ''}; see nsm --help\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parseFlags(command.name, rest, command.flags), io);
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
