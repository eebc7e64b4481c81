/**
 * The commented `nsm.config.yaml` that `nsm init` writes from a lake's profile (pure): the guessed
 * column mapping, a starter north star and tree from the most frequent events, candidate actions
 * from what new users do early, alerts on the north star, and the lake's facts as comments so the
 * reader can change the guesses without querying the lake.
 */
import { formatInteger as formatCount } from '../report/format';
import { type GuessedColumns, type LakeProfile, type NewUserEvent, numericProperties } from './lake-profile';

/** Events listed in the config's comments. */
export const LISTED_EVENTS = 50;

export interface StarterConfigOptions {
  /** `$schema` path for editors (relative to the config's folder), or undefined for none. */
  readonly schema?: string | undefined;
  /** Where results go, as the config names it. */
  readonly results: string;
  /** Today, for the header line. */
  readonly today: string;
}

/** `12.3 MB` (decimal units, as S3's console shows sizes). */
const formatBytes = (bytes: number) =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;

/** A YAML double-quoted scalar (JSON's string syntax is YAML's): safe for spaces, accents, quotes, `#`. */
const q = (text: string) => JSON.stringify(text);

/** A metric id from an event name: ASCII letters, digits and `_`, starting with a letter. */
export function slug(event: string): string {
  const ascii = event
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return /^[a-z]/.test(ascii) ? ascii : `e_${ascii || 'event'}`;
}

/**
 * The entry event: of the events done about once per user (`counts`: each name's events), the one
 * most new users do on their first day — a sign-up, not an `app_opened` that everyone does daily.
 */
function entryEvent(rows: readonly NewUserEvent[], counts: ReadonlyMap<string, number>): NewUserEvent | undefined {
  const ranked = [...rows].filter((r) => r.day0 > 0).sort((a, b) => b.day0 - a.day0 || a.event.localeCompare(b.event));
  return ranked.find((r) => (counts.get(r.event) ?? Number.POSITIVE_INFINITY) <= 1.5 * r.users) ?? ranked[0];
}

/** Early actions worth testing: done in the first week by 5–90% of new users (a lift needs both groups). */
function earlyActions(rows: readonly NewUserEvent[], entry: string): NewUserEvent[] {
  return [...rows]
    .filter((r) => r.event !== entry && r.newcomers > 0 && r.early >= 0.05 * r.newcomers && r.early <= 0.9 * r.newcomers)
    .sort((a, b) => b.early - a.early || a.event.localeCompare(b.event))
    .slice(0, 3);
}

/** The config text (see the module comment). */
export function starterConfig(profile: LakeProfile, columns: GuessedColumns, options: StarterConfigOptions): string {
  const typeOf = (name: string | undefined) => profile.columns.find((c) => c.name === name)?.type ?? '';
  const top = profile.events.slice(0, 3);
  const [first] = top;
  if (!first) throw new Error('a lake without events has nothing to start a config from');
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  if (options.schema) push(`# yaml-language-server: $schema=${options.schema}`, '#');
  const sample = profile.sample;
  push(`# Written by \`nsm init\` on ${options.today} from ${profile.location}:`);
  if (sample) {
    push(
      `#   ${profile.format}, partition key '${profile.partition}' (YYYY-MM-DD), ${formatCount(profile.days)} days ${profile.firstDay} … ${profile.lastDay}.`,
      `#   Profiled from a sample, the newest ${formatCount(sample.days)} days (${sample.firstDay} … ${sample.lastDay}, ${formatCount(sample.files)} files,`,
      `#   ${formatBytes(sample.bytes)}): the columns, the ${formatCount(profile.events.length)} event names and their counts below are the sample's.`,
    );
  } else {
    push(
      `#   ${profile.format}, ${formatCount(profile.files)} files, partition key '${profile.partition}' (YYYY-MM-DD),`,
      `#   ${formatCount(profile.days)} days ${profile.firstDay} … ${profile.lastDay}, ${formatCount(profile.events.length)} event names.`,
    );
  }
  push(
    '# Lines marked "guessed" are guesses: check them. Then',
    ...(sample
      ? [
          '#   npx cdk deploy -c config=<this file>   (docs/deploy.md: the Glue table, workgroup and nightly Lambda)',
          '#   nsm validate --config <this file> --lake --engine athena   (columns exist, event names seen lately)',
          '#   nsm run --config <this file> --engine athena --from <day> --to <day>   (a backfill for the baselines).',
        ]
      : [
          '#   nsm validate --config <this file> --lake     (columns exist, event names seen lately)',
          '#   nsm run --config <this file> --from <day> --to <day>   (a backfill for the baselines), then nightly.',
        ]),
    '# Every key: docs/configuration.md.',
    'version: 1',
    'timezone: UTC',
    '',
    'lake:',
    `  location: ${q(profile.location)}`,
    `  format: ${profile.format}`,
    `  partition: ${q(profile.partition)}`,
    `  first_day: ${q(profile.firstDay)}`,
    ...(sample
      ? [
          '  # Athena (an S3 lake is read through it): the stack creates these; see docs/deploy.md.',
          '  athena: { database: nsm, table: events, workgroup: nsm }',
        ]
      : []),
    '  columns:',
    `    user: ${q(columns.user)}   # guessed (${typeOf(columns.user)})`,
  );
  if (columns.account)
    push(`    account: ${q(columns.account)}   # guessed (${typeOf(columns.account)}): accounts (teams, orgs) group users`);
  else push('    # account: <column>   # no account/org/team column found; active_accounts metrics need one');
  push(`    event: ${q(columns.event)}   # guessed (${typeOf(columns.event)})`);
  if (columns.time) push(`    time: ${q(columns.time)}   # guessed (${typeOf(columns.time)})`);
  push(
    `# The lake's columns: ${profile.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`,
    '',
    'results:',
    `  location: ${q(options.results)}`,
    '',
    `# The ${Math.min(LISTED_EVENTS, profile.events.length)} most frequent events (count, first and last day seen${sample ? ' in the sample' : ''}):`,
    ...profile.events.slice(0, LISTED_EVENTS).map((e) => `#   ${q(e.event)}  ${formatCount(e.count)}  ${e.first} … ${e.last}`),
  );
  const props = numericProperties(profile.columns, columns);
  if (props.length) {
    push(`# Numeric properties a sum metric can add up: ${props.map((p) => `${p.name} (${p.type})`).join(', ')}`);
  }

  // A starter north star: how many accounts (else users) do the most frequent event in a week.
  const ids = new Set<string>();
  const unique = (id: string) => {
    let candidate = id;
    for (let i = 2; ids.has(candidate); i++) candidate = `${id}_${i}`;
    ids.add(candidate);
    return candidate;
  };
  const ns = unique(columns.account ? `weekly_${slug(first.event)}_accounts` : `weekly_${slug(first.event)}_users`);
  const wau = unique('weekly_active_users');
  const dau = unique('daily_active_users');
  const counts = top.map((e) => ({ id: unique(`${slug(e.event)}_count`), event: e.event }));
  push(
    '',
    '# A starter north star (guessed): the most frequent event, weekly. Replace it with the one',
    '# number that says your customers get value; the tree below breaks it into what moves it.',
    'metrics:',
    columns.account
      ? `  - { id: ${ns}, name: ${q(`Weekly accounts with ${first.event}`)}, type: active_accounts, events: [${q(first.event)}], min_users: 1, window_days: 7 }`
      : `  - { id: ${ns}, name: ${q(`Weekly users with ${first.event}`)}, type: distinct_users, events: [${q(first.event)}], window_days: 7 }`,
    `  - { id: ${wau}, name: Weekly active users, type: distinct_users, window_days: 7 }`,
    `  - { id: ${dau}, name: Daily active users, type: distinct_users }`,
    ...counts.map((c) => `  - { id: ${c.id}, name: ${q(c.event)}, type: count, events: [${q(c.event)}] }`),
  );
  const [prop] = props;
  if (prop) {
    push(
      `  # - { id: ${slug(prop.name)}_sum, type: sum, property: ${q(prop.name)}, events: [${q(first.event)}] }   # a sum, if it means something`,
    );
  }
  push('', `north_star: ${ns}`, 'tree:', `  ${ns}: [${[wau, ...counts.map((c) => c.id)].join(', ')}]`, `  ${wau}: [${dau}]`);

  const entry = entryEvent(profile.newUserEvents, new Map(profile.events.map((e) => [e.event, e.count])));
  const actions = entry ? earlyActions(profile.newUserEvents, entry.event) : [];
  if (entry && actions.length) {
    const newcomers = entry.newcomers;
    push(
      '',
      `# Candidate actions (guessed): of ${formatCount(newcomers)} users ${sample ? `first seen in the sample after ${sample.firstDay}` : `new after ${profile.firstDay}`}, ${formatCount(entry.day0)} did`,
      `# ${q(entry.event)} on their first day: it starts the cohort. The actions are what 5-90% of them did`,
      '# in their first week; the report ranks them by how much more those who did them are retained.',
      'candidates:',
      `  cohort: { entry_event: ${q(entry.event)}, cohort_days: 28 }`,
      '  retention: { day: 28, window_days: 7 }',
      '  actions:',
      ...actions.map(
        (a) =>
          `    - { id: ${unique(`${slug(a.event)}_d7`)}, event: ${q(a.event)}, within_days: 7 }   # ${formatCount(a.early)} of ${formatCount(newcomers)} new users`,
      ),
    );
  } else {
    push('', '# No candidate actions: too few users are new in this lake to tell what early actions retain them.');
  }
  push('', '# Alerts when the north star drops against the same weekday of the last 4 weeks.', 'alerts:', `  watch: [${ns}]`, '');
  return lines.join('\n');
}
