/**
 * `nsm` as a user meets it: exit codes, one-line errors that name the culprit, nothing written on
 * bad input, and a real run writing the results layout. In-process through `main(argv, io)`, plus
 * one spawn of the real `bin/nsm.js` to prove the process exit code and the absence of a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main';
import { dayRange } from '../../functions/core/dates';
import { athenaSqlProblems } from '../support/athena-sql-validator';
import { type LakeEvent, tempDir, writeJsonLake } from '../support/lake';

const CONFIG = `version: 1
lake:
  location: ./lake
  columns: { user: user_id, account: account_id, event: event_name }
results:
  location: ./results
metrics:
  - { id: teams, type: active_accounts, events: [post], min_users: 2, window_days: 7 }
  - { id: posts, type: count, events: [post] }
  - { id: users, type: distinct_users, window_days: 7 }
  - { id: posts_per_user, type: ratio, numerator: posts, denominator: users }
north_star: teams
tree:
  teams: [users, posts_per_user]
`;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (t: string) => void out.push(t),
      err: (t: string) => void err.push(t),
      now: () => new Date('2024-01-11T05:00:00Z'),
      env: {},
    },
  };
}

/** A folder with a 10-day lake and a config (optionally edited), returning the config path. */
function project(edit: (yaml: string) => string = (y) => y): { dir: string; config: string } {
  const dir = tempDir('nsm-cli-');
  const events: LakeEvent[] = dayRange('2024-01-01', '2024-01-10').flatMap((dt, i) =>
    ['u1', 'u2', 'u3'].map((u, j) => ({ dt, user_id: u, account_id: j < 2 ? 'a1' : 'a2', event_name: (i + j) % 2 ? 'post' : 'open' })),
  );
  writeJsonLake(join(dir, 'lake'), events);
  const config = join(dir, 'nsm.config.yaml');
  writeFileSync(config, edit(CONFIG));
  return { dir, config };
}

async function expectBadInput(argv: string[], message: string | RegExp, dir: string) {
  const c = io();
  const code = await main(argv, c.io);
  const stderr = c.err.join('');
  expect(code, stderr).toBe(2);
  expect(stderr.trimEnd().split('\n'), 'exactly one line').toHaveLength(1);
  if (typeof message === 'string') expect(stderr).toContain(message);
  else expect(stderr).toMatch(message);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(join(dir, 'results')), 'nothing written').toBe(false);
}

describe('nsm run: bad input exits 2 with one line naming the culprit, nothing written', () => {
  const cases: [string, (y: string) => string, string | RegExp][] = [
    ['unknown metric type', (y) => y.replace('type: count', 'type: counter'), /metrics\[1\]\.type: .*counter/],
    ['unknown north_star', (y) => y.replace('north_star: teams', 'north_star: nope'), "north_star: unknown metric 'nope'"],
    ['a cycle in the tree', (y) => y.replace('teams: [users, posts_per_user]', 'teams: [users]\n  users: [teams]'), 'cycle'],
    ['a column that is not an identifier', (y) => y.replace('user: user_id', 'user: "user id"'), 'lake.columns.user'],
    [
      'window_days: 0',
      (y) => y.replace('window_days: 7 }\n  - { id: posts', 'window_days: 0 }\n  - { id: posts'),
      'metrics[0].window_days: must be >= 1',
    ],
    ['malformed YAML, with its line', (y) => y.replace('results:\n', 'results:\n   bad: [\n'), /nsm\.config\.yaml: line \d+/],
    [
      'a lake folder that does not exist',
      (y) => y.replace('location: ./lake', 'location: ./no-such-lake'),
      /lake .*no-such-lake: folder does not exist/,
    ],
  ];
  it.each(cases)('%s', async (_name, edit, message) => {
    const { dir, config } = project(edit);
    await expectBadInput(['run', '--config', config, '--date', '2024-01-10'], message, dir);
  });

  it('an invalid --date', async () => {
    const { dir, config } = project();
    await expectBadInput(
      ['run', '--config', config, '--date', '2024-02-30'],
      "--date: '2024-02-30' is not a date (expected YYYY-MM-DD)",
      dir,
    );
  });

  it('--from after --to', async () => {
    const { dir, config } = project();
    await expectBadInput(
      ['run', '--config', config, '--from', '2024-01-09', '--to', '2024-01-02'],
      '--from 2024-01-09 is after --to 2024-01-02',
      dir,
    );
  });

  it('a missing config file and an unknown flag', async () => {
    const { dir } = project();
    await expectBadInput(['run', '--config', join(dir, 'missing.yaml')], 'config file not found', dir);
    await expectBadInput(['run', '--config', join(dir, 'nsm.config.yaml'), '--dat', '2024-01-01'], "'--dat'", dir);
  });
});

describe('nsm run: a range', () => {
  let dir: string;
  let stdout: string;
  beforeAll(async () => {
    const p = project();
    dir = p.dir;
    const c = io();
    const code = await main(['run', '--config', p.config, '--from', '2024-01-08', '--to', '2024-01-10'], c.io);
    stdout = c.out.join('');
    expect(code, c.err.join('')).toBe(0);
  });

  it('prints one progress line per night, oldest first', () => {
    const lines = stdout.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2} /.test(l));
    expect(lines.map((l) => l.slice(0, 10))).toEqual(['2024-01-08', '2024-01-09', '2024-01-10']);
  });

  it('writes the results layout for every night and latest.json last, pointing at the newest', () => {
    for (const dt of ['2024-01-08', '2024-01-09', '2024-01-10']) {
      for (const f of [`metrics/dt=${dt}/metrics.jsonl`, `reports/dt=${dt}/report.json`, `runs/dt=${dt}/run.json`]) {
        expect(existsSync(join(dir, 'results', f)), f).toBe(true);
      }
    }
    expect(JSON.parse(readFileSync(join(dir, 'results', 'latest.json'), 'utf8'))).toEqual({
      dt: '2024-01-10',
      report: 'reports/dt=2024-01-10/report.json',
    });
  });

  it('writes latest.html, which links every night to its report; each report links the night before and back', async () => {
    const results = join(dir, 'results');
    const index = readFileSync(join(results, 'latest.html'), 'utf8');
    const links = [...index.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]!);
    expect(links.slice(1)).toEqual(['2024-01-10', '2024-01-09', '2024-01-08'].map((dt) => `reports/dt=${dt}/report.html`));
    for (const link of links) expect(existsSync(join(results, link)), link).toBe(true);
    const report = readFileSync(join(results, 'reports/dt=2024-01-10/report.html'), 'utf8');
    const nav = [...report.matchAll(/<a [^>]*href="([^"#][^"]*)"/g)].map((m) => m[1]!);
    expect(nav).toEqual(['../dt=2024-01-09/report.html', '../../latest.html']);
    for (const link of nav) expect(existsSync(join(results, 'reports/dt=2024-01-10', link)), link).toBe(true);
    // Re-running an older night leaves the index on the newest, as latest.json.
    const c = io();
    expect(await main(['run', '--config', join(dir, 'nsm.config.yaml'), '--date', '2024-01-09'], c.io)).toBe(0);
    expect(readFileSync(join(results, 'latest.html'), 'utf8')).toBe(index);
  });

  it('computes the metrics of the night (values worked out by hand from the 10-day lake)', () => {
    const rows = readFileSync(join(dir, 'results/metrics/dt=2024-01-10/metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const value = (id: string) => rows.find((r) => r.metric_id === id).value;
    // Day i (0-based from 01-01), user j posts when (i + j) is odd. On 01-10 (i = 9): u1 (j=0) posts, u2 does not, u3 posts.
    expect(value('posts')).toBe(2);
    expect(value('users')).toBe(3);
    // Over 01-04..01-10 both u1 and u2 (account a1) posted on some day: a1 has 2 posters; a2 has only u3.
    expect(value('teams')).toBe(1);
    expect(value('posts_per_user')).toBeCloseTo(2 / 3, 12);
    expect(rows.find((r) => r.metric_id === 'teams')).toMatchObject({ is_north_star: true, parent_id: null, type: 'active_accounts' });
    expect(rows.find((r) => r.metric_id === 'users')).toMatchObject({ is_north_star: false, parent_id: 'teams' });
  });

  it("records queries and the day's event count in run.json", () => {
    const run = JSON.parse(readFileSync(join(dir, 'results/runs/dt=2024-01-10/run.json'), 'utf8'));
    expect(run).toMatchObject({ dt: '2024-01-10', status: 'succeeded', engine: 'duckdb', day_events: 3, partition_missing: false });
    expect(run.queries.map((q: { name: string }) => q.name)).toContain('metrics');
    expect(run.queries.every((q: { ms: number }) => q.ms >= 0)).toBe(true);
  });

  it('completes a night whose partition is missing and records it', async () => {
    const c = io();
    const code = await main(['run', '--config', join(dir, 'nsm.config.yaml'), '--date', '2024-01-12'], c.io);
    expect(code, c.err.join('')).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, 'results/runs/dt=2024-01-12/run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'succeeded', day_events: 0, partition_missing: true, partition_empty: false });
    expect(c.out.join('')).toMatch(/^2024-01-12 .*partition missing/m);
  });

  it('tells an empty partition (an empty file and _SUCCESS) from a missing one; both are data_incomplete', async () => {
    const { dir: d, config } = project();
    mkdirSync(join(d, 'lake', 'dt=2024-01-11'));
    writeFileSync(join(d, 'lake', 'dt=2024-01-11', 'part-0.jsonl'), '');
    writeFileSync(join(d, 'lake', 'dt=2024-01-11', '_SUCCESS'), '');
    const c = io();
    expect(await main(['run', '--config', config, '--date', '2024-01-11'], c.io), c.err.join('')).toBe(0);
    const run = JSON.parse(readFileSync(join(d, 'results/runs/dt=2024-01-11/run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'succeeded', day_events: 0, partition_missing: false, partition_empty: true });
    const report = JSON.parse(readFileSync(join(d, 'results/reports/dt=2024-01-11/report.json'), 'utf8'));
    expect(report.data).toMatchObject({ partition_missing: false, partition_empty: true, status: 'incomplete' });
    expect(report.metrics.every((m: { status: string }) => m.status === 'data_incomplete')).toBe(true);
    expect(report.alerts.map((a: { kind: string; subject: string }) => [a.kind, a.subject])).toEqual([
      ['data_incomplete', '[nsm] Data incomplete 2024-01-11: partition dt=2024-01-11 empty'],
    ]);
    expect(readFileSync(join(d, 'results/reports/dt=2024-01-11/report.html'), 'utf8')).toContain('(partition empty)');
    expect(c.out.join('')).toMatch(/^2024-01-11 .*partition empty/m);
    expect(c.out.join('')).not.toContain('missing');
  });
});

describe('nsm sql and nsm validate', () => {
  it('prints each query after a -- name line, ended by ; at a line end: the lake-only plan with --from-scratch', async () => {
    const { config } = project();
    const c = io();
    expect(await main(['sql', '--config', config, '--date', '2024-01-10', '--dialect', 'duckdb', '--from-scratch'], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text.startsWith('-- metrics\n')).toBe(true);
    expect(text.trimEnd().endsWith(';')).toBe(true);
    expect(text).toContain("BETWEEN '2024-01-04' AND '2024-01-10'");
  });

  it('prints the steady-night plan over incremental state by default', async () => {
    const { dir, config } = project();
    const c = io();
    expect(await main(['sql', '--config', config, '--date', '2024-01-10'], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text.match(/^-- .*$/gm)).toEqual(['-- rollup 2024-01-09', '-- rollup 2024-01-10', '-- metrics']);
    // Build ids are the placeholder `plan`: a run draws a fresh one for every build.
    expect(text).toContain(`TO '${join(dir, 'results', 'state/daily/2024-01-10.plan/data.parquet')}'`);
    expect(text).toContain('read_parquet([');
  });

  it("prints a first night with --plan first-night: every rollup, then the snapshot in chunks of lake.max_days_per_query days from the lake's first partition", async () => {
    const { config } = project((y) =>
      y
        .replace('  columns:', '  max_days_per_query: 4\n  columns:')
        .replace(
          'north_star: teams',
          'north_star: teams\ncandidates:\n  cohort: { entry_event: open, cohort_days: 2 }\n  retention: { day: 3, window_days: 1 }\n  actions: [{ id: posted, event: post, within_days: 1 }]',
        ),
    );
    const c = io();
    expect(await main(['sql', '--config', config, '--date', '2024-01-10', '--plan', 'first-night'], c.io), c.err.join('')).toBe(0);
    const names = c.out.join('').match(/^-- .*$/gm)!;
    const rollups = names.filter((n) => n.startsWith('-- rollup '));
    expect(rollups).toEqual(dayRange('2024-01-04', '2024-01-10').map((d) => `-- rollup ${d}`));
    // The lake starts on 2024-01-01: 10 days in chunks of at most 4, aligned on the night.
    expect(names.slice(rollups.length)).toEqual([
      '-- entries 2024-01-02',
      '-- entries 2024-01-06',
      '-- entries 2024-01-10',
      '-- metrics',
      '-- candidates',
    ]);
    expect(c.out.join('')).toContain("WHERE \"dt\" BETWEEN '2024-01-01' AND '2024-01-02'");
  });

  it('rejects an unknown --plan, and --plan beside --from-scratch', async () => {
    const { dir, config } = project();
    await expectBadInput(
      ['sql', '--config', config, '--date', '2024-01-10', '--plan', 'first'],
      "--plan: 'first' is not one of first-night, steady",
      dir,
    );
    await expectBadInput(
      ['sql', '--config', config, '--date', '2024-01-10', '--plan', 'steady', '--from-scratch'],
      'nsm sql: --plan and --from-scratch do not go together',
      dir,
    );
  });

  it('prints valid Athena statements (UNLOAD into S3 state, reads through the state tables)', async () => {
    const { config } = project((y) =>
      y
        .replace('location: ./results', 'location: s3://nsm-results/nsm')
        .replace('  columns:', '  athena: { database: product_events, table: events, workgroup: nsm }\n  columns:'),
    );
    const c = io();
    expect(await main(['sql', '--config', config, '--date', '2024-01-10', '--dialect', 'athena'], c.io), c.err.join('')).toBe(0);
    const statements = c.out
      .join('')
      .split(/^-- .*\n/m)
      .filter((t) => t.trim())
      .map((t) => t.trim().replace(/;$/, ''));
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/^UNLOAD \(/);
    expect(statements[2]).toContain('"product_events"."nsm_state_daily"');
    for (const sql of statements) expect(athenaSqlProblems(sql)).toEqual([]);
  });

  it('needs lake.first_day to print an Athena first night (Athena cannot list the lake), and starts the chain there', async () => {
    const athena = (y: string) =>
      y
        .replace('location: ./results', 'location: s3://nsm-results/nsm')
        .replace('  columns:', '  athena: { database: product_events, table: events, workgroup: nsm }\n  columns:')
        .replace(
          'north_star: teams',
          'north_star: teams\ncandidates:\n  cohort: { entry_event: open, cohort_days: 2 }\n  retention: { day: 3, window_days: 1 }\n  actions: [{ id: posted, event: post, within_days: 1 }]',
        );
    const without = project(athena);
    await expectBadInput(
      ['sql', '--config', without.config, '--date', '2024-01-10', '--dialect', 'athena', '--plan', 'first-night'],
      "night 2024-01-10: the first-entry snapshot is built from the lake's first day, which lake.first_day must give",
      without.dir,
    );
    const { config } = project((y) => athena(y).replace('  columns:', '  first_day: 2023-12-01\n  columns:'));
    const c = io();
    expect(
      await main(['sql', '--config', config, '--date', '2024-01-10', '--dialect', 'athena', '--plan', 'first-night'], c.io),
      c.err.join(''),
    ).toBe(0);
    const entries = c.out.join('').match(/^-- entries .*$/gm)!;
    // 2023-12-01 … 2024-01-10 is 41 days: two chunks of at most 31.
    expect(entries).toEqual(['-- entries 2023-12-10', '-- entries 2024-01-10']);
  });

  it('validate prints a summary with the tree', async () => {
    const { config } = project();
    const c = io();
    expect(await main(['validate', '--config', config], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text).toContain('valid');
    expect(text).toMatch(/teams[\s\S]*users[\s\S]*posts_per_user/);
  });
});

describe('the nsm binary', () => {
  it('exits 2 with one line on stderr and no stack trace', () => {
    const { dir, config } = project((y) => y.replace('window_days: 7 }\n  - { id: posts', 'window_days: 0 }\n  - { id: posts'));
    const r = spawnSync(process.execPath, ['bin/nsm.js', 'run', '--config', config, '--date', '2024-01-10'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('metrics[0].window_days: must be >= 1');
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});
