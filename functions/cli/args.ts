/** Command-line flag parsing shared by the `nsm` commands; bad flags are InputErrors (exit 2). */
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parses `argv` against `spec`; unknown flags and stray arguments are one-line errors. */
export function parseFlags<S extends FlagSpec>(command: string, argv: readonly string[], spec: S) {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: true });
    if (positionals.length) throw new InputError(`nsm ${command}: unexpected argument '${positionals[0]}'`);
    return values as { [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean };
  } catch (err) {
    if (err instanceof InputError) throw err;
    // node:util's messages are one line already, e.g. "Unknown option '--dat'".
    throw new InputError(`nsm ${command}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

/** A positive integer flag value. */
export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag}: '${value}' is not a positive whole number`);
  return n;
}
