/**
 * A loopback HTTP server that speaks enough of Athena's JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: AmazonAthena.<Operation>`, `application/x-amz-json-1.1`) for the real
 * `@aws-sdk/client-athena` to talk to it:
 *
 * - StartQueryExecution: records SQL, workgroup, database and `ClientRequestToken` (the same
 *   token returns the same execution, as in Athena; a token must be 32–128 characters);
 * - GetQueryExecution: walks QUEUED → RUNNING → SUCCEEDED | FAILED over successive polls, with
 *   `Statistics.DataScannedInBytes`, `StateChangeReason` and `AthenaError` on failure;
 * - StopQueryExecution: CANCELLED;
 * - GetQueryResults: pages of at most `MaxResults` (1..1,000) rows with `NextToken`; the header
 *   row is the first row of the first page and counts towards its `MaxResults`, as in Athena.
 *
 * What each query answers is scripted: a rule matches the SQL (substring, RegExp or predicate)
 * and gives an outcome or computes one (see engines/trino-athena.ts to execute the SQL on Trino).
 * Throttling or server errors are injected per operation with `inject`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AthenaClient } from '@aws-sdk/client-athena';
import { LoopbackServer, readBody, ServiceError } from './loopback-server';

export interface FakeColumn {
  readonly name: string;
  /** Athena type name: bigint, integer, double, decimal, varchar, date, boolean, … */
  readonly type: string;
}

export interface FakeResult {
  readonly columns: readonly FakeColumn[];
  /** Cells as Athena prints them; null is NULL (a Datum without VarCharValue). */
  readonly rows: readonly (readonly (string | null)[])[];
}

export interface FakeOutcome {
  /** Rows of a SUCCEEDED execution. */
  readonly result?: FakeResult;
  /** Makes the execution FAILED instead. */
  readonly fail?: { readonly reason: string; readonly retryable?: boolean; readonly errorCategory?: number; readonly errorType?: number };
  /** Never leaves RUNNING (until stopped): for timeouts. */
  readonly hang?: boolean;
  /** `Statistics.DataScannedInBytes`. @default 0 */
  readonly bytesScanned?: number;
  /** Polls answered QUEUED before RUNNING. @default 1 */
  readonly queuedPolls?: number;
  /** Polls answered RUNNING before the final state. @default 1 */
  readonly runningPolls?: number;
}

export interface FakeExecution {
  readonly id: string;
  readonly sql: string;
  readonly token: string | undefined;
  readonly workgroup: string | undefined;
  readonly database: string | undefined;
  readonly outputLocation: string | undefined;
  /** States reported by GetQueryExecution, in order. */
  readonly reported: string[];
  stopped: boolean;
  outcome: FakeOutcome | undefined;
}

export type Responder = (sql: string, execution: FakeExecution) => FakeOutcome | Promise<FakeOutcome>;
export type Matcher = string | RegExp | ((sql: string) => boolean);

export type AthenaOperation = 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults' | 'StopQueryExecution';

interface Injection {
  remaining: number;
  status: number;
  code: string;
  message: string;
}

export class FakeAthenaServer {
  /** Every execution started, in order. */
  readonly executions: FakeExecution[] = [];
  /** Every request received (including those answered with an injected error). */
  readonly requests: { readonly operation: string; readonly body: Record<string, unknown> }[] = [];

  private readonly rules: { match: Matcher; respond: FakeOutcome | Responder }[] = [];
  private readonly injections = new Map<string, Injection[]>();
  private readonly byToken = new Map<string, FakeExecution>();
  private readonly pending = new Map<string, Promise<void>>();
  private fallbackResponder: Responder | undefined;

  private constructor(private readonly server: LoopbackServer) {}

  /** Starts a server on 127.0.0.1 and a free port. */
  static async start(): Promise<FakeAthenaServer> {
    let fake!: FakeAthenaServer;
    const server = new LoopbackServer((req, res) => fake.handle(req, res));
    fake = new FakeAthenaServer(server);
    await server.listen();
    return fake;
  }

  /** `http://127.0.0.1:<port>` for the client's `endpoint`. */
  get endpoint(): string {
    return this.server.endpoint;
  }

  /** A real Athena client of this server, without the SDK's retries (a test sees each answer). */
  client(): AthenaClient {
    return new AthenaClient({
      region: 'us-east-1',
      endpoint: this.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  }

  /** Answers SQL matching `match` with `respond`; the first matching rule wins. */
  on(match: Matcher, respond: FakeOutcome | Responder): this {
    this.rules.push({ match, respond });
    return this;
  }

  /** Answers SQL that no rule matches (otherwise such SQL FAILS with a message saying so). */
  fallback(respond: Responder): this {
    this.fallbackResponder = respond;
    return this;
  }

  /**
   * The next `times` calls of `operation` fail with `code` (HTTP `status`) before reaching the
   * fake: ThrottlingException / TooManyRequestsException (400) or InternalServerException (500).
   */
  inject(operation: AthenaOperation, times: number, code = 'ThrottlingException', status = 400): this {
    const list = this.injections.get(operation) ?? [];
    list.push({ remaining: times, status, code, message: code === 'ThrottlingException' ? 'Rate exceeded' : `injected ${code}` });
    this.injections.set(operation, list);
    return this;
  }

  /** How many requests of `operation` arrived (injected failures included). */
  count(operation: AthenaOperation): number {
    return this.requests.filter((r) => r.operation === operation).length;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^AmazonAthena\./, '');
    let body: Record<string, unknown> = {};
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      this.requests.push({ operation, body });
      if (req.method !== 'POST' || !target.startsWith('AmazonAthena.')) {
        throw new ServiceError(400, 'UnknownOperationException', `not an Athena request: ${req.method} ${target}`);
      }
      const injected = this.takeInjection(operation);
      if (injected) throw new ServiceError(injected.status, injected.code, injected.message);
      const out = await this.dispatch(operation, body);
      this.send(res, 200, out);
    } catch (err) {
      const e = err instanceof ServiceError ? err : new ServiceError(500, 'InternalServerException', (err as Error).message);
      res.setHeader('x-amzn-ErrorType', e.code);
      this.send(res, e.status, {
        __type: e.code,
        message: e.message,
        ...(e.code === 'TooManyRequestsException' ? { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' } : {}),
      });
    }
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  }

  private takeInjection(operation: string): Injection | undefined {
    const list = this.injections.get(operation);
    const first = list?.find((i) => i.remaining > 0);
    if (first) first.remaining--;
    return first;
  }

  private async dispatch(operation: string, body: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'StartQueryExecution':
        return this.startQuery(body);
      case 'GetQueryExecution':
        return this.getQueryExecution(body);
      case 'GetQueryResults':
        return this.getQueryResults(body);
      case 'StopQueryExecution':
        return this.stopQuery(body);
      default:
        throw new ServiceError(400, 'UnknownOperationException', `fake Athena does not implement ${operation}`);
    }
  }

  private startQuery(body: Record<string, unknown>): unknown {
    const sql = body.QueryString;
    if (typeof sql !== 'string' || sql === '') throw new ServiceError(400, 'InvalidRequestException', 'QueryString is required');
    const token = body.ClientRequestToken as string | undefined;
    if (token !== undefined) {
      if (token.length < 32 || token.length > 128) {
        throw new ServiceError(400, 'InvalidRequestException', 'ClientRequestToken must be 32 to 128 characters');
      }
      const earlier = this.byToken.get(token);
      if (earlier) {
        if (earlier.sql !== sql) throw new ServiceError(400, 'InvalidRequestException', 'Idempotent parameters do not match');
        return { QueryExecutionId: earlier.id };
      }
    }
    const context = body.QueryExecutionContext as { Database?: string } | undefined;
    const resultConfiguration = body.ResultConfiguration as { OutputLocation?: string } | undefined;
    const execution: FakeExecution = {
      id: randomUUID(),
      sql,
      token,
      workgroup: body.WorkGroup as string | undefined,
      database: context?.Database,
      outputLocation: resultConfiguration?.OutputLocation,
      reported: [],
      stopped: false,
      outcome: undefined,
    };
    this.executions.push(execution);
    if (token !== undefined) this.byToken.set(token, execution);
    // The outcome is computed in the background, as the query would run in Athena.
    this.pending.set(
      execution.id,
      this.outcomeFor(sql, execution).then(
        (outcome) => {
          execution.outcome = outcome;
        },
        (err: unknown) => {
          execution.outcome = { fail: { reason: `fake responder threw: ${(err as Error).message}` } };
        },
      ),
    );
    return { QueryExecutionId: execution.id };
  }

  private async outcomeFor(sql: string, execution: FakeExecution): Promise<FakeOutcome> {
    const rule = this.rules.find(({ match }) =>
      typeof match === 'string' ? sql.includes(match) : match instanceof RegExp ? match.test(sql) : match(sql),
    );
    const respond = rule?.respond ?? this.fallbackResponder;
    if (!respond) return { fail: { reason: `fake Athena: no scripted result for ${sql.slice(0, 80)}`, errorCategory: 2 } };
    return typeof respond === 'function' ? respond(sql, execution) : respond;
  }

  private execution(body: Record<string, unknown>): FakeExecution {
    const id = body.QueryExecutionId;
    const execution = this.executions.find((e) => e.id === id);
    if (!execution) throw new ServiceError(400, 'InvalidRequestException', `QueryExecution ${String(id)} was not found`);
    return execution;
  }

  /** The state the next poll reports: QUEUED, RUNNING, then the outcome's final state. */
  private nextState(execution: FakeExecution): { state: string; reason?: string; error?: Record<string, unknown> } {
    if (execution.stopped) return { state: 'CANCELLED', reason: 'Query was cancelled by user' };
    const polls = execution.reported.length;
    const outcome = execution.outcome;
    const queued = outcome?.queuedPolls ?? 1;
    const running = outcome?.runningPolls ?? 1;
    if (polls < queued) return { state: 'QUEUED' };
    if (!outcome || outcome.hang || polls < queued + running) return { state: 'RUNNING' };
    if (outcome.fail) {
      const { reason, retryable = false, errorCategory = 2, errorType = 1001 } = outcome.fail;
      return {
        state: 'FAILED',
        reason,
        error: { ErrorCategory: errorCategory, ErrorType: errorType, Retryable: retryable, ErrorMessage: reason },
      };
    }
    return { state: 'SUCCEEDED' };
  }

  private async getQueryExecution(body: Record<string, unknown>): Promise<unknown> {
    const execution = this.execution(body);
    // Let a fast responder (a constant, a quick Trino query) settle before the first RUNNING poll
    // ends, so that the state walk is deterministic in tests.
    await Promise.race([this.pending.get(execution.id), new Promise((r) => setTimeout(r, 50))]);
    const { state, reason, error } = this.nextState(execution);
    execution.reported.push(state);
    const done = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
    const now = Date.now() / 1000;
    return {
      QueryExecution: {
        QueryExecutionId: execution.id,
        Query: execution.sql,
        StatementType: 'DML',
        WorkGroup: execution.workgroup,
        QueryExecutionContext: execution.database ? { Database: execution.database } : undefined,
        Status: {
          State: state,
          SubmissionDateTime: now,
          ...(done ? { CompletionDateTime: now } : {}),
          ...(reason ? { StateChangeReason: reason } : {}),
          ...(error ? { AthenaError: error } : {}),
        },
        Statistics: done ? { DataScannedInBytes: execution.outcome?.bytesScanned ?? 0, EngineExecutionTimeInMillis: 1 } : {},
        EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      },
    };
  }

  private getQueryResults(body: Record<string, unknown>): unknown {
    const execution = this.execution(body);
    const last = execution.reported[execution.reported.length - 1];
    if (last !== 'SUCCEEDED' || !execution.outcome?.result) {
      throw new ServiceError(400, 'InvalidRequestException', `Query has not yet finished. Current state: ${last ?? 'QUEUED'}`);
    }
    const max = (body.MaxResults as number | undefined) ?? 1000;
    if (!Number.isInteger(max) || max < 1 || max > 1000) {
      throw new ServiceError(400, 'InvalidRequestException', 'MaxResults must be between 1 and 1000');
    }
    const { columns, rows } = execution.outcome.result;
    const all: (readonly (string | null)[])[] = [columns.map((c) => c.name), ...rows];
    let offset = 0;
    if (body.NextToken !== undefined) {
      const decoded = Buffer.from(String(body.NextToken), 'base64url').toString('utf8').split(':');
      if (decoded[0] !== execution.id) throw new ServiceError(400, 'InvalidRequestException', 'NextToken does not belong to this query');
      offset = Number(decoded[1]);
    }
    const end = Math.min(all.length, offset + max);
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: all.slice(offset, end).map((cells) => ({ Data: cells.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: columns.map((c) => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: c.name,
            Label: c.name,
            Type: c.type,
            Precision: 0,
            Scale: 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: c.type === 'varchar',
          })),
        },
      },
      ...(end < all.length ? { NextToken: Buffer.from(`${execution.id}:${end}`).toString('base64url') } : {}),
    };
  }

  private stopQuery(body: Record<string, unknown>): unknown {
    const execution = this.execution(body);
    execution.stopped = true;
    return {};
  }
}
