/**
 * The alert examples of docs/alerts.md, written by the formatters themselves so the doc cannot
 * drift from what people receive. Each example block in the doc is preceded by a marker
 * `<!-- formatter: <example>.<subject|message|sms> -->`; `withAlertExamples(doc)` rewrites every
 * marked block from the formatter's output. `npm run docs:alerts` writes the doc; a unit test
 * (test/unit/docs/alerts-doc.test.ts) fails while the committed doc differs.
 */
import type { AlertText } from '../functions/core/alerts/alert-text';
import { formatDigest } from '../functions/core/alerts/format-digest';
import { formatDropAlert } from '../functions/core/alerts/format-drop';
import { formatRecoveredAlert, formatStillDownAlert } from '../functions/core/alerts/format-incident';
import { formatIncompleteAlert } from '../functions/core/alerts/format-incomplete';
import type { OpenIncident } from '../functions/core/alerts/incidents';
import type { Driver, SegmentRow } from '../functions/core/results/rows';

const REPORT = (dt: string) => `/home/ana/nsm/demo/results/reports/dt=${dt}/report.html`;
const THRESHOLDS = { min_drop_pct: 10, min_robust_z: 3.5, baseline_weeks: 4 };
const NSM = { id: 'posting_teams_weekly', name: 'Weekly active teams with 3+ members posting' };
const pct = (value: number, baseline: number) => (100 * (value - baseline)) / baseline;

function driver(metric_id: string, depth: number, value: number, baseline: number, status: Driver['status'] = 'ok'): Driver {
  return {
    metric_id,
    name: metric_id,
    depth,
    value,
    baseline,
    change_pct: pct(value, baseline),
    status,
    contribution: null,
    contribution_pct: null,
  };
}

/** The incident of the examples: the north star fell on 2024-05-14 and stayed down four nights. */
const INCIDENT: OpenIncident = {
  id: `${NSM.id}:2024-05-14`,
  metricId: NSM.id,
  onset: '2024-05-14',
  lastDrop: '2024-05-17',
  worstChangePct: pct(933, 1505),
};

function segment(
  dimension: string,
  seg: string,
  value: number,
  baseline: number,
  contribution_pct: number,
  share_pct: number,
  baseline_share_pct: number,
): SegmentRow {
  return {
    dt: '2024-05-28',
    metric_id: 'messages',
    dimension,
    segment: seg,
    value,
    baseline,
    change: value - baseline,
    change_pct: pct(value, baseline),
    share_pct,
    baseline_share_pct,
    contribution_pct,
    score: null,
    rank: null,
  };
}

/** Every example of docs/alerts.md by name. */
export function alertExamples(): Record<string, AlertText> {
  const newTeams = driver('new_teams', 1, 97, 208.5, 'drop');
  const wau = driver('weekly_active_users', 1, 8105, 8405);
  const drop = formatDropAlert({
    dt: '2024-05-14',
    metricId: NSM.id,
    name: NSM.name,
    isNorthStar: true,
    value: 1236,
    baseline: 1505,
    change_pct: pct(1236, 1505),
    robust_z: -11.3,
    drivers: [
      newTeams,
      wau,
      {
        ...driver('posts_per_active_user', 1, 2.42, 2.41),
        parts: { numerator: driver('messages_posted', 2, 19650, 20275), denominator: driver('weekly_active_users', 2, 8105, 8405) },
      },
    ],
    relation: 'influence',
    identity_residual_pct: null,
    segments: [],
    thresholds: THRESHOLDS,
    reportUri: REPORT('2024-05-14'),
  });
  const perPoster: Driver = {
    metric_id: 'messages_per_poster',
    name: 'Messages per poster',
    depth: 1,
    value: 2.3,
    baseline: 2.98,
    change_pct: -22.8,
    status: 'drop',
    contribution: -220,
    contribution_pct: 155,
    parts: {
      numerator: { ...driver('messages', 2, 764, 906), name: 'Messages posted' },
      denominator: { ...driver('posters', 2, 332, 303), name: 'Users who posted' },
    },
  };
  const posters: Driver = { ...driver('posters', 1, 332, 303), name: 'Users who posted', contribution: 78, contribution_pct: -55 };
  const product = formatDropAlert({
    dt: '2024-05-28',
    metricId: 'messages',
    name: 'Messages posted',
    isNorthStar: true,
    value: 764,
    baseline: 906,
    change_pct: pct(764, 906),
    robust_z: -4.6,
    drivers: [perPoster, posters],
    relation: 'product',
    identity_residual_pct: 0,
    segments: [
      segment('platform', 'android', 112, 316.6, 144, 14.7, 34.9),
      segment('country', 'us', 234, 299.8, 46, 30.6, 33.1),
      segment('platform', 'ios', 333, 295.3, -27, 43.6, 32.6),
    ],
    thresholds: THRESHOLDS,
    reportUri: 'results/reports/dt=2024-05-28/report.html',
  });
  const stillDown = formatStillDownAlert({
    dt: '2024-05-16',
    metricId: NSM.id,
    name: NSM.name,
    incident: { ...INCIDENT, lastDrop: '2024-05-16' },
    nightOfIncident: 3,
    value: 933,
    baseline: 1505,
    change_pct: pct(933, 1505),
    reportUri: REPORT('2024-05-16'),
  });
  const recovered = formatRecoveredAlert({
    dt: '2024-05-18',
    metricId: NSM.id,
    name: NSM.name,
    incident: INCIDENT,
    nightOfIncident: 5,
    value: 1498,
    baseline: 1505,
    change_pct: pct(1498, 1505),
    reportUri: REPORT('2024-05-18'),
  });
  const incomplete = formatIncompleteAlert({
    dt: '2024-05-14',
    data: {
      day_events: 12113,
      partition_missing: false,
      partition_empty: false,
      baseline_events: 60800,
      ratio: 12113 / 60800,
      status: 'incomplete',
    },
    minRatio: 0.5,
    recheckNights: 3,
    baselineWeeks: 4,
    partitionKey: 'dt',
    reportUri: REPORT('2024-05-14'),
  });
  const digest = formatDigest({
    period: { every: 'weekly', from: '2024-05-13', to: '2024-05-19', key: 'weekly:2024-05-13..2024-05-19' },
    nsm: { id: NSM.id, name: NSM.name, value: 1321, baseline: 1498, change_pct: pct(1321, 1498), before: 1236 },
    moves: [
      { metric_id: 'new_teams', name: 'New teams', value: 121, change_pct: pct(121, 207), status: 'drop' },
      { metric_id: 'posts_per_active_user', name: 'Posts per active user', value: 2.61, change_pct: pct(2.61, 2.41), status: 'ok' },
      { metric_id: 'weekly_active_users', name: 'Weekly active users', value: 8210, change_pct: pct(8210, 8390), status: 'ok' },
    ],
    incidents: [
      {
        id: 'new_teams:2024-05-14',
        name: 'New teams',
        onset: '2024-05-14',
        lastDrop: '2024-05-19',
        worstChangePct: pct(97, 208.5),
        change_pct: pct(121, 207),
      },
    ],
    verdicts: [{ candidate_id: 'payment_completed_d7', before: 'weak', now: 'strong', lift: 2.41, q_value: 0.0031 }],
    dataIncomplete: false,
    reportUri: REPORT('2024-05-19'),
  });
  return { drop, product, still_down: stillDown, recovered, data_incomplete: incomplete, digest };
}

const MARKED = /<!-- formatter: ([a-z_]+)\.(subject|message|sms) -->\n```\n[\s\S]*?```/g;

/** `doc` with every marked example block rewritten from the formatters. */
export function withAlertExamples(doc: string, examples: Record<string, AlertText> = alertExamples()): string {
  return doc.replace(MARKED, (_, name: string, part: keyof AlertText) => {
    const example = examples[name];
    if (!example) throw new Error(`docs/alerts.md names an unknown example ${JSON.stringify(name)}`);
    const text = example[part].endsWith('\n') ? example[part] : `${example[part]}\n`;
    return `<!-- formatter: ${name}.${part} -->\n\`\`\`\n${text}\`\`\``;
  });
}

/** The `<example>.<part>` markers in `doc`. */
export function exampleMarkers(doc: string): string[] {
  return [...doc.matchAll(MARKED)].map((m) => `${m[1]}.${m[2]}`);
}
