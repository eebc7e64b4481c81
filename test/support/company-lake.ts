/**
 * A company-shaped Parquet lake (a `date` partition key, BIGINT user ids, Spark `_SUCCESS` files,
 * event names with spaces and accents): what the `nsm init` tests profile, locally and in S3.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { dayRange } from '../../functions/core/dates';

export const FIRST = '2024-01-01';
export const LAST = '2024-02-09';
export const DAYS = dayRange(FIRST, LAST);

/** One row of the Parquet lake. */
export interface Row {
  day: string;
  uid: number;
  org_id: string;
  event: string;
  amount: number | null;
}

/**
 * 60 users, user u (1-based) arriving on day floor((u-1)/2) (so half of them after the first day),
 * in org `o<u % 7>`. On their first day: 'Sign up'; every day from then on: 'Message Posted' (twice
 * when u is even); users with u % 3 == 0 every third day 'Réunion créée'; users with u % 4 == 0 'Paid invoice' with an
 * amount on their second day.
 */
export function companyRows(): Row[] {
  const rows: Row[] = [];
  for (let u = 1; u <= 60; u++) {
    const start = Math.floor((u - 1) / 2);
    for (let i = start; i < DAYS.length; i++) {
      const day = DAYS[i]!;
      const base = { day, uid: 1_000_000_000_000 + u, org_id: `o${u % 7}`, amount: null };
      if (i === start) rows.push({ ...base, event: 'Sign up' });
      rows.push({ ...base, event: 'Message Posted' });
      if (u % 2 === 0) rows.push({ ...base, event: 'Message Posted' });
      if (u % 3 === 0 && i % 3 === 0) rows.push({ ...base, event: 'Réunion créée' });
      if (u % 4 === 0 && i === start + 1) rows.push({ ...base, event: 'Paid invoice', amount: 12.5 });
    }
  }
  return rows;
}

export async function writeCompanyLake(dir: string, rows: readonly Row[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    for (const day of DAYS) {
      const folder = join(dir, `date=${day}`);
      mkdirSync(folder, { recursive: true });
      const values = rows
        .filter((r) => r.day === day)
        .map(
          (r) =>
            `(${r.uid}::BIGINT, '${r.org_id}', '${r.event.replaceAll("'", "''")}', ${r.amount ?? 'NULL'}::DOUBLE, TIMESTAMP '${day} 10:00:00')`,
        );
      await c.run(
        `COPY (SELECT * FROM (VALUES ${values.join(', ')}) t(uid, org_id, event, amount, event_ts)) TO '${join(folder, 'part-00000-c000.snappy.parquet')}' (FORMAT parquet)`,
      );
      writeFileSync(join(folder, '_SUCCESS'), '');
    }
    writeFileSync(join(dir, '_SUCCESS'), '');
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
