/**
 * AthenaEngine with the real @aws-sdk/client-athena over loopback against the fake Athena server
 * (test/support/fake-athena-server.ts). The SDK's own retries are off (maxAttempts: 1) so that
 * every retry seen here is the engine's; sleeps advance a fake clock, so backoff costs no time.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine, type AthenaEngineEvent, type AthenaEngineOptions } from '../../functions/adapters/athena-engine';
import { QueryError } from '../../functions/core/errors';
import { athenaDialect } from '../../functions/core/sql/dialects';
import { FakeAthenaServer } from '../support/fake-athena-server';

let fake: FakeAthenaServer;
let client: AthenaClient;

beforeAll(async () => {
  fake = await FakeAthenaServer.start();
  client = fake.client();
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});

/** A fake clock: `sleep` records the delay and moves `now` forward by it. */
function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

function engine(overrides: Partial<AthenaEngineOptions> = {}) {
  const c = clock();
  const events: AthenaEngineEvent[] = [];
  const e = new AthenaEngine(client, {
    dialect: athenaDialect('product_events', 'events'),
    database: 'product_events',
    workgroup: 'nsm',
    pollInitialMs: 100,
    pollMaxMs: 1_000,
    timeoutMs: 60_000,
    maxRetries: 3,
    sleep: c.sleep,
    now: c.now,
    random: () => 0.5,
    onEvent: (ev) => events.push(ev),
    ...overrides,
  });
  return { engine: e, clock: c, events };
}

let n = 0;
/** SQL unique to one test, so rules of different tests never collide. */
const uniqueSql = (label: string) => `SELECT '${label}-${++n}' AS tag`;

beforeEach(() => {
  fake.requests.length = 0;
});

describe('AthenaEngine', () => {
  it('exposes the athena dialect over the Glue table', () => {
    const { engine: e } = engine();
    expect(e.name).toBe('athena');
    expect(e.dialect.name).toBe('athena');
    expect(e.dialect.eventsTable).toBe('"product_events"."events"');
    expect(e.state).toBeUndefined();
  });

  it('keeps state when its dialect has state SQL, and then needs a way to empty a state folder (UNLOAD needs one)', () => {
    const dialect = athenaDialect('product_events', 'events', { resultsLocation: 's3://b/nsm' });
    expect(() => engine({ dialect })).toThrow('AthenaEngine: a dialect with state needs clearStateFolder');
    const { engine: e } = engine({ dialect, clearStateFolder: async () => undefined });
    expect(e.state?.sql).toBe(dialect.state);
  });

  it('starts in the workgroup and database, walks QUEUED → RUNNING → SUCCEEDED, and returns typed rows with stats', async () => {
    const sql = uniqueSql('walk');
    fake.on(sql, {
      queuedPolls: 2,
      runningPolls: 3,
      bytesScanned: 123_456_789,
      result: {
        columns: [
          { name: 'metric', type: 'varchar' },
          { name: 'value', type: 'bigint' },
        ],
        rows: [['nsm', '42']],
      },
    });
    const { engine: e, clock: c, events } = engine({ outputLocation: 's3://athena-results/nsm/' });
    const result = await e.run({ name: 'metrics', sql });

    const execution = fake.executions.at(-1)!;
    expect(execution.sql).toBe(sql);
    expect(execution.workgroup).toBe('nsm');
    expect(execution.database).toBe('product_events');
    expect(execution.outputLocation).toBe('s3://athena-results/nsm/');
    expect(execution.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(execution.reported).toEqual(['QUEUED', 'QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED']);

    expect(result.rows).toEqual([{ metric: 'nsm', value: 42 }]);
    // Five polls came back unfinished; each was followed by a jittered sleep of 0.5 × min(1000, 100·2^k).
    expect(c.sleeps).toEqual([50, 100, 200, 400, 500]);
    expect(result.stats).toEqual({ name: 'metrics', query_id: execution.id, ms: 1_250, bytes_scanned: 123_456_789, rows: 1 });
    expect(events.map((ev) => ev.type)).toEqual(['started', 'succeeded']);
    expect(events[0]).toMatchObject({ query: 'metrics', queryId: execution.id, attempt: 0 });
  });

  it('pages GetQueryResults with NextToken: 2,500 rows come back whole and in order', async () => {
    const sql = uniqueSql('paging');
    const rows = Array.from({ length: 2_500 }, (_, i) => [String(i), `user-${i}`]);
    fake.on(sql, {
      result: {
        columns: [
          { name: 'i', type: 'integer' },
          { name: 'user_id', type: 'varchar' },
        ],
        rows,
      },
    });
    const { engine: e } = engine();
    const result = await e.run({ name: 'big', sql });
    expect(result.rows).toHaveLength(2_500);
    expect(result.stats.rows).toBe(2_500);
    expect(result.rows.map((r) => r.i)).toEqual(rows.map((_, i) => i));
    expect(result.rows[2_499]).toEqual({ i: 2_499, user_id: 'user-2499' });
    // Header + 2,500 rows = 2,501 rows at 1,000 per page: three pages, the first carrying the header.
    const pages = fake.requests.filter((r) => r.operation === 'GetQueryResults');
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.body.MaxResults)).toEqual([1000, 1000, 1000]);
    expect(pages[0]!.body.NextToken).toBeUndefined();
    expect(pages[1]!.body.NextToken).toEqual(expect.any(String));
  });

  it('honours a smaller page size and returns an empty result (header only) as no rows', async () => {
    const sql = uniqueSql('small-pages');
    fake.on(sql, { result: { columns: [{ name: 'x', type: 'bigint' }], rows: [['1'], ['2'], ['3']] } });
    const empty = uniqueSql('empty');
    fake.on(empty, { result: { columns: [{ name: 'x', type: 'bigint' }], rows: [] } });
    const { engine: e } = engine({ pageSize: 2 });
    expect((await e.run({ name: 'q', sql })).rows).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(fake.count('GetQueryResults')).toBe(2);
    expect((await e.run({ name: 'q', sql: empty })).rows).toEqual([]);
  });

  it('converts every cell with its column type', async () => {
    const sql = uniqueSql('types');
    const columns = [
      ['big', 'bigint'],
      ['big_unsafe', 'bigint'],
      ['int', 'integer'],
      ['small', 'smallint'],
      ['tiny', 'tinyint'],
      ['dbl', 'double'],
      ['dbl_exp', 'double'],
      ['flt', 'real'],
      ['dec', 'decimal'],
      ['yes', 'boolean'],
      ['no', 'boolean'],
      ['day', 'date'],
      ['txt', 'varchar'],
      ['empty_txt', 'varchar'],
      ['chr', 'char'],
      ['ts', 'timestamp'],
      ['nul_big', 'bigint'],
      ['nul_txt', 'varchar'],
    ].map(([name, type]) => ({ name: name!, type: type! }));
    const row = [
      '9007199254740991',
      '9223372036854775807',
      '-7',
      '12',
      '3',
      '0.25',
      '1.0E-5',
      '1.5',
      '123.450',
      'true',
      'false',
      '2024-05-01',
      'héllo, "world"',
      '',
      'ab',
      '2024-05-01 12:00:00.000',
      null,
      null,
    ];
    fake.on(sql, { result: { columns, rows: [row] } });
    const { engine: e } = engine();
    const [cells] = (await e.run({ name: 'types', sql })).rows;
    expect(cells).toEqual({
      big: 9007199254740991,
      big_unsafe: '9223372036854775807',
      int: -7,
      small: 12,
      tiny: 3,
      dbl: 0.25,
      dbl_exp: 0.00001,
      flt: 1.5,
      dec: 123.45,
      yes: true,
      no: false,
      day: '2024-05-01',
      txt: 'héllo, "world"',
      empty_txt: '',
      chr: 'ab',
      ts: '2024-05-01 12:00:00.000',
      nul_big: null,
      nul_txt: null,
    });
  });

  it('retries throttled and failing API calls; a retried start reuses its ClientRequestToken', async () => {
    const sql = uniqueSql('throttle');
    fake.on(sql, { result: { columns: [{ name: 'x', type: 'bigint' }], rows: [['1']] } });
    fake
      .inject('StartQueryExecution', 2, 'ThrottlingException')
      .inject('GetQueryExecution', 1, 'TooManyRequestsException')
      .inject('GetQueryResults', 1, 'InternalServerException', 500);
    const before = fake.executions.length;
    const { engine: e, events } = engine();
    const result = await e.run({ name: 'throttled', sql });
    expect(result.rows).toEqual([{ x: 1 }]);
    expect(fake.executions.length - before).toBe(1);
    const starts = fake.requests.filter((r) => r.operation === 'StartQueryExecution');
    expect(starts).toHaveLength(3);
    expect(new Set(starts.map((s) => s.body.ClientRequestToken)).size).toBe(1);
    const retries = events.filter((ev) => ev.type === 'retry').map((ev) => (ev as { reason: string }).reason);
    expect(retries).toEqual([
      expect.stringContaining('ThrottlingException'),
      expect.stringContaining('ThrottlingException'),
      expect.stringContaining('TooManyRequestsException'),
      expect.stringContaining('InternalServerException'),
    ]);
  });

  it('gives up after maxRetries throttled calls with a QueryError naming the query', async () => {
    const sql = uniqueSql('throttle-forever');
    fake.inject('StartQueryExecution', 4, 'ThrottlingException');
    const { engine: e } = engine({ maxRetries: 3 });
    const err = await e.run({ name: 'metrics', sql }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).queryName).toBe('metrics');
    expect((err as QueryError).message).toMatch(/^query metrics failed: ThrottlingException: Rate exceeded \(after 3 retries\)$/);
    expect(fake.count('StartQueryExecution')).toBe(4);
  });

  it('does not retry a client error', async () => {
    const { engine: e } = engine();
    // An empty QueryString is an InvalidRequestException (400) from the fake.
    const err = await e.run({ name: 'bad', sql: '' }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(QueryError);
    expect((err as Error).message).toMatch(/InvalidRequestException: QueryString is required$/);
    expect(fake.count('StartQueryExecution')).toBe(1);
  });

  it('turns FAILED into a QueryError with the execution id, query name and StateChangeReason, without resubmitting', async () => {
    const sql = uniqueSql('failed');
    const reason = "COLUMN_NOT_FOUND: line 3:5: Column 'user_idd' cannot be resolved";
    fake.on(sql, { fail: { reason, errorCategory: 2, retryable: false } });
    const before = fake.executions.length;
    const { engine: e } = engine();
    const err = (await e.run({ name: 'metrics', sql }).catch((x: unknown) => x)) as QueryError;
    const execution = fake.executions.at(-1)!;
    expect(err).toBeInstanceOf(QueryError);
    expect(err.queryName).toBe('metrics');
    expect(err.queryId).toBe(execution.id);
    expect(err.reason).toBe(`FAILED: ${reason}`);
    expect(err.message).toBe(`query metrics (${execution.id}) failed: FAILED: ${reason}`);
    expect(fake.executions.length - before).toBe(1);
    expect(fake.count('StopQueryExecution')).toBe(0);
  });

  it.each([
    ['AthenaError.Retryable', { reason: 'Internal error', retryable: true, errorCategory: 1 }],
    [
      'a SlowDown reason',
      { reason: 'HIVE_CURSOR_ERROR: Please reduce your request rate. (Service: Amazon S3; Status Code: 503; Error Code: SlowDown)' },
    ],
  ])('resubmits an execution that failed with %s, with a new token', async (_label, fail) => {
    const sql = uniqueSql('retryable');
    let calls = 0;
    fake.on(sql, () => (++calls === 1 ? { fail } : { result: { columns: [{ name: 'x', type: 'bigint' }], rows: [['7']] } }));
    const before = fake.executions.length;
    const { engine: e } = engine();
    const result = await e.run({ name: 'metrics', sql });
    const mine = fake.executions.slice(before);
    expect(mine.map((x) => x.reported.at(-1))).toEqual(['FAILED', 'SUCCEEDED']);
    expect(mine[0]!.token).not.toBe(mine[1]!.token);
    expect(result.rows).toEqual([{ x: 7 }]);
    expect(result.stats.query_id).toBe(mine[1]!.id);
  });

  it('runs the beforeResubmit hook between a retryable failure and the resubmission, not before the first', async () => {
    const sql = uniqueSql('retryable-hook');
    const order: string[] = [];
    let calls = 0;
    fake.on(sql, () => {
      order.push(`execution ${++calls}`);
      return calls === 1
        ? { fail: { reason: 'Internal error', retryable: true, errorCategory: 1 } }
        : { result: { columns: [], rows: [] } };
    });
    const { engine: e } = engine();
    await e.execute({ name: 'rollup 2024-05-01', sql }, { beforeResubmit: async () => void order.push('hook') });
    expect(order).toEqual(['execution 1', 'hook', 'execution 2']);
  });

  it('executes a statement without a result set (UNLOAD) without ever calling GetQueryResults', async () => {
    const sql = uniqueSql('unload-like');
    fake.on(sql, { result: { columns: [], rows: [] }, bytesScanned: 2_048 });
    const { engine: e } = engine();
    const stats = await e.execute({ name: 'rollup 2024-05-01', sql });
    const execution = fake.executions.at(-1)!;
    expect(stats).toMatchObject({ name: 'rollup 2024-05-01', query_id: execution.id, bytes_scanned: 2_048, rows: 0 });
    expect(fake.count('GetQueryResults')).toBe(0);
    // A SELECT still pages its rows.
    await e.run({ name: 'metrics', sql });
    expect(fake.count('GetQueryResults')).toBe(1);
  });

  it("stops a running execution at once when the night's deadline passes, and says so", async () => {
    const sql = uniqueSql('deadline');
    fake.on(sql, { hang: true });
    const deadline = new AbortController();
    const { engine: e } = engine({
      timeoutMs: 1e12,
      // The deadline passes while the execution runs (as AbortSignal.timeout fires in the handler).
      onEvent: (ev) => ev.type === 'started' && setTimeout(() => deadline.abort(), 30),
    });
    const err = (await e.execute({ name: 'rollup 2024-05-01', sql }, { signal: deadline.signal }).catch((x: unknown) => x)) as QueryError;
    const execution = fake.executions.at(-1)!;
    expect(err).toBeInstanceOf(QueryError);
    expect(err.queryId).toBe(execution.id);
    expect(err.reason).toBe("stopped at the night's deadline; StopQueryExecution sent");
    expect(fake.requests.filter((r) => r.operation === 'StopQueryExecution').map((r) => r.body.QueryExecutionId)).toEqual([execution.id]);
    expect(execution.stopped).toBe(true);
  });

  it('starts nothing once the deadline has passed', async () => {
    const { engine: e } = engine();
    const err = (await e
      .run({ name: 'metrics', sql: uniqueSql('late') }, { signal: AbortSignal.abort() })
      .catch((x: unknown) => x)) as QueryError;
    expect(err.reason).toBe("stopped at the night's deadline");
    expect(fake.count('StartQueryExecution')).toBe(0);
  });

  it('stops resubmitting after maxRetries retryable failures', async () => {
    const sql = uniqueSql('retryable-forever');
    fake.on(sql, { fail: { reason: 'SlowDown', retryable: true } });
    const before = fake.executions.length;
    const { engine: e } = engine({ maxRetries: 2 });
    const err = (await e.run({ name: 'metrics', sql }).catch((x: unknown) => x)) as QueryError;
    expect(err).toBeInstanceOf(QueryError);
    expect(err.reason).toBe('FAILED: SlowDown (still failing after 3 executions)');
    expect(fake.executions.length - before).toBe(3);
  });

  it('does not resubmit a CANCELLED execution', async () => {
    const sql = uniqueSql('cancelled');
    fake.on(sql, (_sql, execution) => {
      execution.stopped = true; // someone cancelled it in the console
      return { result: { columns: [], rows: [] } };
    });
    const before = fake.executions.length;
    const { engine: e } = engine();
    const err = (await e.run({ name: 'metrics', sql }).catch((x: unknown) => x)) as QueryError;
    expect(err.reason).toBe('CANCELLED: Query was cancelled by user');
    expect(fake.executions.length - before).toBe(1);
  });

  it('stops the execution when the per-query timeout passes', async () => {
    const sql = uniqueSql('hang');
    fake.on(sql, { hang: true });
    const { engine: e, clock: c, events } = engine({ timeoutMs: 3_000 });
    const err = (await e.run({ name: 'slow', sql }).catch((x: unknown) => x)) as QueryError;
    const execution = fake.executions.at(-1)!;
    expect(err).toBeInstanceOf(QueryError);
    expect(err.queryId).toBe(execution.id);
    expect(err.reason).toBe('timed out after 3000 ms; StopQueryExecution sent');
    const stops = fake.requests.filter((r) => r.operation === 'StopQueryExecution');
    expect(stops.map((s) => s.body.QueryExecutionId)).toEqual([execution.id]);
    expect(execution.stopped).toBe(true);
    // Never slept past the deadline.
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect(events.at(-1)).toMatchObject({ type: 'stopped', queryId: execution.id });
  });

  it('rejects after close', async () => {
    const { engine: e } = engine();
    await e.close();
    await expect(e.run({ name: 'late', sql: 'SELECT 1' })).rejects.toThrow(/query late failed: engine is closed/);
  });

  it.each([
    [{ pollInitialMs: 0 }],
    [{ pollInitialMs: 500, pollMaxMs: 100 }],
    [{ timeoutMs: 0 }],
    [{ maxRetries: -1 }],
    [{ pageSize: 1_001 }],
  ])('rejects bad options %j', (bad) => {
    expect(() => engine(bad)).toThrow(RangeError);
  });
});
