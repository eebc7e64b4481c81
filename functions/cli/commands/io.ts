/** What a command reads and writes of its process: injectable so tests can capture output. */
import type { Env } from '../../adapters/aws-clients';

export interface CommandIo {
  /** Standard output, no newline added. */
  out(text: string): void;
  /** Standard error, no newline added. */
  err(text: string): void;
  /** The clock ("yesterday" depends on it). */
  now(): Date;
  /** The environment (NSM_* overrides, AWS client settings). */
  readonly env: Env;
}

export const processIo: CommandIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  now: () => new Date(),
  env: process.env,
};
