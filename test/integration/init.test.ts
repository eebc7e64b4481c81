/**
 * `nsm init --lake`: on the demo's lake and on a company-shaped Parquet lake (a `date` partition
 * key, BIGINT user ids, Spark `_SUCCESS` files, event names with spaces and accents) it writes a
 * config that loads, that `nsm validate --lake` accepts without warnings and that `nsm run` runs;
 * the guesses are checked against what the generated lakes hold, and the starter north star's
 * value against a count made here from the generated rows.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayRange } from '../../functions/core/dates';
import { slug } from '../../functions/core/init/starter-config';
import { generateDemoLake } from '../../functions/demo/generate-lake';
import { loadConfig } from '../../functions/wiring/load-config';
import { runNsm } from '../support/cli';
import { tempDir } from '../support/lake';

const nsm = (...argv: string[]) => runNsm(argv, new Date('2024-03-01T05:00:00Z'));

const FIRST = '2024-01-01';
const LAST = '2024-02-09';
const DAYS = dayRange(FIRST, LAST);

/** One row of the Parquet lake. */
interface Row {
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
function companyRows(): Row[] {
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

async function writeCompanyLake(dir: string, rows: readonly Row[]): Promise<void> {
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

describe('nsm init on a company-shaped Parquet lake', () => {
  let dir: string;
  let configPath: string;
  let rows: Row[];
  let init: Awaited<ReturnType<typeof nsm>>;
  beforeAll(async () => {
    dir = tempDir('nsm-init-pq-');
    rows = companyRows();
    await writeCompanyLake(join(dir, 'lake'), rows);
    configPath = join(dir, 'nsm.config.yaml');
    init = await nsm('init', '--lake', join(dir, 'lake'), '--config', configPath);
  });

  it('writes a config that loads, with the columns, partition key and format the lake has', async () => {
    expect(init.code, init.stderr).toBe(0);
    const config = await loadConfig(configPath, {});
    expect(config.lake).toMatchObject({
      format: 'parquet',
      partition: 'date',
      location: join(dir, 'lake'),
      first_day: FIRST,
      columns: { user: 'uid', account: 'org_id', event: 'event', time: 'event_ts' },
    });
    expect(config.north_star).toBe('weekly_message_posted_accounts');
    expect(config.alerts.watch).toEqual(['weekly_message_posted_accounts']);
    // The names keep their spaces and accents; ids are ASCII.
    const text = readFileSync(configPath, 'utf8');
    expect(text).toContain('"Réunion créée"');
    expect(config.metrics.map((m) => m.id)).toContain('reunion_creee_count');
    // New users sign up on their first day; of the rest, what they do in their first week.
    expect(config.candidates?.cohort.entry_event).toBe('Sign up');
    expect(config.candidates?.actions.map((a) => a.event)).toEqual(['Réunion créée', 'Paid invoice']);
    // The profile as comments: counts and first/last day of the most frequent events.
    const posted = rows.filter((r) => r.event === 'Message Posted').length;
    expect(text).toContain(`#   "Message Posted"  ${posted.toLocaleString('en-US')}  ${FIRST} … ${LAST}`);
    expect(text).toMatch(/Numeric properties a sum metric can add up: amount \(DOUBLE\)/);
  });

  it('nsm validate --lake accepts it without a warning', async () => {
    const r = await nsm('validate', '--config', configPath, '--lake', '--date', LAST);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('nsm run runs it; the north star is the accounts posting in the week, counted here', async () => {
    const r = await nsm('run', '--config', configPath, '--date', LAST);
    expect(r.code, r.stderr).toBe(0);
    const metrics = readFileSync(join(dir, 'nsm-results/metrics', `dt=${LAST}`, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const week = new Set(dayRange(addDays(LAST, -6), LAST));
    const orgs = new Set(rows.filter((x) => week.has(x.day) && x.event === 'Message Posted').map((x) => x.org_id));
    expect(metrics.find((m) => m.metric_id === 'weekly_message_posted_accounts').value).toBe(orgs.size);
    const users = new Set(rows.filter((x) => week.has(x.day)).map((x) => x.uid));
    expect(metrics.find((m) => m.metric_id === 'weekly_active_users').value).toBe(users.size);
  });

  it('never overwrites without --force', async () => {
    const before = readFileSync(configPath, 'utf8');
    const r = await nsm('init', '--lake', join(dir, 'lake'), '--config', configPath);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`nsm init: ${configPath} exists; --force overwrites it`);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
    writeFileSync(configPath, 'changed');
    expect((await nsm('init', '--lake', join(dir, 'lake'), '--config', configPath, '--force')).code).toBe(0);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('an S3 lake is said to be unsupported, not attempted', async () => {
    const r = await nsm('init', '--lake', 's3://bucket/events', '--config', join(dir, 'other.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not supported yet');
  });
});

describe('nsm init on the demo lake', () => {
  it("guesses the demo config's mapping and entry event; validate --lake accepts it and run runs it", async () => {
    const dir = tempDir('nsm-init-demo-');
    const END = '2024-06-30';
    await generateDemoLake({ dir: join(dir, 'lake'), endDay: END, days: 150, events: 20_000 });
    const configPath = join(dir, 'nsm.config.yaml');
    const init = await nsm('init', '--lake', join(dir, 'lake'), '--config', configPath);
    expect(init.code, init.stderr).toBe(0);
    const config = await loadConfig(configPath, {});
    expect(config.lake).toMatchObject({
      format: 'json',
      partition: 'dt',
      columns: { user: 'user_id', account: 'account_id', event: 'event_name', time: 'event_time' },
    });
    expect(config.candidates?.cohort.entry_event).toBe('signed_up');
    const v = await nsm('validate', '--config', configPath, '--lake', '--date', END);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toBe('');
    const r = await nsm('run', '--config', configPath, '--date', END);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, 'nsm-results/runs', `dt=${END}`, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'succeeded', warnings: [] });
  });
});

describe('slug', () => {
  it('turns event names into metric ids', () => {
    expect(slug('Réunion créée')).toBe('reunion_creee');
    expect(slug('Message Posted')).toBe('message_posted');
    expect(slug('3D view')).toBe('e_3d_view');
    expect(slug('¡¿')).toBe('e_event');
  });
});
