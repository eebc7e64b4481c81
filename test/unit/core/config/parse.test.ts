import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../../../functions/core/config/parse';
import { ConfigError, InputError } from '../../../../functions/core/errors';
import { EXAMPLE_TEXT, errorFor, exampleDoc, messageAfter } from './fixture';

/** Smallest config the schema accepts: only the required keys. */
const MINIMAL = `
version: 1
lake:
  location: ./lake
  columns: { user: uid, event: name }
results: { location: ./results }
metrics:
  - { id: events, type: count }
north_star: events
`;

describe('parseConfig: the docs/design.md §2 example', () => {
  const config = parseConfig(EXAMPLE_TEXT, 'nsm.config.yaml');

  it('reads every section as written', () => {
    expect(config.version).toBe(1);
    expect(config.timezone).toBe('UTC');
    expect(config.schedule).toBe('0 6 * * *');
    expect(config.source).toBe('nsm.config.yaml');
    expect(config.lake).toEqual({
      location: './demo/lake', // relative folders stay as written in core; the CLI resolves them
      format: 'json',
      partition: 'dt',
      columns: { user: 'user_id', account: 'account_id', event: 'event_name', time: 'event_time' },
      // Unquoted in the YAML: YAML 1.2 has no date type, so it stays the string the rules check.
      first_day: '2024-01-01',
      max_days_per_query: 31,
      athena: { database: 'product_events', table: 'events', workgroup: 'nsm', bytes_scanned_cutoff_gb: 100 },
    });
    expect(config.results).toEqual({ location: './demo/results' });
    expect(config.north_star).toBe('posting_teams_weekly');
    expect(config.tree).toEqual({
      posting_teams_weekly: ['new_teams', 'weekly_active_users', 'posts_per_active_user'],
    });
    expect(config.candidates).toEqual({
      cohort: { entry_event: 'signed_up', cohort_days: 28 },
      retention: { day: 90, window_days: 7 },
      min_lift: 2,
      max_p: 0.01,
      actions: [
        { id: 'payment_completed_d7', event: 'payment_completed', within_days: 7 },
        { id: 'report_shared_d7', event: 'report_shared', within_days: 7 },
      ],
    });
    expect(config.alerts).toEqual({
      watch: ['posting_teams_weekly', 'new_teams'],
      min_drop_pct: 10,
      min_robust_z: 3.5,
      baseline_weeks: 4,
      freshness: { min_ratio: 0.5, recheck_nights: 3 },
      remind_every_days: 0,
      notify: ['drop', 'recovered', 'data_incomplete'],
      digest: { every: 'weekly', weekday: 'mon' },
      email: ['growth-team@example.com'],
      sms: ['+15555550100'],
      sns_topic_arn: 'arn:aws:sns:us-east-1:123456789012:nsm-alerts',
    });
  });

  it('types every metric, applying name = id and the per-type defaults', () => {
    expect(config.metrics).toStrictEqual([
      {
        id: 'posting_teams_weekly',
        name: 'Weekly active teams with 3+ members posting',
        type: 'active_accounts',
        events: ['message_posted'],
        window_days: 7,
        min_users: 3,
      },
      { id: 'messages_posted', name: 'messages_posted', type: 'count', events: ['message_posted'], window_days: 1 },
      { id: 'weekly_active_users', name: 'weekly_active_users', type: 'distinct_users', events: undefined, window_days: 7 },
      { id: 'new_teams', name: 'new_teams', type: 'distinct_accounts', events: ['team_created'], window_days: 7 },
      {
        id: 'listening_hours',
        name: 'listening_hours',
        type: 'sum',
        events: ['track_played'],
        window_days: 1,
        property: 'duration_ms',
        scale: 2.7777777777777776e-7,
      },
      {
        id: 'posts_per_active_user',
        name: 'posts_per_active_user',
        type: 'ratio',
        numerator: 'messages_posted',
        denominator: 'weekly_active_users',
      },
    ]);
  });

  it('reads the same document written as JSON identically', () => {
    const json = JSON.stringify(exampleDoc(), null, 2);
    expect(json.startsWith('{')).toBe(true);
    expect(parseConfig(json, 'nsm.config.yaml')).toEqual(config);
  });

  it('defaults alerts.watch to the north star and every tree metric', () => {
    const doc = exampleDoc();
    delete doc.alerts.watch;
    expect(parseConfig(JSON.stringify(doc), 'x').alerts.watch).toEqual([
      'posting_teams_weekly',
      'new_teams',
      'weekly_active_users',
      'posts_per_active_user',
    ]);
  });
});

describe('parseConfig: the threshold sweep and the North Star check', () => {
  it('reads candidates.sweep as configured and north_star_check with max_lag_weeks defaulting to 8', () => {
    const doc = exampleDoc();
    doc.candidates.sweep = { min_count: [1, 3, 10], within_days: [7, 14] };
    doc.north_star_check = { revenue: 'listening_hours' };
    const config = parseConfig(JSON.stringify(doc), 'x');
    expect(config.candidates?.sweep).toStrictEqual({ min_count: [1, 3, 10], within_days: [7, 14] });
    expect(config.north_star_check).toStrictEqual({ revenue: 'listening_hours', max_lag_weeks: 8 });
  });

  it('leaves both out when absent, and names an unknown key inside them', () => {
    const config = parseConfig(EXAMPLE_TEXT, 'x');
    expect(config.candidates?.sweep).toBeUndefined();
    expect(config.north_star_check).toBeUndefined();
    expect(messageAfter((d) => (d.candidates.sweep = { min_count: [1], within_days: [7], max_count: [3] }))).toMatch(
      /^nsm\.config\.yaml: candidates\.sweep\.max_count: unknown key/,
    );
    expect(messageAfter((d) => (d.north_star_check = { revenue: 'listening_hours', max_lag: 4 }))).toMatch(
      /^nsm\.config\.yaml: north_star_check\.max_lag: unknown key/,
    );
  });
});

describe('parseConfig: defaults', () => {
  it('fills every default of docs/design.md §2 into a minimal config', () => {
    expect(parseConfig(MINIMAL, 'min.yaml')).toStrictEqual({
      version: 1,
      timezone: 'UTC',
      schedule: '0 6 * * *',
      lake: {
        location: './lake',
        format: 'json',
        partition: 'dt',
        columns: { user: 'uid', account: undefined, event: 'name', time: undefined },
        first_day: undefined,
        max_days_per_query: 31,
        athena: undefined,
      },
      results: { location: './results' },
      metrics: [{ id: 'events', name: 'events', type: 'count', events: undefined, window_days: 1 }],
      north_star: 'events',
      tree: {},
      relations: {},
      segments: undefined,
      candidates: undefined,
      north_star_check: undefined,
      alerts: {
        watch: ['events'],
        min_drop_pct: 10,
        min_robust_z: 3.5,
        baseline_weeks: 4,
        freshness: { min_ratio: 0.5, recheck_nights: 3 },
        remind_every_days: 0,
        notify: ['drop', 'recovered', 'data_incomplete'],
        digest: { every: 'weekly', weekday: 'mon' },
        email: [],
        sms: [],
        sns_topic_arn: undefined,
      },
      source: 'min.yaml',
    });
  });

  it("types a metric's alert overrides, and leaves them out of a metric without any", () => {
    const doc = exampleDoc();
    doc.metrics[1].alert = { min_drop_pct: 30, min_value: 100 };
    doc.metrics[5].alert = { min_robust_z: 2 };
    const config = parseConfig(JSON.stringify(doc), 'x');
    expect(config.metrics[1]).toMatchObject({
      id: 'messages_posted',
      alert: { min_drop_pct: 30, min_robust_z: undefined, min_value: 100 },
    });
    expect(config.metrics[5]).toMatchObject({ type: 'ratio', alert: { min_drop_pct: undefined, min_robust_z: 2, min_value: undefined } });
    expect('alert' in config.metrics[0]!).toBe(false);
  });

  it('defaults scale, min_users, the Athena cutoff, min_lift, max_p and freshness.min_ratio', () => {
    const doc = exampleDoc();
    delete doc.metrics[0].min_users;
    delete doc.metrics[4].scale;
    delete doc.lake.athena.bytes_scanned_cutoff_gb;
    delete doc.candidates.min_lift;
    delete doc.candidates.max_p;
    doc.alerts = { freshness: {} };
    const config = parseConfig(JSON.stringify(doc), 'x');
    expect(config.metrics[0]).toMatchObject({ type: 'active_accounts', min_users: 1 });
    expect(config.metrics[4]).toMatchObject({ type: 'sum', scale: 1 });
    expect(config.lake.athena?.bytes_scanned_cutoff_gb).toBe(100);
    expect(config.candidates).toMatchObject({ min_lift: 2, max_p: 0.01 });
    expect(config.alerts.freshness).toEqual({ min_ratio: 0.5, recheck_nights: 3 });
  });

  it('orders the default watch list depth first from the north star, then other top-level nodes', () => {
    const doc = exampleDoc();
    delete doc.alerts.watch;
    doc.tree = {
      listening_hours: ['messages_posted'],
      posting_teams_weekly: ['weekly_active_users', 'new_teams'],
      weekly_active_users: ['posts_per_active_user'],
    };
    expect(parseConfig(JSON.stringify(doc), 'x').alerts.watch).toEqual([
      'posting_teams_weekly',
      'weekly_active_users',
      'posts_per_active_user',
      'new_teams',
      'listening_hours',
      'messages_posted',
    ]);
  });

  it('reads tree relations: a plain list is influence, { product } and { sum } say how the parent is made', () => {
    const doc = exampleDoc();
    delete doc.alerts.watch;
    doc.tree.messages_posted = { product: ['listening_hours'] };
    doc.tree.listening_hours = { sum: ['new_teams'] };
    doc.tree.posting_teams_weekly = ['weekly_active_users', 'posts_per_active_user'];
    const config = parseConfig(JSON.stringify(doc), 'x');
    expect(config.tree).toEqual({
      posting_teams_weekly: ['weekly_active_users', 'posts_per_active_user'],
      messages_posted: ['listening_hours'],
      listening_hours: ['new_teams'],
    });
    expect(config.relations).toEqual({ posting_teams_weekly: 'influence', messages_posted: 'product', listening_hours: 'sum' });
    // The default watch list walks the children of every relation alike.
    expect(config.alerts.watch).toEqual([
      'posting_teams_weekly',
      'weekly_active_users',
      'posts_per_active_user',
      'messages_posted',
      'listening_hours',
      'new_teams',
    ]);
  });

  it('reads segments, max_values defaulting to 20', () => {
    const doc = exampleDoc();
    doc.segments = { dimensions: ['platform', 'country'] };
    expect(parseConfig(JSON.stringify(doc), 'x').segments).toEqual({ dimensions: ['platform', 'country'], max_values: 20 });
    doc.segments.max_values = 5;
    expect(parseConfig(JSON.stringify(doc), 'x').segments).toEqual({ dimensions: ['platform', 'country'], max_values: 5 });
  });

  it('keeps an explicitly empty watch list empty', () => {
    const doc = exampleDoc();
    doc.alerts.watch = [];
    expect(parseConfig(JSON.stringify(doc), 'x').alerts.watch).toEqual([]);
  });

  it('accepts a ratio of a ratio when there is no cycle', () => {
    const doc = exampleDoc();
    doc.metrics.push({ id: 'posts_per_hour', type: 'ratio', numerator: 'posts_per_active_user', denominator: 'listening_hours' });
    expect(parseConfig(JSON.stringify(doc), 'x').metrics).toHaveLength(7);
  });

  it('accepts s3:// locations and leaves them as written', () => {
    const doc = exampleDoc();
    doc.lake.location = 's3://acme-events/lake/';
    doc.results.location = 's3://acme-results';
    const config = parseConfig(JSON.stringify(doc), 'x');
    expect([config.lake.location, config.results.location]).toEqual(['s3://acme-events/lake/', 's3://acme-results']);
  });
});

describe('parseConfig: malformed YAML and JSON', () => {
  it.each([
    [
      'a bad indent on line 7',
      EXAMPLE_TEXT.replace('  format: json', '   format: json'),
      'nsm.config.yaml: line 7, column 1: All mapping items must start at the same column',
    ],
    ['a duplicate key', `${MINIMAL}north_star: events\n`, 'nsm.config.yaml: line 10, column 1: Map keys must be unique'],
    [
      'an unclosed flow list',
      'version: 1\nmetrics: [a, b\n',
      'nsm.config.yaml: line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['an unclosed quote', 'version: 1\ntimezone: "UTC\n', 'nsm.config.yaml: line 3, column 1: Missing closing "quote'],
    ['a tab used as indentation', 'lake:\n\tlocation: x\n', 'nsm.config.yaml: line 2, column 1: Tabs are not allowed as indentation'],
    [
      'two documents',
      `${MINIMAL}---\nversion: 1\n`,
      'nsm.config.yaml: line 10, column 1: Source contains multiple documents; please use YAML.parseAllDocuments()',
    ],
    // Line 3 lacks the comma after `}`; yaml notices at the next item.
    [
      'broken JSON',
      '{\n  "version": 1,\n  "lake": {"location": "x"}\n  "results": {}\n}\n',
      'nsm.config.yaml: line 4, column 3: Missing , between flow map items',
    ],
    ['an alias without its anchor', 'version: *v\n', 'nsm.config.yaml: Unresolved alias (the anchor must be set before the alias): v'],
    ['an empty file', '', 'nsm.config.yaml: the file is empty'],
    ['a file of comments', '# nothing yet\n', 'nsm.config.yaml: the file is empty'],
    ['a top-level list', '- version: 1\n', 'nsm.config.yaml: must be a mapping, got a list'],
    ['a top-level string', 'version 1\n', 'nsm.config.yaml: must be a mapping, got a string'],
  ])('%s', (_, text, message) => {
    expect(errorFor(text).message).toBe(message);
  });

  it('throws a ConfigError (exit code 2) carrying file, field and problem', () => {
    const error = errorFor(
      EXAMPLE_TEXT.replace('window_days: 7 }\n  - { id: messages_posted', 'window_days: 0 }\n  - { id: messages_posted'),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.exitCode).toBe(2);
    expect([error.file, error.field, error.problem]).toEqual(['nsm.config.yaml', 'metrics[0].window_days', 'must be >= 1']);
  });
});

describe('parseConfig: shape errors (one message, the first issue)', () => {
  it.each<[string, (doc: Record<string, any>) => void, string]>([
    ['an unknown top-level key', (d) => (d.metric = []), "nsm.config.yaml: metric: unknown key (did you mean 'metrics'?)"],
    [
      'an unknown key unlike any other',
      (d) => (d.owner = 'me'),
      'nsm.config.yaml: owner: unknown key (allowed: version, timezone, schedule, lake, results, metrics, north_star, tree, segments, candidates, north_star_check, alerts)',
    ],
    [
      'a typo in a metric key',
      (d) => {
        d.metrics[1].window_day = d.metrics[1].window_days;
        delete d.metrics[1].window_days;
      },
      "nsm.config.yaml: metrics[1].window_day: unknown key (did you mean 'window_days'?)",
    ],
    [
      "a key of another metric type (count has no 'property')",
      (d) => (d.metrics[1].property = 'duration_ms'),
      'nsm.config.yaml: metrics[1].property: unknown key (allowed: id, name, events, window_days, type, alert)',
    ],
    [
      "an unknown key in a metric's alert overrides",
      (d) => (d.metrics[1].alert = { min_drop: 30 }),
      'nsm.config.yaml: metrics[1].alert.min_drop: unknown key (allowed: min_drop_pct, min_robust_z, min_value)',
    ],
    [
      'alert overrides that are not a mapping',
      (d) => (d.metrics[1].alert = 30),
      'nsm.config.yaml: metrics[1].alert: must be a mapping, got a number',
    ],
    [
      'a window on a ratio',
      (d) => (d.metrics[5].window_days = 7),
      'nsm.config.yaml: metrics[5].window_days: unknown key (allowed: id, name, type, numerator, denominator, alert)',
    ],
    [
      'an unknown metric type',
      (d) => (d.metrics[2].type = 'unique_users'),
      "nsm.config.yaml: metrics[2].type: unknown type 'unique_users' (allowed: count, sum, distinct_users, distinct_accounts, active_accounts, ratio)",
    ],
    [
      'a missing metric type',
      (d) => delete d.metrics[2].type,
      'nsm.config.yaml: metrics[2].type: is required (one of: count, sum, distinct_users, distinct_accounts, active_accounts, ratio)',
    ],
    ['a missing required key', (d) => delete d.north_star, 'nsm.config.yaml: north_star: is required'],
    ['a missing nested key', (d) => delete d.lake.columns.event, 'nsm.config.yaml: lake.columns.event: is required'],
    ['a missing sum property', (d) => delete d.metrics[4].property, 'nsm.config.yaml: metrics[4].property: is required'],
    [
      'a number written as a string',
      (d) => (d.metrics[0].min_users = '3'),
      'nsm.config.yaml: metrics[0].min_users: must be a number, got a string',
    ],
    [
      'an empty value',
      (d) => (d.alerts.baseline_weeks = null),
      'nsm.config.yaml: alerts.baseline_weeks: must be a number, got an empty value',
    ],
    [
      'a string instead of a list',
      (d) => (d.metrics[0].events = 'message_posted'),
      'nsm.config.yaml: metrics[0].events: must be a list, got a string',
    ],
    ['a list instead of a mapping', (d) => (d.lake.columns = ['user_id']), 'nsm.config.yaml: lake.columns: must be a mapping, got a list'],
    ['a metric that is not a mapping', (d) => (d.metrics[3] = 'new_teams'), 'nsm.config.yaml: metrics[3]: must be a mapping, got a string'],
    [
      'a number instead of a tree child',
      (d) => (d.tree.posting_teams_weekly[1] = 7),
      'nsm.config.yaml: tree.posting_teams_weekly[1]: must be a string, got a number',
    ],
    [
      'a tree entry that is a string',
      (d) => (d.tree.posting_teams_weekly = 'new_teams'),
      'nsm.config.yaml: tree.posting_teams_weekly: must be a list of metric ids, { product: [...] } or { sum: [...] }, got a string',
    ],
    [
      'a typo in a tree relation',
      (d) => (d.tree.messages_posted = { prodcut: ['new_teams'] }),
      "nsm.config.yaml: tree.messages_posted.prodcut: unknown key (did you mean 'product'?)",
    ],
    [
      'a product that is not a list',
      (d) => (d.tree.messages_posted = { product: 'new_teams' }),
      'nsm.config.yaml: tree.messages_posted.product: must be a list, got a string',
    ],
    [
      'a segments dimension list that is a string',
      (d) => (d.segments = { dimensions: 'platform' }),
      'nsm.config.yaml: segments.dimensions: must be a list, got a string',
    ],
    ['segments without dimensions', (d) => (d.segments = { max_values: 5 }), 'nsm.config.yaml: segments.dimensions: is required'],
    ['version 2', (d) => (d.version = 2), 'nsm.config.yaml: version: must be 1, got 2'],
    ['no version', (d) => delete d.version, 'nsm.config.yaml: version: is required'],
    ['an unknown lake format', (d) => (d.lake.format = 'csv'), "nsm.config.yaml: lake.format: must be 'json' or 'parquet', got 'csv'"],
  ])('%s', (_, mutate, message) => {
    expect(messageAfter(mutate)).toBe(message);
  });

  // A misspelt key makes its correct spelling missing too; the unknown key is the mistake to name.
  it.each<[string, (doc: Record<string, any>) => void, string]>([
    [
      'a misspelt required top-level key',
      (d) => {
        d.northstar = d.north_star;
        delete d.north_star;
      },
      "nsm.config.yaml: northstar: unknown key (did you mean 'north_star'?)",
    ],
    [
      'a misspelt required key two levels down',
      (d) => (d.candidates.retention = { days: 21, window_days: 7 }),
      "nsm.config.yaml: candidates.retention.days: unknown key (did you mean 'day'?)",
    ],
    [
      'a misspelt required section',
      (d) => {
        d.lakes = d.lake;
        delete d.lake;
      },
      "nsm.config.yaml: lakes: unknown key (did you mean 'lake'?)",
    ],
    [
      'a misspelt lake column',
      (d) => (d.lake.columns = { usr: 'user_id', event: 'event_name' }),
      "nsm.config.yaml: lake.columns.usr: unknown key (did you mean 'user'?)",
    ],
    [
      'a misspelt athena key',
      (d) => (d.lake.athena = { databse: 'db', table: 't', workgroup: 'w' }),
      "nsm.config.yaml: lake.athena.databse: unknown key (did you mean 'database'?)",
    ],
    [
      'a misspelt sum property',
      (d) => {
        d.metrics[4].proprety = d.metrics[4].property;
        delete d.metrics[4].property;
      },
      "nsm.config.yaml: metrics[4].proprety: unknown key (did you mean 'property'?)",
    ],
    [
      'a misspelt metric type key (the type is the union discriminator)',
      (d) => {
        d.metrics[2].typ = d.metrics[2].type;
        delete d.metrics[2].type;
      },
      "nsm.config.yaml: metrics[2].typ: unknown key (did you mean 'type'?)",
    ],
    [
      'a misspelt candidate action key',
      (d) => (d.candidates.actions[1] = { id: 'x', evnt: 'report_shared', within_days: 7 }),
      "nsm.config.yaml: candidates.actions[1].evnt: unknown key (did you mean 'event'?)",
    ],
    [
      'an unknown key after a missing key elsewhere (unknown keys are reported first)',
      (d) => {
        delete d.version;
        d.alerts.freshnes = d.alerts.freshness;
        delete d.alerts.freshness;
      },
      "nsm.config.yaml: alerts.freshnes: unknown key (did you mean 'freshness'?)",
    ],
  ])('%s', (_, mutate, message) => {
    expect(messageAfter(mutate)).toBe(message);
  });

  it('still reports a missing metric type when no key is unknown', () => {
    expect(messageAfter((d) => delete d.metrics[0].type)).toBe(
      'nsm.config.yaml: metrics[0].type: is required (one of: count, sum, distinct_users, distinct_accounts, active_accounts, ratio)',
    );
  });

  it('reports a non-finite YAML number', () => {
    const text = EXAMPLE_TEXT.replace('min_users: 3', 'min_users: .inf');
    expect(errorFor(text).message).toBe('nsm.config.yaml: metrics[0].min_users: must be a finite number, got Infinity');
  });

  it('round-trips through the yaml package too (block style)', () => {
    expect(parseConfig(stringify(exampleDoc()), 'x')).toEqual(parseConfig(EXAMPLE_TEXT, 'x'));
  });
});
