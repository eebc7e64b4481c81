/**
 * `nsm init --lake`: on the demo's lake and on a company-shaped Parquet lake (a `date` partition
 * key, BIGINT user ids, Spark `_SUCCESS` files, event names with spaces and accents) it writes a
 * config that loads, that `nsm validate --lake` accepts without warnings and that `nsm run` runs;
 * the guesses are checked against what the generated lakes hold, and the starter north star's
 * value against a count made here from the generated rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayRange } from '../../functions/core/dates';
import { slug } from '../../functions/core/init/starter-config';
import { generateDemoLake } from '../../functions/demo/generate-lake';
import { loadConfig } from '../../functions/wiring/load-config';
import { runNsm } from '../support/cli';
import { companyRows, FIRST, LAST, type Row, writeCompanyLake } from '../support/company-lake';
import { tempDir } from '../support/lake';

const nsm = (...argv: string[]) => runNsm(argv, new Date('2024-03-01T05:00:00Z'));

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

  it('an S3 lake at the top of its bucket needs --results (results may not sit inside the lake)', async () => {
    const r = await nsm('init', '--lake', 's3://acme-events', '--config', join(dir, 'other.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('nsm init: --results is required for this lake: s3://acme-events/nsm-results would be inside or over it');
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
