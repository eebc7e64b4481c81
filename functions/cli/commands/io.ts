/** Where a command writes: injectable so tests can capture output. */
export interface CommandIo {
  /** Standard output, no newline added. */
  out(text: string): void;
  /** Standard error, no newline added. */
  err(text: string): void;
  /** The clock ("yesterday" depends on it). */
  now(): Date;
}

export const processIo: CommandIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  now: () => new Date(),
};
