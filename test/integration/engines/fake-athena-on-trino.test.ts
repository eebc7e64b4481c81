/**
 * The fake Athena on Trino (test/support/engines/trino-athena.ts) through the real
 * @aws-sdk/client-athena: StopQueryExecution stops the query on Trino too, as Athena stops its
 * own (a stopped UNLOAD must not go on writing into its folder), and an execution stopped while a
 * test holds it never reaches Trino.
 */
import { type AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trinoReady } from '../../support/engines/services';
import { trinoResponder } from '../../support/engines/trino-athena';
import type { TrinoClient } from '../../support/engines/trino-client';
import { FakeAthenaServer } from '../../support/fake-athena-server';

/** Runs for many minutes on two cores unless cancelled (10^10 rows; sequence() stops at 10,000); needs no catalog. */
const SLOW_SQL =
  'SELECT count(*) AS n FROM UNNEST(sequence(1, 10000)) AS a(x) CROSS JOIN UNNEST(sequence(1, 10000)) AS b(y) ' +
  'CROSS JOIN UNNEST(sequence(1, 100)) AS c(z) WHERE (x * y + z) % 7 = 3';

let trino: TrinoClient;
let fake: FakeAthenaServer;
let client: AthenaClient;
const ran: { execution: string; sql: string }[] = [];
let hold: ((sql: string) => Promise<void>) | undefined;

beforeAll(async () => {
  trino = await trinoReady();
  fake = await FakeAthenaServer.start();
  fake.fallback(trinoResponder(trino, { catalog: 'system', ran, beforeStatement: (sql) => hold?.(sql) ?? Promise.resolve() }));
  client = fake.client();
});
afterAll(async () => {
  client?.destroy();
  await fake?.close();
});

const start = async (sql: string) =>
  (await client.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: 'nsm' }))).QueryExecutionId!;
const state = async (id: string) =>
  (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!.Status!.State;

/** Trino's own record of its queries whose text is `sql`: their states. */
async function trinoStates(sql: string): Promise<string[]> {
  const r = await trino.query(`SELECT state FROM system.runtime.queries WHERE query = '${sql.replace(/'/g, "''")}'`);
  return r.rows.map((row) => String(row[0]));
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('fake Athena on Trino', () => {
  it('runs a statement on Trino and answers with its rows', async () => {
    const id = await start('SELECT 6 * 7 AS answer');
    await until(async () => (await state(id)) === 'SUCCEEDED', 'SUCCEEDED');
    expect(ran.filter((r) => r.execution === id).map((r) => r.sql)).toEqual(['SELECT 6 * 7 AS answer']);
  });

  it('cancels the Trino query of a stopped execution', async () => {
    const id = await start(SLOW_SQL);
    await until(async () => {
      // A query Trino refused would never run: fail at once, saying why.
      if ((await state(id)) === 'FAILED') throw new Error(`the slow query failed: ${JSON.stringify(fake.executions.at(-1)?.outcome)}`);
      return (await trinoStates(SLOW_SQL)).includes('RUNNING');
    }, 'the query to run on Trino');
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    expect(await state(id)).toBe('CANCELLED');
    // Trino ends it as cancelled by its user (FAILED, USER_CANCELED), not finished.
    await until(async () => (await trinoStates(SLOW_SQL)).every((s) => s === 'FAILED'), 'Trino to end the query');
    const r = await trino.query(`SELECT error_code FROM system.runtime.queries WHERE query = '${SLOW_SQL.replace(/'/g, "''")}'`);
    expect(r.rows.map((row) => String(row[0]))).toEqual(['USER_CANCELED']);
  });

  it('never sends a statement stopped while held to Trino', async () => {
    let release!: () => void;
    hold = () => new Promise<void>((r) => (release = r));
    try {
      const id = await start('SELECT 1 AS held');
      await until(async () => release !== undefined, 'the hold');
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      release();
      await new Promise((r) => setTimeout(r, 200));
      expect(await state(id)).toBe('CANCELLED');
      expect(ran.filter((r) => r.execution === id)).toEqual([]);
    } finally {
      hold = undefined;
    }
  });
});
