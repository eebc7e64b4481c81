/**
 * The command line of every `nsm` command, declared once: a command's flags (type, placeholder,
 * default, one line of help) give both its parser and its `--help`. Parsing is node:util's
 * parseArgs in token mode, so the mistakes it would let through or word awkwardly are ours to
 * report: an unknown flag (with the closest one), a single-value flag given twice, a flag
 * without its value. Messages carry no `nsm <command>:` prefix; main adds it, once.
 */
import { parseArgs } from 'node:util';
import { closest } from '../core/config/messages';
import { InputError } from '../core/errors';
import type { CommandIo } from './commands/io';

/** One flag of a command. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in the usage (`FILE`, `YYYY-MM-DD`, `duckdb|athena`); string flags only. */
  readonly value?: string;
  /** What applies when the flag is absent, as the help shows it. */
  readonly default?: string;
  /** One line for `--help`. */
  readonly help: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The parsed flags: a string or `true` for each flag given, absent otherwise. */
export type Flags<S extends FlagSpecs> = { [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean };

/** An `nsm` command: its name, what it does, its flags and what runs it. */
export interface Command<S extends FlagSpecs = FlagSpecs> {
  readonly name: string;
  /** One line for `nsm --help`. */
  readonly summary: string;
  readonly flags: S;
  /** Lines under the flags in `nsm <command> --help` (how flags combine, where output goes). */
  readonly notes?: readonly string[];
  run(flags: Flags<S>, io: CommandIo): Promise<number>;
}

/** Declares a command, keeping its flag names and types for `run`. */
export function defineCommand<S extends FlagSpecs>(command: Command<S>): Command<S> {
  return command;
}

const HELP = new Set(['help', 'h']);

/** True when `argv` asks for help (`--help` or `-h` before any `--`); help wins over every other flag. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Parses `argv` against `specs`; every mistake is a one-line InputError naming the flag. */
export function parseFlags<S extends FlagSpecs>(command: string, argv: readonly string[], specs: S): Flags<S> {
  // strict: false so that unknown flags come back as tokens we can word (with a suggestion)
  // instead of node's message; every token is checked below, so nothing slips through.
  const { tokens } = parseArgs({
    args: [...argv],
    options: toParseArgsOptions(specs),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean> = {};
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new InputError(`unexpected argument '${token.value}'`);
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (!spec || HELP.has(token.name)) {
      const names = Object.keys(specs).map((n) => `--${n}`);
      const match = token.rawName.startsWith('--') ? closest(token.rawName, names) : undefined;
      throw new InputError(`unknown flag '${token.rawName}'${match ? ` (did you mean '${match}'?)` : ''}; see nsm ${command} --help`);
    }
    const flag = `--${token.name}`;
    let value: string | boolean = true;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new InputError(`${flag} takes no value`);
    } else {
      // parseArgs takes the next argument as the value even when it is another flag
      // (`--date --config x`): a value never starts with '-' unless given as --flag=value.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
        throw new InputError(`${flag} needs a value${spec.value ? ` (${spec.value})` : ''}`);
      }
      value = token.value;
    }
    const earlier = values[token.name];
    if (earlier !== undefined) throw new InputError(`${flag} given twice${spec.type === 'string' ? ` (${earlier}, ${value})` : ''}`);
    values[token.name] = value;
  }
  return values as Flags<S>;
}

function toParseArgsOptions(specs: FlagSpecs): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }]));
}

/** `nsm <command> --help`: the usage line, every flag with its default, then the notes. */
export function commandHelp(command: Command): string {
  const rows: [string, string][] = Object.entries(command.flags).map(([name, spec]) => [
    `--${name}${spec.value ? ` ${spec.value}` : ''}`,
    `${spec.help}${spec.default !== undefined ? ` (default: ${spec.default})` : ''}`,
  ]);
  rows.push(['-h, --help', 'print this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = [
    `Usage: nsm ${command.name} [flags]`,
    '',
    command.summary,
    '',
    'Flags:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
  ];
  if (command.notes?.length) lines.push('', ...command.notes);
  return `${lines.join('\n')}\n`;
}

/** A positive integer flag value. */
export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag}: '${value}' is not a positive whole number`);
  return n;
}

/** A whole number of seconds, 0 included. */
export function parseSeconds(value: string, flag: string): number {
  const n = Number(value.replaceAll('_', ''));
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InputError(`${flag}: '${value}' is not a whole number of seconds`);
  return n;
}
