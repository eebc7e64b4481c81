import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../functions/core/config/parse';
import { checkRules } from '../../../../functions/core/config/rules';
import { configSchema } from '../../../../functions/core/config/schema';
import { type Doc, errorFor, exampleDoc, messageAfter } from './fixture';

type Case = [string, (doc: Doc) => void, string];

/** Every rule of docs/design.md §2, broken one at a time in the example config, with its whole message. */
const CASES: Case[] = [
  // timezone and schedule
  [
    'an unknown time zone',
    (d) => (d.timezone = 'Mars/Base'),
    "nsm.config.yaml: timezone: unknown time zone 'Mars/Base' (use an IANA name such as UTC or Europe/Berlin)",
  ],
  [
    'a UTC offset as time zone',
    (d) => (d.timezone = '+05:30'),
    "nsm.config.yaml: timezone: unknown time zone '+05:30' (use an IANA name such as UTC or Europe/Berlin)",
  ],
  ['an empty time zone', (d) => (d.timezone = ''), 'nsm.config.yaml: timezone: must not be empty'],
  [
    'a 4-field schedule',
    (d) => (d.schedule = '0 6 * *'),
    'nsm.config.yaml: schedule: must be a cron expression of 5 fields (minute hour day month weekday), got 4',
  ],
  [
    'a 6-field (EventBridge) schedule',
    (d) => (d.schedule = '0 6 * * ? *'),
    'nsm.config.yaml: schedule: must be a cron expression of 5 fields (minute hour day month weekday), got 6',
  ],
  ['a minute out of range', (d) => (d.schedule = '60 6 * * *'), "nsm.config.yaml: schedule: minute '60' is out of range 0-59"],
  [
    'day of month and weekday both set',
    (d) => (d.schedule = '0 6 1 * MON'),
    'nsm.config.yaml: schedule: day of month and day of week cannot both be restricted (EventBridge allows only one)',
  ],

  // a schedule runs at most once an hour: its minute field names exactly one minute
  [
    'a schedule every minute',
    (d) => (d.schedule = '* * * * *'),
    "nsm.config.yaml: schedule: minute '*' runs the job 60 times an hour; name one minute (such as 0) so it runs at most once an hour",
  ],
  [
    'a schedule every 15 minutes',
    (d) => (d.schedule = '*/15 6 * * *'),
    "nsm.config.yaml: schedule: minute '*/15' runs the job 4 times an hour; name one minute (such as 0) so it runs at most once an hour",
  ],
  [
    'a schedule at two minutes of the hour',
    (d) => (d.schedule = '0,30 6 * * *'),
    "nsm.config.yaml: schedule: minute '0,30' runs the job 2 times an hour; name one minute (such as 0) so it runs at most once an hour",
  ],

  // lake and results
  [
    'a results folder inside the lake',
    (d) => ((d.lake.location = './data/lake'), (d.results.location = './data/lake/nsm')),
    "nsm.config.yaml: results.location: './data/lake/nsm' lies inside lake.location './data/lake'; the lake's readers would see the results (use a folder beside the lake)",
  ],
  [
    'the results folder being the lake',
    (d) => ((d.lake.location = 'data/lake/'), (d.results.location = './data//lake')),
    "nsm.config.yaml: results.location: './data//lake' is lake.location 'data/lake/'; the lake's readers would see the results (use a folder beside the lake)",
  ],
  [
    'the lake inside the results folder',
    (d) => ((d.lake.location = '/srv/nsm/lake'), (d.results.location = '/srv/nsm')),
    "nsm.config.yaml: results.location: '/srv/nsm' holds lake.location '/srv/nsm/lake'; a run's housekeeping would reach into the lake (use a folder beside the lake)",
  ],
  [
    'an S3 results prefix inside the lake prefix',
    (d) => ((d.lake.location = 's3://acme-events/lake'), (d.results.location = 's3://acme-events/lake/results')),
    "nsm.config.yaml: results.location: 's3://acme-events/lake/results' lies inside lake.location 's3://acme-events/lake'; the lake's readers would see the results (use a folder beside the lake)",
  ],
  [
    'an http lake',
    (d) => (d.lake.location = 'https://example.com/lake'),
    "nsm.config.yaml: lake.location: must be s3://bucket/prefix or a local path, got 'https://example.com/lake'",
  ],
  [
    'an upper-case S3 scheme',
    (d) => (d.lake.location = 'S3://acme/lake'),
    "nsm.config.yaml: lake.location: must be s3://bucket/prefix or a local path, got 'S3://acme/lake'",
  ],
  [
    'a bad bucket name',
    (d) => (d.lake.location = 's3://Acme_Events/lake'),
    "nsm.config.yaml: lake.location: 'Acme_Events' is not a valid S3 bucket name (in 's3://Acme_Events/lake')",
  ],
  ['an empty lake location', (d) => (d.lake.location = ' '), 'nsm.config.yaml: lake.location: must not be empty'],
  [
    'an S3 results prefix with an empty segment',
    (d) => (d.results.location = 's3://acme-results//nsm'),
    "nsm.config.yaml: results.location: 's3://acme-results//nsm' has an empty, '.' or '..' path segment",
  ],
  [
    'a column name that is not an identifier',
    (d) => (d.lake.columns.user = 'user id'),
    "nsm.config.yaml: lake.columns.user: 'user id' is not an SQL identifier (letters, digits and _, not starting with a digit)",
  ],
  [
    'an optional column that is not an identifier',
    (d) => (d.lake.columns.time = 'event-time'),
    "nsm.config.yaml: lake.columns.time: 'event-time' is not an SQL identifier (letters, digits and _, not starting with a digit)",
  ],
  [
    'a partition key starting with a digit',
    (d) => (d.lake.partition = '1dt'),
    "nsm.config.yaml: lake.partition: '1dt' is not an SQL identifier (letters, digits and _, not starting with a digit)",
  ],
  [
    'a quote in an Athena table name',
    (d) => (d.lake.athena.table = 'events"; drop'),
    `nsm.config.yaml: lake.athena.table: 'events"; drop' is not an SQL identifier (letters, digits and _, not starting with a digit)`,
  ],
  [
    'a dotted Athena database name',
    (d) => (d.lake.athena.database = 'prod.events'),
    "nsm.config.yaml: lake.athena.database: 'prod.events' is not an SQL identifier (letters, digits and _, not starting with a digit)",
  ],
  [
    'a space in the Athena workgroup',
    (d) => (d.lake.athena.workgroup = 'nsm prod'),
    "nsm.config.yaml: lake.athena.workgroup: 'nsm prod' is not an Athena workgroup name (1-128 letters, digits, '.', '_' and '-')",
  ],
  [
    'a first day that is not a calendar day',
    (d) => (d.lake.first_day = '2023-02-30'),
    "nsm.config.yaml: lake.first_day: '2023-02-30' is not a day (expected YYYY-MM-DD)",
  ],
  [
    'a first day written another way',
    (d) => (d.lake.first_day = '15.01.2023'),
    "nsm.config.yaml: lake.first_day: '15.01.2023' is not a day (expected YYYY-MM-DD)",
  ],
  ['no day per query', (d) => (d.lake.max_days_per_query = 0), 'nsm.config.yaml: lake.max_days_per_query: must be >= 1'],
  ['part of a day per query', (d) => (d.lake.max_days_per_query = 7.5), 'nsm.config.yaml: lake.max_days_per_query: must be an integer'],
  [
    'more than a year per query',
    (d) => (d.lake.max_days_per_query = 367),
    'nsm.config.yaml: lake.max_days_per_query: must be <= 366 (a year)',
  ],
  [
    "a scan cutoff below Athena's minimum",
    (d) => (d.lake.athena.bytes_scanned_cutoff_gb = 0),
    "nsm.config.yaml: lake.athena.bytes_scanned_cutoff_gb: must be >= 0.01 (Athena's minimum is 10 MB)",
  ],

  // metrics
  ['an empty metric list', (d) => (d.metrics = []), 'nsm.config.yaml: metrics: must list at least one metric'],
  [
    'an upper-case metric id',
    (d) => (d.metrics[1].id = 'Messages'),
    "nsm.config.yaml: metrics[1].id: 'Messages' is not a valid id (lowercase letters, digits and _, starting with a letter)",
  ],
  [
    'a metric id starting with a digit',
    (d) => (d.metrics[1].id = '7d_messages'),
    "nsm.config.yaml: metrics[1].id: '7d_messages' is not a valid id (lowercase letters, digits and _, starting with a letter)",
  ],
  [
    'duplicate metric ids',
    (d) => (d.metrics[3].id = 'messages_posted'),
    "nsm.config.yaml: metrics[3].id: duplicate id 'messages_posted' (also metrics[1])",
  ],
  [
    "a negative drop threshold in a metric's overrides",
    (d) => (d.metrics[1].alert = { min_drop_pct: -5 }),
    'nsm.config.yaml: metrics[1].alert.min_drop_pct: must be >= 0',
  ],
  [
    "a negative robust z in a metric's overrides",
    (d) => (d.metrics[5].alert = { min_robust_z: -1 }),
    'nsm.config.yaml: metrics[5].alert.min_robust_z: must be >= 0',
  ],
  ['an empty metric name', (d) => (d.metrics[0].name = ''), 'nsm.config.yaml: metrics[0].name: must not be empty'],
  ['window_days: 0', (d) => (d.metrics[1].window_days = 0), 'nsm.config.yaml: metrics[1].window_days: must be >= 1'],
  ['a fractional window', (d) => (d.metrics[3].window_days = 1.5), 'nsm.config.yaml: metrics[3].window_days: must be an integer'],
  ['min_users: 0', (d) => (d.metrics[0].min_users = 0), 'nsm.config.yaml: metrics[0].min_users: must be >= 1'],
  [
    'an empty events list',
    (d) => (d.metrics[1].events = []),
    'nsm.config.yaml: metrics[1].events: must not be empty (omit events to use every event)',
  ],
  [
    'an empty event name',
    (d) => (d.metrics[1].events = ['message_posted', '']),
    'nsm.config.yaml: metrics[1].events[1]: must not be empty',
  ],
  [
    'a sum property that is not an identifier',
    (d) => (d.metrics[4].property = 'duration ms'),
    "nsm.config.yaml: metrics[4].property: 'duration ms' is not an SQL identifier (letters, digits and _, not starting with a digit)",
  ],
  [
    'an account metric without an account column',
    (d) => delete d.lake.columns.account,
    "nsm.config.yaml: metrics[0].type: 'active_accounts' needs lake.columns.account",
  ],
  [
    'a ratio referring to a missing metric',
    (d) => (d.metrics[5].denominator = 'active_users'),
    "nsm.config.yaml: metrics[5].denominator: unknown metric 'active_users'",
  ],
  [
    'a ratio referring to a misspelt metric',
    (d) => (d.metrics[5].numerator = 'message_posted'),
    "nsm.config.yaml: metrics[5].numerator: unknown metric 'message_posted' (did you mean 'messages_posted'?)",
  ],
  [
    'a ratio referring to itself',
    (d) => (d.metrics[5].numerator = 'posts_per_active_user'),
    'nsm.config.yaml: metrics[5].numerator: a ratio cannot refer to itself',
  ],
  [
    'a ratio of a metric by itself',
    (d) => (d.metrics[5].denominator = 'messages_posted'),
    'nsm.config.yaml: metrics[5].denominator: must differ from the numerator',
  ],
  [
    'a cycle of ratios',
    (d) => {
      d.metrics[5].numerator = 'posts_share';
      d.metrics.push({ id: 'posts_share', type: 'ratio', numerator: 'posts_per_active_user', denominator: 'messages_posted' });
    },
    'nsm.config.yaml: metrics[6].numerator: cycle of ratios: posts_per_active_user -> posts_share -> posts_per_active_user',
  ],

  // north star and tree
  ['an unknown north star', (d) => (d.north_star = 'foo'), "nsm.config.yaml: north_star: unknown metric 'foo'"],
  ['an unknown tree parent', (d) => (d.tree.revenue = ['listening_hours']), "nsm.config.yaml: tree.revenue: unknown metric 'revenue'"],
  [
    'an unknown tree child',
    (d) => (d.tree.posting_teams_weekly[1] = 'foo'),
    "nsm.config.yaml: tree.posting_teams_weekly[1]: unknown metric 'foo'",
  ],
  [
    'a node that is its own child',
    (d) => (d.tree.new_teams = ['new_teams']),
    "nsm.config.yaml: tree.new_teams[0]: 'new_teams' cannot be its own child",
  ],
  [
    'a child listed twice',
    (d) => d.tree.posting_teams_weekly.push('new_teams'),
    "nsm.config.yaml: tree.posting_teams_weekly[3]: 'new_teams' is listed twice",
  ],
  [
    'a node with two parents',
    (d) => (d.tree.weekly_active_users = ['messages_posted', 'new_teams']),
    "nsm.config.yaml: tree.weekly_active_users[1]: 'new_teams' has two parents: posting_teams_weekly and weekly_active_users",
  ],
  [
    'a cycle in the tree',
    (d) => {
      d.tree.messages_posted = ['listening_hours'];
      d.tree.listening_hours = ['messages_posted'];
    },
    'nsm.config.yaml: tree.listening_hours[0]: cycle in tree: messages_posted -> listening_hours -> messages_posted',
  ],
  [
    'the north star as a child',
    (d) => (d.tree.messages_posted = ['posting_teams_weekly']),
    "nsm.config.yaml: tree.messages_posted[0]: 'posting_teams_weekly' is the north star and cannot be a child",
  ],
  ['a parent without children', (d) => (d.tree.new_teams = []), 'nsm.config.yaml: tree.new_teams: must list at least one child'],
  [
    'a product child that does not exist',
    (d) => (d.tree.messages_posted = { product: ['listening_hours', 'posters'] }),
    "nsm.config.yaml: tree.messages_posted.product[1]: unknown metric 'posters'",
  ],
  [
    'a sum whose child is the parent',
    (d) => (d.tree.messages_posted = { sum: ['messages_posted'] }),
    "nsm.config.yaml: tree.messages_posted.sum[0]: 'messages_posted' cannot be its own child",
  ],
  [
    'a product child that already has a parent',
    (d) => (d.tree.messages_posted = { product: ['listening_hours', 'new_teams'] }),
    "nsm.config.yaml: tree.messages_posted.product[1]: 'new_teams' has two parents: posting_teams_weekly and messages_posted",
  ],
  [
    'a cycle through a sum',
    (d) => {
      d.tree.messages_posted = { sum: ['listening_hours'] };
      d.tree.listening_hours = { product: ['messages_posted'] };
    },
    'nsm.config.yaml: tree.listening_hours.product[0]: cycle in tree: messages_posted -> listening_hours -> messages_posted',
  ],
  [
    'the north star under a product',
    (d) => (d.tree.messages_posted = { product: ['listening_hours', 'posting_teams_weekly'] }),
    "nsm.config.yaml: tree.messages_posted.product[1]: 'posting_teams_weekly' is the north star and cannot be a child",
  ],
  [
    'both product and sum',
    (d) => (d.tree.messages_posted = { product: ['listening_hours'], sum: ['listening_hours'] }),
    'nsm.config.yaml: tree.messages_posted: has both product and sum (pick one)',
  ],
  [
    'a mapping with neither product nor sum',
    (d) => (d.tree.messages_posted = {}),
    'nsm.config.yaml: tree.messages_posted: needs product or sum (or a plain list of children)',
  ],
  [
    'an empty product',
    (d) => (d.tree.messages_posted = { product: [] }),
    'nsm.config.yaml: tree.messages_posted.product: must list at least one child',
  ],

  // segments
  ['no dimensions', (d) => (d.segments = { dimensions: [] }), 'nsm.config.yaml: segments.dimensions: must list at least one lake column'],
  [
    'eleven dimensions',
    (d) => (d.segments = { dimensions: Array.from({ length: 11 }, (_, i) => `c${i}`) }),
    'nsm.config.yaml: segments.dimensions: must list at most 10 columns',
  ],
  [
    'a dimension that is not an identifier',
    (d) => (d.segments = { dimensions: ['platform', 'os version'] }),
    "nsm.config.yaml: segments.dimensions[1]: 'os version' is not an SQL identifier (letters, digits and _, not starting with a digit)",
  ],
  [
    'a dimension listed twice in another case',
    (d) => (d.segments = { dimensions: ['platform', 'Platform'] }),
    "nsm.config.yaml: segments.dimensions[1]: 'Platform' is listed twice (also segments.dimensions[0]; column names ignore case)",
  ],
  [
    'the partition column as a dimension',
    (d) => (d.segments = { dimensions: ['dt'] }),
    "nsm.config.yaml: segments.dimensions[0]: 'dt' is the partition column (its value is the day)",
  ],
  [
    'max_values: 0',
    (d) => (d.segments = { dimensions: ['platform'], max_values: 0 }),
    'nsm.config.yaml: segments.max_values: must be >= 1',
  ],
  [
    'max_values: 2.5',
    (d) => (d.segments = { dimensions: ['platform'], max_values: 2.5 }),
    'nsm.config.yaml: segments.max_values: must be an integer',
  ],
  [
    'max_values: 101',
    (d) => (d.segments = { dimensions: ['platform'], max_values: 101 }),
    'nsm.config.yaml: segments.max_values: must be <= 100',
  ],
  [
    'segments with nothing watched',
    (d) => {
      d.segments = { dimensions: ['platform'] };
      d.alerts.watch = [];
    },
    'nsm.config.yaml: segments: alerts.watch is empty, so no metric is broken down (watch a metric or remove segments)',
  ],

  // candidates
  [
    'an empty entry event',
    (d) => (d.candidates.cohort.entry_event = ''),
    'nsm.config.yaml: candidates.cohort.entry_event: must not be empty',
  ],
  ['cohort_days: 0', (d) => (d.candidates.cohort.cohort_days = 0), 'nsm.config.yaml: candidates.cohort.cohort_days: must be >= 1'],
  ['retention.day: 0', (d) => (d.candidates.retention.day = 0), 'nsm.config.yaml: candidates.retention.day: must be >= 1'],
  [
    'retention.window_days: 0',
    (d) => (d.candidates.retention.window_days = 0),
    'nsm.config.yaml: candidates.retention.window_days: must be >= 1',
  ],
  [
    'a retention window longer than the retention day',
    (d) => (d.candidates.retention.window_days = 91),
    'nsm.config.yaml: candidates.retention.window_days: must be <= retention.day (90)',
  ],
  ['min_lift: 0', (d) => (d.candidates.min_lift = 0), 'nsm.config.yaml: candidates.min_lift: must be > 0'],
  ['max_p: 1', (d) => (d.candidates.max_p = 1), 'nsm.config.yaml: candidates.max_p: must be > 0 and < 1'],
  ['max_p: 0', (d) => (d.candidates.max_p = 0), 'nsm.config.yaml: candidates.max_p: must be > 0 and < 1'],
  ['no actions', (d) => (d.candidates.actions = []), 'nsm.config.yaml: candidates.actions: must list at least one action'],
  [
    'an action id with a dash',
    (d) => (d.candidates.actions[0].id = 'paid-d7'),
    "nsm.config.yaml: candidates.actions[0].id: 'paid-d7' is not a valid id (lowercase letters, digits and _, starting with a letter)",
  ],
  [
    'duplicate action ids',
    (d) => (d.candidates.actions[1].id = 'payment_completed_d7'),
    "nsm.config.yaml: candidates.actions[1].id: duplicate id 'payment_completed_d7' (also candidates.actions[0])",
  ],
  ['an empty action event', (d) => (d.candidates.actions[1].event = ''), 'nsm.config.yaml: candidates.actions[1].event: must not be empty'],
  ['within_days: 0', (d) => (d.candidates.actions[1].within_days = 0), 'nsm.config.yaml: candidates.actions[1].within_days: must be >= 1'],

  // candidates.sweep
  [
    'an empty min_count list',
    (d) => (d.candidates.sweep = { min_count: [], within_days: [7] }),
    'nsm.config.yaml: candidates.sweep.min_count: must list at least one value',
  ],
  [
    'a min_count of 0',
    (d) => (d.candidates.sweep = { min_count: [1, 0], within_days: [7] }),
    'nsm.config.yaml: candidates.sweep.min_count[1]: must be >= 1',
  ],
  [
    'a fractional within_days',
    (d) => (d.candidates.sweep = { min_count: [1], within_days: [3.5] }),
    'nsm.config.yaml: candidates.sweep.within_days[0]: must be an integer',
  ],
  [
    'a within_days listed twice',
    (d) => (d.candidates.sweep = { min_count: [1], within_days: [3, 7, 3] }),
    'nsm.config.yaml: candidates.sweep.within_days[2]: 3 is listed twice',
  ],
  [
    'a within_days of 100,000 (a year at most, like the actions)',
    (d) => (d.candidates.sweep = { min_count: [1], within_days: [7, 100_000] }),
    'nsm.config.yaml: candidates.sweep.within_days[1]: must be <= 366 (each night reads that many days)',
  ],
  [
    'more than 200 cells',
    (d) => (d.candidates.sweep = { min_count: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], within_days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }),
    'nsm.config.yaml: candidates.sweep: 11 min_count × 10 within_days × 2 actions = 220 cells; at most 200',
  ],

  // north_star_check
  [
    'a check naming a missing revenue metric',
    (d) => (d.north_star_check = { revenue: 'revenue' }),
    "nsm.config.yaml: north_star_check.revenue: unknown metric 'revenue'",
  ],
  [
    'a check of the north star against itself',
    (d) => (d.north_star_check = { revenue: 'posting_teams_weekly' }),
    "nsm.config.yaml: north_star_check.revenue: 'posting_teams_weekly' is the north star; name the revenue metric",
  ],
  [
    'a negative lag',
    (d) => (d.north_star_check = { revenue: 'listening_hours', max_lag_weeks: -1 }),
    'nsm.config.yaml: north_star_check.max_lag_weeks: must be >= 0',
  ],
  [
    'a lag beyond the history read',
    (d) => (d.north_star_check = { revenue: 'listening_hours', max_lag_weeks: 27 }),
    'nsm.config.yaml: north_star_check.max_lag_weeks: must be <= 26',
  ],

  // alerts
  ['watch naming a missing metric', (d) => (d.alerts.watch = ['foo']), "nsm.config.yaml: alerts.watch[0]: unknown metric 'foo'"],
  [
    'watch naming a misspelt metric',
    (d) => (d.alerts.watch[1] = 'new_team'),
    "nsm.config.yaml: alerts.watch[1]: unknown metric 'new_team' (did you mean 'new_teams'?)",
  ],
  [
    'watch listing a metric twice',
    (d) => d.alerts.watch.push('new_teams'),
    "nsm.config.yaml: alerts.watch[2]: 'new_teams' is listed twice",
  ],
  ['a negative drop threshold', (d) => (d.alerts.min_drop_pct = -5), 'nsm.config.yaml: alerts.min_drop_pct: must be >= 0'],
  ['a negative robust z', (d) => (d.alerts.min_robust_z = -3.5), 'nsm.config.yaml: alerts.min_robust_z: must be >= 0'],
  ['baseline_weeks: 0', (d) => (d.alerts.baseline_weeks = 0), 'nsm.config.yaml: alerts.baseline_weeks: must be >= 1'],
  ['fractional baseline weeks', (d) => (d.alerts.baseline_weeks = 2.5), 'nsm.config.yaml: alerts.baseline_weeks: must be an integer'],
  [
    'a freshness ratio above 1',
    (d) => (d.alerts.freshness.min_ratio = 1.5),
    'nsm.config.yaml: alerts.freshness.min_ratio: must be between 0 and 1',
  ],
  [
    'an email without a domain',
    (d) => (d.alerts.email = ['growth-team']),
    "nsm.config.yaml: alerts.email[0]: 'growth-team' is not an email address",
  ],
  [
    'a phone number without +country',
    (d) => (d.alerts.sms = ['5555550100']),
    "nsm.config.yaml: alerts.sms[0]: '5555550100' is not a phone number in E.164 form (such as +15555550100)",
  ],
  [
    'a placeholder topic ARN',
    (d) => (d.alerts.sns_topic_arn = 'arn:aws:sns:…'),
    "nsm.config.yaml: alerts.sns_topic_arn: 'arn:aws:sns:…' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)",
  ],
  ['fractional reminder days', (d) => (d.alerts.remind_every_days = 1.5), 'nsm.config.yaml: alerts.remind_every_days: must be an integer'],
  ['negative reminder days', (d) => (d.alerts.remind_every_days = -1), 'nsm.config.yaml: alerts.remind_every_days: must be >= 0'],
  [
    'an unknown alert kind in notify',
    (d) => (d.alerts.notify = ['drop', 'recoverd']),
    "nsm.config.yaml: alerts.notify[1]: unknown alert kind 'recoverd' (did you mean 'recovered'?)",
  ],
  [
    'an alert kind unlike any other',
    (d) => (d.alerts.notify = ['digest_weekly_x']),
    "nsm.config.yaml: alerts.notify[0]: unknown alert kind 'digest_weekly_x' (allowed: drop, still_down, recovered, data_incomplete)",
  ],
  ['a kind listed twice', (d) => (d.alerts.notify = ['drop', 'drop']), "nsm.config.yaml: alerts.notify[1]: 'drop' is listed twice"],
  [
    'still_down without remind_every_days',
    (d) => (d.alerts.notify = ['drop', 'still_down']),
    'nsm.config.yaml: alerts.notify: lists still_down but alerts.remind_every_days is 0 (never): set remind_every_days to send reminders',
  ],
  [
    'remind_every_days with a notify list that leaves out still_down',
    (d) => ((d.alerts.remind_every_days = 3), (d.alerts.notify = ['drop', 'recovered'])),
    'nsm.config.yaml: alerts.remind_every_days: is 3 but alerts.notify leaves out still_down: add still_down to notify, or remove remind_every_days',
  ],

  // bounded configs: a valid config cannot ask a night for unbounded work (core/config/limits.ts)
  [
    'a window of 100,000 days',
    (d) => (d.metrics[1].window_days = 100_000),
    'nsm.config.yaml: metrics[1].window_days: must be <= 366 (each night reads that many days)',
  ],
  [
    'a 300-character metric id',
    (d) => (d.metrics[1].id = 'm'.repeat(300)),
    'nsm.config.yaml: metrics[1].id: is 300 characters long; an id has at most 64',
  ],
  [
    'a 65-character action id',
    (d) => (d.candidates.actions[0].id = 'a'.repeat(65)),
    'nsm.config.yaml: candidates.actions[0].id: is 65 characters long; an id has at most 64',
  ],
  [
    '501 metrics',
    (d) => d.metrics.push(...Array.from({ length: 495 }, (_, i) => ({ id: `extra_${i}`, type: 'count' }))),
    'nsm.config.yaml: metrics: lists 501 metrics; a config has at most 500',
  ],
  [
    '101 events in one metric',
    (d) => (d.metrics[1].events = Array.from({ length: 101 }, (_, i) => `event_${i}`)),
    'nsm.config.yaml: metrics[1].events: lists 101 events; a metric has at most 100',
  ],
  [
    '51 candidate actions',
    (d) =>
      (d.candidates.actions = Array.from({ length: 51 }, (_, i) => ({ id: `action_${i}`, event: 'payment_completed', within_days: 7 }))),
    'nsm.config.yaml: candidates.actions: lists 51 actions; a config has at most 50',
  ],
  [
    'a cohort of 1,000 days',
    (d) => (d.candidates.cohort.cohort_days = 1000),
    'nsm.config.yaml: candidates.cohort.cohort_days: must be <= 366 (each night reads that many days)',
  ],
  [
    'retention at day 1,000',
    (d) => (d.candidates.retention.day = 1000),
    'nsm.config.yaml: candidates.retention.day: must be <= 366 (each night reads that many days)',
  ],
  [
    'an action within 1,000 days',
    (d) => (d.candidates.actions[1].within_days = 1000),
    'nsm.config.yaml: candidates.actions[1].within_days: must be <= 366 (each night reads that many days)',
  ],
  [
    'a baseline of 100 weeks',
    (d) => (d.alerts.baseline_weeks = 100),
    'nsm.config.yaml: alerts.baseline_weeks: must be <= 52 (each night reads that many earlier nights)',
  ],
];

describe('config rules: one broken rule, one exact message', () => {
  it.each(CASES)('%s', (_, mutate, message) => {
    expect(messageAfter(mutate)).toBe(message);
  });
});

describe('config rules: boundaries that are valid', () => {
  it.each<[string, (doc: Doc) => void]>([
    ['window_days: 1', (d) => (d.metrics[0].window_days = 1)],
    ['min_users: 1', (d) => (d.metrics[0].min_users = 1)],
    ['retention.window_days equal to retention.day', (d) => (d.candidates.retention.window_days = 90)],
    [
      'a sweep of exactly 200 cells',
      (d) => (d.candidates.sweep = { min_count: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], within_days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }),
    ],
    ['a North Star check with lags 0 … 26', (d) => (d.north_star_check = { revenue: 'listening_hours', max_lag_weeks: 26 })],
    ['freshness ratios 0 and 1', (d) => (d.alerts.freshness.min_ratio = 1)],
    ['any text as an event name (it is data, escaped later)', (d) => (d.metrics[1].events = ['it\'s "quoted"; drop table x', 'naïve ✓'])],
    ['an absolute and a Windows-style local path', (d) => ((d.lake.location = '/data/lake'), (d.results.location = 'C:\\nsm\\results'))],
    ['every cron form', (d) => (d.schedule = '15 */2,0-6,22 * JAN-mar,12 *')],
    ['a schedule every hour', (d) => (d.schedule = '0 * * * *')],
    ['one minute written as a range or a step', (d) => (d.schedule = '5-5 6 * * *')],
    ['the largest bounds', (d) => ((d.metrics[1].window_days = 366), (d.alerts.baseline_weeks = 52), (d.metrics[4].id = 'm'.repeat(64)))],
    [
      'a results folder beside the lake with a common name prefix',
      (d) => ((d.lake.location = './data/lake'), (d.results.location = './data/lake-results')),
    ],
    [
      'lake and results in different buckets with one prefix',
      (d) => ((d.lake.location = 's3://acme-events/nsm'), (d.results.location = 's3://acme-results/nsm')),
    ],
    ['a weekday schedule', (d) => (d.schedule = '30 5 * * MON-FRI')],
    ['a region-partition ARN', (d) => (d.alerts.sns_topic_arn = 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:nsm_alerts')],
    ['no sms, no email, no topic', (d) => ((d.alerts.sms = []), (d.alerts.email = []), delete d.alerts.sns_topic_arn)],
    ['IANA zones', (d) => (d.timezone = 'America/Argentina/Buenos_Aires')],
    ['a workgroup with a dash', (d) => (d.lake.athena.workgroup = 'nsm-prod')],
    ['no first day (only a cloud deploy needs one)', (d) => delete d.lake.first_day],
    ['a leap day as first day', (d) => (d.lake.first_day = '2024-02-29')],
    ['no candidates at all', (d) => delete d.candidates],
    ['no tree at all', (d) => ((d.tree = {}), delete d.alerts.watch)],
    ['reminders every 2 days with the default notify', (d) => (d.alerts.remind_every_days = 2)],
    ['an empty notify list (nothing is sent)', (d) => (d.alerts.notify = [])],
    ['reminders listed in notify', (d) => ((d.alerts.remind_every_days = 7), (d.alerts.notify = ['still_down', 'drop']))],
  ])('%s', (_, mutate) => {
    const doc = exampleDoc();
    mutate(doc);
    expect(() => parseConfig(JSON.stringify(doc), 'x')).not.toThrow();
  });
});

describe('checkRules', () => {
  it('finds nothing wrong with the example', () => {
    expect(checkRules(configSchema.parse(exampleDoc()), 'x')).toEqual([]);
  });

  it('lists every violation in document order; parseConfig throws the first', () => {
    const doc = exampleDoc();
    doc.alerts.watch = ['nope'];
    doc.metrics[1].window_days = 0;
    doc.timezone = 'Nowhere/Town';
    const messages = checkRules(configSchema.parse(doc), 'c.yaml').map((e) => e.message);
    expect(messages).toEqual([
      "c.yaml: timezone: unknown time zone 'Nowhere/Town' (use an IANA name such as UTC or Europe/Berlin)",
      'c.yaml: metrics[1].window_days: must be >= 1',
      "c.yaml: alerts.watch[0]: unknown metric 'nope'",
    ]);
    expect(errorFor(JSON.stringify(doc), 'c.yaml').message).toBe(messages[0]);
  });
});

describe('every message is a single line', () => {
  const LINE_BREAK = /[\n\r\u2028\u2029]/;

  it.each(CASES)('%s', (_, mutate) => {
    expect(messageAfter(mutate)).not.toMatch(LINE_BREAK);
  });

  it.each<[string, (doc: Doc) => void, string]>([
    [
      'a line break in an id',
      (d) => (d.metrics[1].id = 'a\nb'),
      "nsm.config.yaml: metrics[1].id: 'a\\nb' is not a valid id (lowercase letters, digits and _, starting with a letter)",
    ],
    ['a line separator in a reference', (d) => (d.north_star = 'x\u2028y'), "nsm.config.yaml: north_star: unknown metric 'x\\u2028y'"],
    [
      'a line break in an unknown key',
      (d) => (d['time\r\nzone'] = 'UTC'),
      "nsm.config.yaml: ['time\\r\\nzone']: unknown key (did you mean 'timezone'?)",
    ],
    [
      'a line break in a tree key',
      (d) => (d.tree['new\nteams'] = ['messages_posted']),
      "nsm.config.yaml: tree['new\\nteams']: unknown metric 'new\\nteams' (did you mean 'new_teams'?)",
    ],
    ['a very long value', (d) => (d.north_star = 'x'.repeat(500)), `nsm.config.yaml: north_star: unknown metric '${'x'.repeat(60)}…'`],
  ])('%s', (_, mutate, message) => {
    const actual = messageAfter(mutate);
    expect(actual).toBe(message);
    expect(actual).not.toMatch(LINE_BREAK);
  });

  it('holds for YAML syntax errors too', () => {
    expect(errorFor('a: "x\n\n\n').message).not.toMatch(LINE_BREAK);
    expect(errorFor('a:\n  - b\n c: d\n').message).not.toMatch(LINE_BREAK);
  });
});
