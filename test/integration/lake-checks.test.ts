/**
 * The lake checked against the config before a night builds anything:
 * a configured column the lake lacks is a config error naming the field and the file, with nothing
 * written; a configured event name the lake has not seen in 28 days is a warning naming the field
 * and the closest name, on the console, in run.json and in the report. Real DuckDB over generated
 * JSON and Parquet lakes; the Athena side in test/integration/engines/lake-checks.test.ts (Trino).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayRange } from '../../functions/core/dates';
import { runNsm } from '../support/cli';
import { type LakeEvent, tempDir, writeJsonLake, writeParquetLake } from '../support/lake';

const DAYS = dayRange('2024-01-01', '2024-01-10');

function config(lake: string, format: 'json' | 'parquet', columns = 'user: user_id, account: account_id, event: event_name', extra = '') {
  return `version: 1
lake:
  location: ${lake}
  format: ${format}
  columns: { ${columns} }
results:
  location: ./results
metrics:
  - { id: posts, type: count, events: ['Message Posted'] }
  - { id: users, type: distinct_users, window_days: 7 }
  - { id: revenue, type: sum, property: amount, events: [Purchase] }
${extra}north_star: users
`;
}

function jsonProject(yaml: (lake: string) => string) {
  const dir = tempDir('nsm-lake-checks-');
  const events: LakeEvent[] = DAYS.flatMap((dt, i) => [
    { dt, user_id: 'u1', account_id: 'a1', event_name: 'Message Posted' },
    { dt, user_id: 'u2', account_id: 'a1', event_name: 'Purchase', amount: 10 + i },
    { dt, user_id: 'u3', account_id: 'a2', event_name: 'Réunion créée' },
  ]);
  writeJsonLake(join(dir, 'lake'), events);
  writeFileSync(join(dir, 'nsm.config.yaml'), yaml('./lake'));
  return { dir, config: join(dir, 'nsm.config.yaml') };
}

async function parquetProject(yaml: (lake: string) => string) {
  const dir = tempDir('nsm-lake-checks-pq-');
  const selects = Object.fromEntries(
    DAYS.map((dt, i) => [
      dt,
      `SELECT * FROM (VALUES (1::BIGINT, 'a1', 'Message Posted', NULL::DOUBLE), (2::BIGINT, 'a1', 'Purchase', ${10 + i}::DOUBLE), (3::BIGINT, 'a2', 'Réunion créée', NULL::DOUBLE)) t(uid, account_id, event_name, amount)`,
    ]),
  );
  await writeParquetLake(join(dir, 'lake'), selects);
  writeFileSync(join(dir, 'nsm.config.yaml'), yaml('./lake'));
  return { dir, config: join(dir, 'nsm.config.yaml') };
}

const nsm = (...argv: string[]) => runNsm(argv);

async function expectConfigError(dir: string, configPath: string, field: string, column: string) {
  const r = await nsm('run', '--config', configPath, '--date', '2024-01-10');
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(`nsm run: ${configPath}: ${field}: `);
  expect(lines[0]).toContain(`'${column}'`);
  expect(r.stderr).not.toMatch(/Binder Error|\n\s+at /);
  expect(existsSync(join(dir, 'results')), 'nothing written: no state/, no runs/').toBe(false);
}

describe('a configured column the lake lacks: exit 2, one line naming the field and the file, nothing written', () => {
  it('JSON lake, lake.columns.user', async () => {
    const p = jsonProject((lake) => config(lake, 'json', 'user: uid, account: account_id, event: event_name'));
    await expectConfigError(p.dir, p.config, 'lake.columns.user', 'uid');
  });

  it('JSON lake, a sum property no Purchase event has', async () => {
    const p = jsonProject((lake) => config(lake, 'json').replace('property: amount', 'property: amount_usd'));
    await expectConfigError(p.dir, p.config, 'metrics[2].property', 'amount_usd');
  });

  it('Parquet lake (BIGINT user ids), lake.columns.user', async () => {
    const p = await parquetProject((lake) => config(lake, 'parquet'));
    await expectConfigError(p.dir, p.config, 'lake.columns.user', 'user_id');
    const r = await nsm('run', '--config', p.config, '--date', '2024-01-10');
    expect(r.stderr).toContain('its columns: uid, account_id, event_name, amount');
  });

  it('Parquet lake, a missing sum property, and an event column that is not text', async () => {
    const p = await parquetProject((lake) =>
      config(lake, 'parquet', 'user: uid, account: account_id, event: event_name').replace('property: amount', 'property: amout'),
    );
    await expectConfigError(p.dir, p.config, 'metrics[2].property', 'amout');
    expect((await nsm('run', '--config', p.config, '--date', '2024-01-10')).stderr).toContain("(did you mean 'amount'?)");
    const q = await parquetProject((lake) => config(lake, 'parquet', 'user: uid, account: account_id, event: uid'));
    const r = await nsm('run', '--config', q.config, '--date', '2024-01-10');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("lake.columns.event: column 'uid' is BIGINT; event names must be text");
  });

  it('validate --lake says the same, and plain validate does not look at the lake', async () => {
    const p = jsonProject((lake) => config(lake, 'json', 'user: uid, account: account_id, event: event_name'));
    expect((await nsm('validate', '--config', p.config)).code).toBe(0);
    const r = await nsm('validate', '--config', p.config, '--lake', '--date', '2024-01-10');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lake.columns.user');
  });
});

describe('the data, not the config: the night runs (and alerts) instead of failing as a config error', () => {
  it('JSON lake: a column whose values are missing on the night only is a column_empty warning', async () => {
    const p = jsonProject((lake) => config(lake, 'json'));
    // Tonight's events lost their account_id (a tracking outage); earlier days have it.
    const night = join(p.dir, 'lake', 'dt=2024-01-10');
    const file = join(night, readdirSync(night)[0]!);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    writeFileSync(file, `${lines.map(({ account_id: _, ...rest }) => JSON.stringify(rest)).join('\n')}\n`);
    const r = await nsm('run', '--config', p.config, '--date', '2024-01-10');
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(p.dir, 'results/runs/dt=2024-01-10/run.json'), 'utf8'));
    expect(run.warnings.map((w: { code: string }) => w.code)).toEqual(['column_empty']);
    expect(run.warnings[0].message).toContain("lake.columns.account: no event of dt=2024-01-10 has 'account_id' (3 events read)");
  });

  it('Parquet lake with DOUBLE user ids (as pandas writes nullable integers): ids all the same; a missing night is data_incomplete', async () => {
    const dir = tempDir('nsm-lake-checks-pq-');
    const selects = Object.fromEntries(
      DAYS.map((dt, i) => [
        dt,
        `SELECT * FROM (VALUES (1::DOUBLE, 'a1', 'Message Posted', NULL::DOUBLE), (2::DOUBLE, 'a1', 'Purchase', ${i}::DOUBLE)) t(uid, account_id, event_name, amount)`,
      ]),
    );
    await writeParquetLake(join(dir, 'lake'), selects);
    const configPath = join(dir, 'nsm.config.yaml');
    writeFileSync(configPath, config('./lake', 'parquet', 'user: uid, account: account_id, event: event_name'));
    const ok = await nsm('run', '--config', configPath, '--date', '2024-01-10');
    expect(ok.code, ok.stderr).toBe(0);
    // The night asked for (01-11) has no partition: nothing to check its columns on.
    const r = await nsm('run', '--config', configPath, '--date', '2024-01-11');
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, 'results/runs/dt=2024-01-11/run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'succeeded', partition_missing: true });
    expect(run.queries.map((q: { name: string }) => q.name)).not.toContain('lake-columns');
  });
});

describe('a configured event name the lake has not seen in 28 days: a warning with the closest name', () => {
  const typo = (yaml: string) => yaml.replace("events: ['Message Posted']", "events: ['Message posted']");
  const warning = "metrics[0].events[0]: 'Message posted' not seen in the last 28 days; did you mean 'Message Posted'?";

  it('nsm run: on the console, in run.json (warnings) and in the report; the night still runs', async () => {
    const p = jsonProject((lake) => typo(config(lake, 'json')));
    const r = await nsm('run', '--config', p.config, '--date', '2024-01-10');
    expect(r.code, r.stderr).toBe(0);
    // Like the night's other warnings: the night first on the console, a RunWarning in the files.
    expect(r.stderr).toContain(`warning: 2024-01-10  ${warning}`);
    const recorded = [{ code: 'event_not_seen', message: warning, dt: '2024-01-10', key: null }];
    const run = JSON.parse(readFileSync(join(p.dir, 'results/runs/dt=2024-01-10/run.json'), 'utf8'));
    expect(run.warnings).toEqual(recorded);
    const report = JSON.parse(readFileSync(join(p.dir, 'results/reports/dt=2024-01-10/report.json'), 'utf8'));
    expect(report.warnings).toEqual(recorded);
    const html = readFileSync(join(p.dir, 'results/reports/dt=2024-01-10/report.html'), 'utf8');
    expect(html).toContain('&#39;Message posted&#39; not seen in the last 28 days');
  });

  it('a clean config has no warnings, and run.json says so', async () => {
    const p = await parquetProject((lake) => config(lake, 'parquet', 'user: uid, account: account_id, event: event_name'));
    const r = await nsm('run', '--config', p.config, '--date', '2024-01-10');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const run = JSON.parse(readFileSync(join(p.dir, 'results/runs/dt=2024-01-10/run.json'), 'utf8'));
    expect(run.warnings).toEqual([]);
    // The checks' queries are in run.json like any other: the night's events, then a describe.
    expect(run.queries.map((q: { name: string }) => q.name).slice(0, 2)).toEqual(['lake-events', 'lake-columns']);
  });

  it('an event seen within 28 days but not on the night is fine (one look further back, no warning)', async () => {
    const p = jsonProject((lake) => config(lake, 'json'));
    const r = await nsm('run', '--config', p.config, '--date', '2024-01-11');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('not seen');
  });

  it('validate --lake prints the warning and exits 0; a candidates entry event is checked too', async () => {
    const p = jsonProject((lake) =>
      typo(config(lake, 'json')).replace(
        'north_star: users',
        'candidates:\n  cohort: { entry_event: Sign up, cohort_days: 7 }\n  retention: { day: 7, window_days: 7 }\n  actions: [{ id: posted, event: Message Posted, within_days: 3 }]\nnorth_star: users',
      ),
    );
    const r = await nsm('validate', '--config', p.config, '--lake', '--date', '2024-01-10');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('valid');
    expect(r.stderr).toContain(`warning: ${warning}`);
    expect(r.stderr).toContain("warning: candidates.cohort.entry_event: 'Sign up' not seen in the last 28 days");
    expect(r.stderr).not.toContain('candidates.actions');
  });
});
