/**
 * The cloud engine: Athena (engine v3, Trino SQL) over the Glue table of the lake.
 *
 * One `run()` = StartQueryExecution → poll GetQueryExecution → page through GetQueryResults. A
 * statement without a result set (the state's UNLOAD) is `execute()`d: the same without
 * GetQueryResults, which Athena documents for SELECT, CTAS and INSERT INTO but not for UNLOAD.
 * What it does that growthbook's `services/athena.ts` (a public Athena client we learnt from) does not:
 * - pages with `NextToken`, so results over 1,000 rows come back whole;
 * - converts cells with the column types of `ResultSetMetadata` (athena-cells.ts);
 * - records `Statistics.DataScannedInBytes` for the night's cost in `run.json`;
 * - rejects with a `QueryError` (execution id, query name, `StateChangeReason`), never a string.
 *
 * Retries, in two layers:
 * - an API call that is throttled (`TooManyRequestsException`, `ThrottlingException`), answers 5xx
 *   or loses its connection is repeated with capped exponential backoff and full jitter; a
 *   repeated StartQueryExecution carries the same `ClientRequestToken`, so Athena starts the
 *   query at most once however many times the request is sent;
 * - an execution that FAILED with `AthenaError.Retryable` or a `SlowDown` reason (S3 throttling
 *   the scan) is submitted again as a new execution, with a new token.
 * Both share `maxRetries` per kind and the per-query deadline `timeoutMs`; past the deadline the
 * running execution is stopped (StopQueryExecution) so that it stops scanning — and billing. The
 * night's deadline (`RunOptions.signal`, aborted before the Lambda's own timeout) stops it too, at
 * once: a query left running when Lambda kills the invocation would go on writing after it.
 *
 * SQL literals are already escaped by the compiler (core/sql/quote.ts), so no ExecutionParameters.
 * Every statement it runs is core's (core/sql/): the engine only executes.
 */
import { randomUUID } from 'node:crypto';
import {
  type AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { backoffDelay } from '../core/backoff';
import type { Query, QueryEngine, QueryResult, QueryStats, Row, RunOptions, StateCapability } from '../core/engine';
import { DEADLINE_PASSED, QueryError } from '../core/errors';
import type { Dialect } from '../core/sql/dialect';
import { athenaCell } from './athena-cells';
import { AthenaState } from './athena-state';
import { describeError, isTransient } from './aws-errors';

/** Something worth a log line; the handler forwards these to its Powertools logger. */
export type AthenaEngineEvent =
  | { readonly type: 'started'; readonly query: string; readonly queryId: string; readonly attempt: number }
  | {
      readonly type: 'succeeded';
      readonly query: string;
      readonly queryId: string;
      readonly ms: number;
      readonly bytesScanned: number | null;
      readonly rows: number;
    }
  | { readonly type: 'retry'; readonly query: string; readonly queryId: string | null; readonly reason: string; readonly delayMs: number }
  | { readonly type: 'stopped'; readonly query: string; readonly queryId: string; readonly reason: string };

export interface AthenaEngineOptions {
  /** The SQL dialect (`athenaDialect`), with state SQL when the engine keeps state (`dialectFor`). */
  readonly dialect: Dialect;
  /** Glue database of the lake table (`lake.athena.database`): the execution context. */
  readonly database: string;
  /** Athena workgroup (`lake.athena.workgroup`); its settings (output location, scan cutoff) apply. */
  readonly workgroup: string;
  /** `s3://…` for query results; default: the workgroup's own output location. */
  readonly outputLocation?: string;
  /** First poll delay ceiling, ms. @default 250 */
  readonly pollInitialMs?: number;
  /** Cap on the poll and retry delays, ms. @default 5_000 */
  readonly pollMaxMs?: number;
  /** Per-query deadline (all attempts included), ms; past it the execution is stopped. @default 600_000 */
  readonly timeoutMs?: number;
  /** Retries per API call, and re-submissions per query, before giving up. @default 5 */
  readonly maxRetries?: number;
  /** Rows per GetQueryResults page (Athena's maximum is 1,000). @default 1_000 */
  readonly pageSize?: number;
  /** Waits `ms`; tests pass one that advances a fake clock. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds clock. @default performance.now */
  readonly now?: () => number;
  /** Uniform draw in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
  /** Receives progress events (query ids as soon as they exist). */
  readonly onEvent?: (event: AthenaEngineEvent) => void;
  /**
   * Deletes every object under a folder key of the results store: required when the dialect has
   * state SQL, since an UNLOAD resubmitted after a retryable failure needs its folder empty again.
   */
  readonly clearStateFolder?: (key: string) => Promise<void>;
  /**
   * Whether the lake has anything under a day's partition (see `s3LakePartitionExists`). Athena
   * itself cannot tell: partition projection answers an empty and a missing partition alike.
   * Without it, `hasLakePartition` answers null (cannot tell).
   */
  readonly lakePartitionExists?: (day: string) => Promise<boolean>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Thrown inside `run` when the per-query deadline passes; turned into a QueryError after the stop. */
class Deadline extends Error {}
/** Thrown inside `run` when the night's deadline (the signal) passes; turned into a QueryError after the stop. */
class Aborted extends Error {}

/** How `statement` treats one statement. */
interface StatementOptions extends RunOptions {
  /** Fetch the result rows (GetQueryResults); false for a statement without a result set. */
  readonly rows: boolean;
  /** Runs before each resubmission after a retryable failure. */
  readonly beforeResubmit?: () => Promise<void>;
}

export class AthenaEngine implements QueryEngine {
  readonly dialect: Dialect;
  readonly name = 'athena';
  readonly state?: StateCapability;

  private readonly pollInitialMs: number;
  private readonly pollMaxMs: number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly pageSize: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private closed = false;

  /**
   * @param client an Athena client; the engine does not destroy it (Lambda reuses it across invocations)
   */
  constructor(
    private readonly client: AthenaClient,
    private readonly options: AthenaEngineOptions,
  ) {
    this.dialect = options.dialect;
    if (options.dialect.state) {
      const clearFolder = options.clearStateFolder;
      if (!clearFolder) throw new RangeError('AthenaEngine: a dialect with state needs clearStateFolder (UNLOAD needs an empty target)');
      const execute = (name: string, sql: string, hooks: RunOptions & { beforeResubmit: () => Promise<void> }) =>
        this.execute({ name, sql }, hooks);
      this.state = new AthenaState(execute, { sql: options.dialect.state, clearFolder });
    }
    this.pollInitialMs = options.pollInitialMs ?? 250;
    this.pollMaxMs = options.pollMaxMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.maxRetries = options.maxRetries ?? 5;
    this.pageSize = options.pageSize ?? 1_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    if (!(this.pollInitialMs > 0 && this.pollMaxMs >= this.pollInitialMs)) {
      throw new RangeError(`AthenaEngine: need 0 < pollInitialMs <= pollMaxMs, got ${this.pollInitialMs} and ${this.pollMaxMs}`);
    }
    if (!(this.timeoutMs > 0)) throw new RangeError(`AthenaEngine: timeoutMs must be > 0, got ${this.timeoutMs}`);
    if (!(Number.isInteger(this.maxRetries) && this.maxRetries >= 0)) {
      throw new RangeError(`AthenaEngine: maxRetries must be an integer >= 0, got ${this.maxRetries}`);
    }
    if (!(Number.isInteger(this.pageSize) && this.pageSize >= 1 && this.pageSize <= 1_000)) {
      throw new RangeError(`AthenaEngine: pageSize must be an integer in 1..1000, got ${this.pageSize}`);
    }
  }

  /** Runs `query` (a SELECT) and returns its rows, resubmitting it after a retryable failure. */
  async run(query: Query, options: RunOptions = {}): Promise<QueryResult> {
    return this.statement(query, { ...options, rows: true });
  }

  /**
   * Runs a statement that returns no result set (UNLOAD), resubmitting it after a retryable
   * failure, without ever calling GetQueryResults: Athena documents that call's rows (and its
   * `UpdateCount`, for CTAS and INSERT INTO) but not what it answers for an UNLOAD, so nothing
   * here depends on it. Unverified on real Athena, therefore not relied on: whether
   * GetQueryResults would give an UNLOAD's row count as `UpdateCount` (AthenaState infers only
   * "0 rows" from a scan of 0 bytes).
   * @param options.beforeResubmit runs before each resubmission: an UNLOAD that failed may have
   *   left files behind, and UNLOAD refuses a non-empty target (see `AthenaState`).
   */
  async execute(query: Query, options: RunOptions & { beforeResubmit?: () => Promise<void> } = {}): Promise<QueryStats> {
    return (await this.statement(query, { ...options, rows: false })).stats;
  }

  private async statement(query: Query, options: StatementOptions): Promise<QueryResult> {
    if (this.closed) throw new QueryError(query.name, 'engine is closed');
    const { signal } = options;
    if (signal?.aborted) throw new QueryError(query.name, DEADLINE_PASSED);
    const started = this.now();
    const deadline = started + this.timeoutMs;
    let queryId: string | null = null;
    // True while an execution may be running: if we give up then, we stop it rather than let it scan on.
    let running = false;
    const stopped = abortPromise(signal);
    try {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) await options.beforeResubmit?.();
        queryId = await this.start(query, deadline, signal);
        running = true;
        this.options.onEvent?.({ type: 'started', query: query.name, queryId, attempt });
        const execution = await this.waitForEnd(query, queryId, deadline, stopped.promise);
        running = false;
        const status = execution.Status;
        const state = status?.State;
        if (state === 'SUCCEEDED') {
          const rows = options.rows ? await this.fetchRows(query, queryId, deadline, stopped.promise) : [];
          const ms = Math.round(this.now() - started);
          const bytes = execution.Statistics?.DataScannedInBytes;
          const bytesScanned = typeof bytes === 'number' ? bytes : null;
          this.options.onEvent?.({ type: 'succeeded', query: query.name, queryId, ms, bytesScanned, rows: rows.length });
          return { rows, stats: { name: query.name, query_id: queryId, ms, bytes_scanned: bytesScanned, rows: rows.length } };
        }
        const reason = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? `query ${state ?? 'ended without a state'}`;
        // CANCELLED is someone's decision (a person or another process): never resubmit it.
        const retryable = state === 'FAILED' && (status?.AthenaError?.Retryable === true || /slow ?down/i.test(reason));
        if (!retryable || attempt >= this.maxRetries) {
          const suffix = retryable ? ` (still failing after ${attempt + 1} executions)` : '';
          throw new QueryError(query.name, `${state}: ${reason}${suffix}`, queryId);
        }
        const delayMs = backoffDelay(attempt, { initialMs: this.pollInitialMs, maxMs: this.pollMaxMs }, this.random);
        this.options.onEvent?.({ type: 'retry', query: query.name, queryId, reason, delayMs });
        await this.sleepUntil(delayMs, deadline, stopped.promise);
      }
    } catch (err) {
      if (err instanceof Aborted) {
        if (running && queryId !== null) await this.stop(query, queryId, DEADLINE_PASSED);
        throw new QueryError(query.name, running ? `${DEADLINE_PASSED}; StopQueryExecution sent` : DEADLINE_PASSED, queryId ?? undefined);
      }
      if (err instanceof Deadline) {
        const reason = `timed out after ${this.timeoutMs} ms`;
        if (running && queryId !== null) await this.stop(query, queryId, reason);
        throw new QueryError(query.name, running ? `${reason}; StopQueryExecution sent` : reason, queryId ?? undefined);
      }
      if (running && queryId !== null) await this.stop(query, queryId, describeError(err));
      if (err instanceof QueryError) throw err;
      throw new QueryError(query.name, describeError(err), queryId ?? undefined, { cause: err });
    } finally {
      stopped.dispose();
    }
  }

  /** The engine holds no connection of its own; the client belongs to whoever built it. */
  async hasLakePartition(day: string): Promise<boolean | null> {
    return this.options.lakePartitionExists ? this.options.lakePartitionExists(day) : null;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** StartQueryExecution; the token makes the API-level retries of this one call idempotent. */
  private async start(query: Query, deadline: number, signal: AbortSignal | undefined): Promise<string> {
    const token = randomUUID();
    // Not after the night's deadline: nothing would wait for the execution, which would run on.
    if (signal?.aborted) throw new Aborted();
    const out = await this.call(query, null, deadline, undefined, () =>
      this.client.send(
        new StartQueryExecutionCommand({
          QueryString: query.sql,
          ClientRequestToken: token,
          QueryExecutionContext: { Database: this.options.database },
          WorkGroup: this.options.workgroup,
          ...(this.options.outputLocation ? { ResultConfiguration: { OutputLocation: this.options.outputLocation } } : {}),
        }),
      ),
    );
    if (!out.QueryExecutionId) throw new QueryError(query.name, 'StartQueryExecution returned no QueryExecutionId');
    return out.QueryExecutionId;
  }

  /** Polls until the execution leaves QUEUED/RUNNING; throws Deadline past the deadline. */
  private async waitForEnd(query: Query, queryId: string, deadline: number, stopped: Promise<never>): Promise<QueryExecution> {
    for (let poll = 0; ; poll++) {
      const out = await this.call(query, queryId, deadline, stopped, () =>
        this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId })),
      );
      const execution = out.QueryExecution ?? {};
      const state = execution.Status?.State;
      if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') return execution;
      await this.sleepUntil(backoffDelay(poll, { initialMs: this.pollInitialMs, maxMs: this.pollMaxMs }, this.random), deadline, stopped);
    }
  }

  /** Every data row, page after page; the first row of the first page is the header. */
  private async fetchRows(query: Query, queryId: string, deadline: number, stopped: Promise<never>): Promise<Row[]> {
    const rows: Row[] = [];
    let columns: ColumnInfo[] | undefined;
    let nextToken: string | undefined;
    let first = true;
    do {
      const token = nextToken;
      const page = await this.call(query, queryId, deadline, stopped, () =>
        this.client.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: this.pageSize, NextToken: token })),
      );
      columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const pageRows = page.ResultSet?.Rows ?? [];
      for (let i = first ? 1 : 0; i < pageRows.length; i++) {
        const data = pageRows[i]?.Data ?? [];
        const row: Row = {};
        columns.forEach((column, c) => {
          const name = column.Name ?? column.Label ?? `_col${c}`;
          try {
            row[name] = athenaCell(data[c]?.VarCharValue, column.Type ?? 'varchar');
          } catch (err) {
            throw new QueryError(query.name, `column ${name}: ${(err as Error).message}`, queryId, { cause: err });
          }
        });
        rows.push(row);
      }
      first = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  /** Best effort: a failed stop must not hide the timeout that caused it. */
  private async stop(query: Query, queryId: string, reason: string): Promise<void> {
    this.options.onEvent?.({ type: 'stopped', query: query.name, queryId, reason });
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }));
    } catch {
      // The workgroup's own limits still apply; the QueryError names the execution to stop by hand.
    }
  }

  /**
   * One API call, repeated while its failure is transient, at most `maxRetries` times.
   * @param stopped rejects with `Aborted` at the night's deadline (undefined: the call is not cut short)
   */
  private async call<T>(
    query: Query,
    queryId: string | null,
    deadline: number,
    stopped: Promise<never> | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    for (let retry = 0; ; retry++) {
      if (this.now() >= deadline) throw new Deadline();
      try {
        return await (stopped ? Promise.race([send(), stopped]) : send());
      } catch (err) {
        if (err instanceof Aborted) throw err;
        if (!isTransient(err) || retry >= this.maxRetries) {
          const suffix = isTransient(err) ? ` (after ${retry} retries)` : '';
          throw new QueryError(query.name, `${describeError(err)}${suffix}`, queryId ?? undefined, { cause: err });
        }
        const delayMs = backoffDelay(retry, { initialMs: this.pollInitialMs, maxMs: this.pollMaxMs }, this.random);
        this.options.onEvent?.({ type: 'retry', query: query.name, queryId, reason: describeError(err), delayMs });
        await this.sleepUntil(delayMs, deadline, stopped);
      }
    }
  }

  /** Sleeps `ms`, but not past the deadline; throws Deadline once it has passed, Aborted at the night's deadline. */
  private async sleepUntil(ms: number, deadline: number, stopped: Promise<never> | undefined): Promise<void> {
    const left = deadline - this.now();
    if (left <= 0) throw new Deadline();
    const sleep = this.sleep(Math.min(ms, left));
    await (stopped ? Promise.race([sleep, stopped]) : sleep);
    if (this.now() >= deadline) throw new Deadline();
  }
}

/**
 * A promise that rejects with `Aborted` once `signal` aborts (never without one), already marked
 * as handled; `dispose` stops listening.
 */
function abortPromise(signal: AbortSignal | undefined): { promise: Promise<never>; dispose: () => void } {
  let onAbort: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => reject(new Aborted());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal?.removeEventListener('abort', onAbort) };
}
