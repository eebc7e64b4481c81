/**
 * The one error hierarchy of nsm-nightly. Every error a user can cause (bad config, bad flags, a
 * missing lake) is an {@link NsmError} with a one-line message that names the culprit; the CLI
 * prints `message` alone and exits 2. Anything else is a bug or an outage and exits 1.
 */
export class NsmError extends Error {
  /** Process exit code the CLI uses for this error: 2 for bad input, 1 for failures. */
  readonly exitCode: number = 1;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input a user can fix: flags, dates, files. Exit code 2. */
export class InputError extends NsmError {
  override readonly exitCode = 2;
}

/** A config file that fails to parse or violates a rule of docs/design.md §2. */
export class ConfigError extends InputError {
  /**
   * @param file the config file (or `<inline>`)
   * @param field the field path, such as `metrics[3].window_days` (empty for file-level errors)
   * @param problem what is wrong, such as `must be >= 1`
   */
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
  }
}

/** The lake cannot be read at all (missing folder, no data files). Names the location. */
export class LakeError extends InputError {
  constructor(
    readonly location: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`lake ${location}: ${problem}`, options);
  }
}

/** A query failed in the engine. Carries the query's name and, on Athena, its execution id. */
export class QueryError extends NsmError {
  constructor(
    readonly queryName: string,
    readonly reason: string,
    readonly queryId?: string,
    options?: { cause?: unknown },
  ) {
    super(`query ${queryName}${queryId ? ` (${queryId})` : ''} failed: ${reason}`, options);
  }
}

/** Reading or writing the results store failed. Carries the key. */
export class StoreError extends NsmError {
  constructor(
    readonly key: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`results store ${key}: ${reason}`, options);
  }
}

/** Publishing an alert failed. Carries the alert's marker key (day, metric, kind). */
export class NotifyError extends NsmError {
  constructor(
    readonly alertKey: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`alert ${alertKey}: ${reason}`, options);
  }
}

/**
 * Another run holds the results location's lease (core/lease/run-lease.ts) and did not let go
 * within the wait. Names that run, so the person reading knows whom to wait for.
 */
export class LeaseHeldError extends NsmError {
  constructor(
    readonly location: string,
    message: string,
  ) {
    super(`results ${location}: ${message}`);
  }
}

/**
 * This run no longer holds the results location's lease (it could not renew it in time, or
 * another run took it over after it expired), so it stops before writing anything more.
 */
export class LeaseLostError extends NsmError {
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(`results ${location}: lease lost, stopping before the next write: ${reason}`);
  }
}

/**
 * What a query says when the night's deadline stopped it (`RunOptions.signal`): the invocation
 * ends before Lambda's own timeout would kill it, with its Athena queries stopped, and a retry
 * resumes from the state built so far.
 */
export const DEADLINE_PASSED = "stopped at the night's deadline";

/** The night's deadline passed between steps (no query was running). Carries the step it did not start. */
export class DeadlineError extends NsmError {
  constructor(readonly step: string) {
    super(`${step}: not started, the night's deadline passed (a retry resumes from the state built so far)`);
  }
}
