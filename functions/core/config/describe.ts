/**
 * The summary `nsm validate` prints under `<file>: valid`: what the config defines, so a user can
 * see at a glance that the tree, the watch list and the candidates are what they meant.
 * Deterministic (file order throughout), plain text, no trailing newline.
 */
import { METRIC_TYPES } from './schema';
import { parentIndex, relationOf } from './tree';
import type { MetricConfig, NsmConfig } from './types';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `active_accounts, 7-day window` / `ratio messages_posted / weekly_active_users`. */
function metricDetail(m: MetricConfig): string {
  if (m.type === 'ratio') return `ratio ${m.numerator} / ${m.denominator}`;
  return `${m.type}, ${m.window_days}-day window`;
}

/** `6 metrics: 1 count, 1 sum, …` in the canonical type order, types with no metric left out. */
function metricCounts(metrics: readonly MetricConfig[]): string {
  const parts = METRIC_TYPES.map((t) => [t, metrics.filter((m) => m.type === t).length] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`);
  return `${plural(metrics.length, 'metric')}: ${parts.join(', ')}`;
}

/** The tree drawn with box characters; the north star first, then any other top-level node. */
function treeLines(config: NsmConfig, byId: ReadonlyMap<string, MetricConfig>): string[] {
  const parents = parentIndex(config);
  const roots = [config.north_star, ...Object.keys(config.tree).filter((id) => id !== config.north_star && !parents.has(id))];
  const label = (id: string): string => {
    const m = byId.get(id);
    const relation = relationOf(config, id);
    // How a parent is made of its children, when the config says so (`{ product: [...] }`, `{ sum: [...] }`).
    const made = config.tree[id] && relation !== 'influence' ? ` = ${relation === 'product' ? 'product' : 'sum'} of its children` : '';
    return `${m ? `${id} (${metricDetail(m)})` : id}${made}`;
  };
  const lines: string[] = [];
  const walk = (id: string, indent: string): void => {
    const children = config.tree[id] ?? [];
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      lines.push(`${indent}${last ? '└── ' : '├── '}${label(child)}`);
      walk(child, `${indent}${last ? '    ' : '│   '}`);
    });
  };
  for (const root of roots) {
    lines.push(`  ${label(root)}`);
    walk(root, '  ');
  }
  return lines;
}

function candidateLines(config: NsmConfig): string[] {
  const c = config.candidates;
  if (!c) return ['Candidates: none'];
  const { day, window_days: w } = c.retention;
  const retention = w === 1 ? `day ${day}` : `days ${day - w + 1}-${day}`;
  return [
    `Candidates: ${plural(c.actions.length, 'action')}; cohort: first ${c.cohort.entry_event} over ` +
      `${plural(c.cohort.cohort_days, 'day')}; retained: any event on ${retention} after entry; ` +
      `strong when lift > ${c.min_lift} and q < ${c.max_p}`,
    ...c.actions.map((a) => `  ${a.id}: ${a.event} within ${plural(a.within_days, 'day')}`),
  ];
}

function segmentsLine(config: NsmConfig): string {
  const s = config.segments;
  if (!s) return 'Segments: none';
  return `Segments: watched metrics by ${s.dimensions.join(', ')} (the ${s.max_values} largest values of each, the rest as (other))`;
}

function lakeLine(config: NsmConfig): string {
  const { lake } = config;
  const athena = lake.athena
    ? `; athena ${lake.athena.database}.${lake.athena.table}, workgroup ${lake.athena.workgroup}, ` +
      `cutoff ${lake.athena.bytes_scanned_cutoff_gb} GB`
    : '';
  const firstDay = lake.first_day ? `, first day ${lake.first_day}` : '';
  return `Lake: ${lake.location} (${lake.format}, partition ${lake.partition}${firstDay})${athena}`;
}

function alertLines(config: NsmConfig): string[] {
  const a = config.alerts;
  const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : 'none');
  return [
    `Watched: ${list(a.watch)}`,
    `Drop: change <= -${a.min_drop_pct}% and robust z <= -${a.min_robust_z} against ` +
      `${plural(a.baseline_weeks, 'week')} of baseline; freshness min ratio ${a.freshness.min_ratio}`,
    `Notify: email ${list(a.email)}; sms ${list(a.sms)}; sns topic ${a.sns_topic_arn ?? 'none'}`,
  ];
}

/** Multi-line summary of a checked config (no trailing newline). */
export function describeConfig(config: NsmConfig): string {
  const byId = new Map(config.metrics.map((m) => [m.id, m] as const));
  const parents = parentIndex(config);
  const inTree = new Set([config.north_star, ...Object.keys(config.tree), ...parents.keys()]);
  const outside = config.metrics.filter((m) => !inTree.has(m.id));
  const northStar = byId.get(config.north_star);
  return [
    metricCounts(config.metrics),
    `North star: ${config.north_star}${northStar && northStar.name !== northStar.id ? ` "${northStar.name}"` : ''}`,
    'Tree:',
    ...treeLines(config, byId),
    `Outside the tree: ${outside.length ? outside.map((m) => `${m.id} (${metricDetail(m)})`).join(', ') : 'none'}`,
    ...alertLines(config),
    segmentsLine(config),
    ...candidateLines(config),
    lakeLine(config),
    `Results: ${config.results.location}`,
    `Schedule: ${config.schedule} (${config.timezone})`,
  ].join('\n');
}
