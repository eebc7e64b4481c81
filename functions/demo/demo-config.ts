/**
 * The config `nsm demo` writes next to its lake: a commented `nsm.config.yaml` for the team
 * messaging story of `./story.ts`, and at the same time the example people copy from. The
 * candidate settings and actions come from `./story.ts`, so the config asks exactly the questions
 * the generator planted answers for.
 */
import { schemaModeline } from '../core/config/json-schema';
import { DEMO_ACTIONS, RETENTION } from './story';

export interface DemoConfigOptions {
  /** Lake folder as written in the config; relative paths are relative to the config's folder. */
  readonly lakeDir: string;
  /** Results folder, same rule. */
  readonly resultsDir: string;
  /**
   * The config's JSON Schema, relative to the config's folder, for editors
   * (`# yaml-language-server: $schema=…`); omitted when the package's schema file was not found.
   */
  readonly schemaPath?: string | undefined;
  /** The lake's first day (`lake.first_day`), when written: what a cloud deploy and Athena runs need. */
  readonly firstDay?: string;
}

/** A YAML scalar for a path: JSON's double-quoted strings are valid YAML and escape anything odd. */
const yamlString = (s: string) => JSON.stringify(s);

/** The demo config as YAML text with comments. */
export function demoConfigYaml(opts: DemoConfigOptions): string {
  const actions = DEMO_ACTIONS.map(
    (a) => `    # ${a.story}\n    - { id: ${a.id}, event: ${a.event}, within_days: ${a.withinDays} }`,
  );
  const modeline = opts.schemaPath === undefined ? '' : `${schemaModeline(opts.schemaPath)}\n`;
  return `# nsm-nightly demo config, written by \`nsm demo\` (see docs/demo.md).
${modeline}#
# The lake is synthetic: a team messaging product where a team is an account. Teams sign up
# over time, members join them, activity is lower at weekends, users churn; a few retention
# effects and a one-day drop are planted on purpose so that the nightly run has something
# to find. Relative paths are relative to this file's folder.
version: 1
timezone: UTC                    # days are UTC days; a scheduled run reports on "yesterday" here
schedule: "0 6 * * *"            # cloud only: every morning at 06:00

lake:
  location: ${yamlString(opts.lakeDir)}
  format: json                   # gzip JSON Lines: <lake>/dt=YYYY-MM-DD/part-0.jsonl.gz
  partition: dt
  columns:                       # canonical name -> lake column
    user: user_id
    account: account_id          # the team; null for solo users
    event: event_name
    time: event_time
${opts.firstDay ? `  first_day: ${opts.firstDay}         # the lake's first partition (Athena reads no earlier day)\n` : ''}
results:
  location: ${yamlString(opts.resultsDir)}

metrics:
  # North star: teams with at least 3 members posting in the last 7 days. A team that talks is
  # a team that gets value; one person posting alone is not a team.
  - id: posting_teams_weekly
    name: Weekly posting teams (3+ members posting)
    type: active_accounts
    events: [message_posted]
    min_users: 3
    window_days: 7

  # Inputs beneath it: new teams coming in, people showing up, and how much they post.
  - id: new_teams
    name: New teams (7 days)
    type: distinct_accounts
    events: [team_created]
    window_days: 7
  - id: weekly_active_users
    name: Weekly active users
    type: distinct_users         # no events: any event counts
    window_days: 7
  - id: posts_per_active_user
    name: Posts per daily active user
    type: ratio                  # same night's messages_posted / daily_active_users
    numerator: messages_posted
    denominator: daily_active_users
  - id: messages_posted
    name: Messages posted
    type: count
    events: [message_posted]
    window_days: 1
  - id: daily_active_users
    name: Daily active users
    type: distinct_users
    window_days: 1
  - id: call_minutes
    name: Call minutes
    type: sum
    events: [call_ended]
    property: duration_ms        # null and non-numeric values (the lake has some "n/a") are skipped
    scale: 1.6666666666666667e-05   # 1/60000: milliseconds to minutes
    window_days: 1

north_star: posting_teams_weekly
tree:                            # parent -> the input metrics beneath it
  posting_teams_weekly: [new_teams, weekly_active_users, posts_per_active_user, call_minutes]
  posts_per_active_user: [messages_posted, daily_active_users]

# Which early actions predict that a new user is still around three months later?
# Each night: users who signed up ${RETENTION.day + RETENTION.cohortDays - 1} to ${RETENTION.day} days ago; retained = any event on days
# ${RETENTION.day - RETENTION.windowDays + 1}-${RETENTION.day} after signing up; an action "hit" = done within its first within_days days.
candidates:
  cohort: { entry_event: ${RETENTION.entryEvent}, cohort_days: ${RETENTION.cohortDays} }
  retention: { day: ${RETENTION.day}, window_days: ${RETENTION.windowDays} }
  min_lift: 2                    # "strong" needs lift > 2 ...
  max_p: 0.01                    # ... and a Benjamini-Hochberg q-value below 0.01
  actions:
${actions.join('\n')}
  # The magic number: each action again as "at least n times within k days" for every n and k
  # below (120 cells), ranked by phi with q-values over all of them; the report draws a heatmap.
  sweep: { min_count: [1, 2, 3, 5, 10], within_days: [1, 3, 7, 14] }

alerts:
  # watch: omitted, so the north star and every metric in the tree are watched.
  min_drop_pct: 10               # a drop is at least 10% below the same-weekday median of
  min_robust_z: 3.5              # the last 4 weeks and at least 3.5 robust z below it
  baseline_weeks: 4
  freshness:
    min_ratio: 0.5               # fewer than half the usual events: data incomplete, no drop alerts
    recheck_nights: 3            # the next 3 nights re-check it and re-judge it once its data lands
  email: [growth-team@example.com]
  sms: ["+15555550100"]
  # sns_topic_arn: arn:aws:sns:us-east-1:123456789012:nsm-alerts   # publish through SNS from \`nsm run\`
`;
}
