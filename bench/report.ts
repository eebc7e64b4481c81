/**
 * The benchmark's report: the tables printed to stdout and written to `.bench/results.md`.
 * Pure: measured figures in, markdown out.
 */
import { type Agreement, describeDisagreements, type NightComparison } from './agreement';
import type { Deployment } from './deployment';
import { formatBytes, formatCount, formatMs, formatRatio, formatTiming, markdownTable } from './format';
import type { LakeManifest } from './lakes';
import { groupQueries, type QueryGroup } from './query-groups';
import { renderSegmentsSection, type SegmentPairs } from './segments';
import { type Summary, summarize } from './stats';
import { passLabel, type TargetCheck } from './targets';
import type { NightReads } from './trace-night';

export interface NightSample {
  readonly wallMs: number;
  readonly rssBytes: number | null;
  /** run.json `ms`: the pipeline inside the process. */
  readonly pipelineMs: number | null;
  readonly queries: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
}

export interface FloorSample {
  readonly wallMs: number;
  readonly queryMs: number;
  readonly rssBytes: number | null;
}

export interface VariantResult {
  readonly dep: Deployment;
  readonly lake: LakeManifest;
  readonly nights: NightSample[];
  /** Night D against an empty results folder (state built from the lake); empty when skipped. */
  readonly firstNights: NightSample[];
  /**
   * Extra steady nights timed back to back with the other format's (target 5): entry i of the
   * JSON and Parquet variants of one history form pair i.
   */
  readonly pairNights: NightSample[];
  readonly floorAll: FloorSample[];
  readonly floorNight: FloorSample[];
  readonly reads: NightReads | null;
  /** Bytes on disk of night D's own partition in this format. */
  readonly dayPartitionBytes: number | null;
  readonly prepareMs: number | null;
}

/** One steady night with the threshold sweep and one without, timed back to back. */
export interface SweepPair {
  readonly withSweep: NightSample;
  readonly without: NightSample;
}

/** What the sweep adds to a steady night: medians, the per-pair ratio, and the sweep query's own time. */
export function sweepCostLines(lake: string, pairs: readonly SweepPair[]): string {
  const withS = summarize(pairs.map((p) => p.withSweep.wallMs));
  const without = summarize(pairs.map((p) => p.without.wallMs));
  const ratios = summarize(pairs.map((p) => p.withSweep.wallMs / p.without.wallMs));
  const inProc = pairs.flatMap((p) =>
    p.withSweep.pipelineMs !== null && p.without.pipelineMs !== null ? [p.withSweep.pipelineMs / p.without.pipelineMs] : [],
  );
  const sweepQuery = pairs.flatMap((p) => p.withSweep.queries.filter((q) => q.name === 'sweep').map((q) => q.ms));
  const rows = [
    ['wall, with the sweep', formatTiming(withS)],
    ['wall, without', formatTiming(without)],
    ['with / without, per pair', `${formatRatio(ratios.median)} (min ${formatRatio(ratios.min)}, max ${formatRatio(ratios.max)})`],
    ['in-process (run.json ms), per pair', inProc.length ? formatRatio(summarize(inProc).median) : '—'],
    ['the sweep query alone (run.json)', sweepQuery.length ? formatTiming(summarize(sweepQuery)) : '—'],
  ];
  const verdict = ratios.median <= 1.5 ? 'within' : 'OVER';
  return (
    `\n## Threshold sweep (5 × 4 grid, 6 actions): a steady night with and without it (${lake}, ${pairs.length} back-to-back pairs)\n` +
    markdownTable(['', 'median (min)'], rows, ['left', 'right']) +
    `\nIssue 18's bound: the sweep adds at most 50% to a steady night (ratio ≤ 1.5): **${verdict}** at the median pair.\n`
  );
}

/** One steady night of the measured nsm and one of a baseline checkout, timed back to back. */
export interface BaselinePair {
  readonly measured: NightSample;
  readonly baseline: NightSample;
}

/**
 * Two sides of a change, timed back to back (the measured nsm against a baseline checkout, or the
 * config as is against one setting changed): medians, the per-pair ratio, and the queries only the
 * measured side ran.
 */
export function pairedCostLines(title: string, subtitle: string, pairs: readonly BaselinePair[]): string {
  const ratios = summarize(pairs.map((p) => p.measured.wallMs / p.baseline.wallMs));
  const inProc = pairs.flatMap((p) =>
    p.measured.pipelineMs !== null && p.baseline.pipelineMs !== null ? [p.measured.pipelineMs / p.baseline.pipelineMs] : [],
  );
  // Queries by name that the baseline's nights did not run: what the change added, from run.json.
  const baselineNames = new Set(pairs.flatMap((p) => p.baseline.queries.map((q) => q.name)));
  const added = new Map<string, number[]>();
  for (const p of pairs) {
    const perNight = new Map<string, number>();
    for (const q of p.measured.queries) if (!baselineNames.has(q.name)) perNight.set(q.name, (perNight.get(q.name) ?? 0) + q.ms);
    for (const [name, ms] of perNight) added.set(name, [...(added.get(name) ?? []), ms]);
  }
  const rows = [
    ['wall, measured', formatTiming(summarize(pairs.map((p) => p.measured.wallMs)))],
    ['wall, baseline', formatTiming(summarize(pairs.map((p) => p.baseline.wallMs)))],
    ['measured / baseline, per pair', `${formatRatio(ratios.median)} (min ${formatRatio(ratios.min)}, max ${formatRatio(ratios.max)})`],
    ['in-process (run.json ms), per pair', inProc.length ? formatRatio(summarize(inProc).median) : '—'],
    ...[...added].map(([name, ms]) => [`query ${name} (only measured; run.json)`, formatTiming(summarize(ms))]),
  ];
  return `\n## ${title} (${pairs.length} back-to-back pairs)\n${subtitle}\n\n${markdownTable(['', 'median (min)'], rows, ['left', 'right'])}`;
}

/** The measured nsm against a baseline checkout (`--baseline`). */
export const baselineCostLines = (lake: string, baseline: string, pairs: readonly BaselinePair[]) =>
  pairedCostLines(`Against a baseline checkout: a steady night of each (${lake})`, `Baseline: ${baseline}`, pairs);

/** The config as is (measured) against the config with one setting changed (baseline; `--setting`). */
export const settingCostLines = (lake: string, setting: string, pairs: readonly BaselinePair[]) =>
  pairedCostLines(`The config as is against ${setting}: a steady night of each (${lake})`, `Baseline: the same nsm with ${setting}`, pairs);

export interface SeedSample {
  readonly wallMs: number;
  readonly rssBytes: number | null;
  readonly loadS: number;
  readonly computeS: number;
}

export interface ReportInput {
  /** The sweep pairs, null when not measured. */
  readonly sweep?: { readonly lake: string; readonly pairs: readonly SweepPair[] } | null;
  /** The baseline pairs, null when not measured. */
  readonly baseline?: { readonly lake: string; readonly dir: string; readonly pairs: readonly BaselinePair[] } | null;
  /** The setting pairs (`measured` = the config as is), null when not measured. */
  readonly setting?: { readonly lake: string; readonly setting: string; readonly pairs: readonly BaselinePair[] } | null;
  readonly title: string;
  /** Git revision of the pipeline measured. */
  readonly revision: string;
  readonly when: string;
  readonly machine: string;
  readonly loadAfter: string;
  readonly rssMethod: string;
  readonly reps: number;
  readonly variants: readonly VariantResult[];
  readonly seed: readonly SeedSample[];
  readonly seedLake: string | null;
  readonly startup: readonly number[];
  readonly agreement: Agreement | null;
  /** nsm's own nights that must agree (JSON vs Parquet, first vs steady). */
  readonly nightComparisons: readonly NightComparison[];
  readonly targets: readonly TargetCheck[];
  /** Segments on vs off (`bench/segments.ts`); null when not measured. */
  readonly segments: SegmentPairs | null;
  readonly totalMs: number;
  readonly notes: readonly string[];
}

const sum = (xs: readonly number[]) => (xs.length ? summarize(xs) : null);
const pick = <T>(xs: readonly T[], f: (x: T) => number | null) => xs.map(f).filter((v): v is number => v !== null);

export const nightSummary = (v: VariantResult): Summary | null => sum(v.nights.map((n) => n.wallMs));
export const floorAllSummary = (v: VariantResult): Summary | null => sum(v.floorAll.map((n) => n.wallMs));
export const maxRss = (samples: ReadonlyArray<{ rssBytes: number | null }>): number | null => {
  const xs = pick(samples, (s) => s.rssBytes);
  return xs.length ? Math.max(...xs) : null;
};

/** The whole report as markdown. */
export function renderReport(r: ReportInput): string {
  const out: string[] = [];
  out.push(`# ${r.title}\n`);
  out.push(
    `Run ${r.when} on nsm ${r.revision}; ${r.reps} interleaved repetitions of each timed thing; times are wall clock of a child process, shown as median (min).\n`,
  );
  out.push(`Machine: ${r.machine}. Load after the run: ${r.loadAfter}. Peak RSS by ${r.rssMethod}.\n`);
  for (const n of r.notes) out.push(`> ${n}\n`);

  out.push('\n## Lakes\n');
  out.push(
    markdownTable(
      ['lake', 'days', 'events', 'events/day (last 28)', 'last day', 'JSON (gzip)', 'Parquet'],
      uniqueLakes(r.variants).map((l) => [
        `${l.history}× ${l.startDay} … ${l.endDay}`,
        String(l.days),
        formatCount(l.events),
        formatCount(l.recentMeanPerDay),
        formatCount(l.perDay[l.endDay] ?? null),
        formatBytes(l.json.bytes),
        formatBytes(l.parquet?.bytes ?? null),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );

  out.push('\n## Nights\n');
  const seedSummary = sum(r.seed.map((s) => s.wallMs));
  out.push(
    markdownTable(
      [
        'format',
        'history',
        'events',
        'night',
        'night in-process',
        'first night',
        'peak RSS',
        'floor (all partitions)',
        'floor (night partitions)',
        'seed method',
        'bytes read / night',
      ],
      r.variants.map((v) => [
        v.dep.format,
        `${v.dep.history}×`,
        formatCount(v.lake.events),
        formatTiming(nightSummary(v)),
        formatTiming(sum(pick(v.nights, (n) => n.pipelineMs)) ?? null),
        v.firstNights.length ? formatTiming(sum(v.firstNights.map((n) => n.wallMs))) : '—',
        formatBytes(maxRss([...v.nights, ...v.firstNights, ...v.pairNights])),
        formatTiming(floorAllSummary(v)),
        formatTiming(sum(v.floorNight.map((f) => f.wallMs))),
        v.dep.format === 'json' && v.dep.history === 1 ? formatTiming(seedSummary) : '—',
        v.reads ? formatBytes(v.reads.lakeBytes + v.reads.resultsBytes) : '—',
      ]),
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  out.push(
    '\n`night` = `nsm run --date D` as a child process (Node start, config, DuckDB open, queries, writes), the previous nights already run; ' +
      '`night in-process` = run.json `ms`; `first night` = the same command against an empty results folder (a first run, or one after a config change: the state is built from the lake); `floor` = one bare DuckDB pass over the needed columns, a child process of bare `node` loading only DuckDB; ' +
      '`seed method` = bench/seed_method.py (pandas + scipy) on the same JSON lake.\n',
  );

  out.push('\n## Targets (docs/performance.md)\n');
  out.push(
    markdownTable(
      ['target', 'measured', 'goal', 'result', 'note'],
      r.targets.map((t) => [t.target, t.measured, t.goal, passLabel(t.pass), t.note ?? '']),
      ['left', 'right', 'left', 'left', 'left'],
    ),
  );

  if (r.segments) out.push(renderSegmentsSection(r.segments));

  out.push("\n## Where a night's time goes (medians)\n");
  const startup = sum(r.startup);
  const groups = r.variants.map((v) => v.nights.map((n) => groupQueries(n.queries)));
  const groupNames = [...new Set(groups.flatMap((nights) => nights.flatMap((g) => [...g.keys()])))];
  out.push(
    markdownTable(
      [
        'lake',
        'wall',
        'in-process (run.json ms)',
        ...groupNames.map((q) => `query ${q}`),
        'outside the pipeline',
        'floor query (in-process)',
      ],
      r.variants.map((v, i) => {
        const wall = nightSummary(v)?.median ?? null;
        const inProc = sum(pick(v.nights, (n) => n.pipelineMs))?.median ?? null;
        return [
          v.dep.name,
          formatMs(wall),
          formatMs(inProc),
          ...groupNames.map((q) => {
            const per = groups[i]!.map((g) => g.get(q)).filter((g): g is QueryGroup => g !== undefined);
            if (per.length === 0) return '—';
            const count = Math.max(...per.map((g) => g.count));
            return `${formatMs(summarize(per.map((g) => g.ms)).median)}${count > 1 ? ` (${count}×)` : ''}`;
          }),
          wall !== null && inProc !== null ? formatMs(wall - inProc) : '—',
          formatMs(sum(v.floorAll.map((f) => f.queryMs))?.median ?? null),
        ];
      }),
      ['left', 'right', 'right', ...groupNames.map(() => 'right' as const), 'right', 'right'],
    ),
  );
  out.push(
    `\n\`query X\` = run.json ms of that query (queries named by day are summed, with their count; queries may overlap). ` +
      `\`outside the pipeline\` = wall − in-process: Node and module start-up, config loading, DuckDB open and view creation, shutdown. ` +
      `For scale, \`nsm validate\` (start-up and config only) takes ${formatTiming(startup)}.\n`,
  );

  const traced = r.variants.filter((v) => v.reads);
  if (traced.length) {
    out.push('\n## Bytes read per night (strace of one untimed run; the local stand-in for Athena bytes scanned)\n');
    out.push(
      markdownTable(
        [
          'lake',
          'partitions read',
          'lake files opened',
          'lake bytes read',
          'results/state bytes read',
          'total',
          'one day (D) on disk',
          'total / one day',
        ],
        traced.map((v) => {
          const reads = v.reads!;
          const total = reads.lakeBytes + reads.resultsBytes;
          const day = v.dayPartitionBytes;
          return [
            v.dep.name,
            reads.partitions.length
              ? `${reads.partitions.length} (${reads.partitions[0]} … ${reads.partitions[reads.partitions.length - 1]})`
              : '0',
            String(reads.lakeOpened),
            formatBytes(reads.lakeBytes),
            formatBytes(reads.resultsBytes),
            formatBytes(total),
            formatBytes(day),
            formatRatio(day ? total / day : null),
          ];
        }),
        ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
  }

  if (r.sweep?.pairs.length) out.push(sweepCostLines(r.sweep.lake, r.sweep.pairs));
  if (r.baseline?.pairs.length) out.push(baselineCostLines(r.baseline.lake, r.baseline.dir, r.baseline.pairs));
  if (r.setting?.pairs.length) out.push(settingCostLines(r.setting.lake, r.setting.setting, r.setting.pairs));

  out.push('\n## Agreement of nsm and the seed method\n');
  if (!r.agreement) {
    out.push('Not checked (seed method skipped).\n');
  } else {
    const a = r.agreement;
    out.push(
      `Verdict: **${a.verdict}** on ${r.seedLake ?? 'the json 1× lake'} (${a.checks.filter((c) => c.ok).length}/${a.checks.length} checks agree).\n`,
    );
    for (const n of a.notes) out.push(`- ${n}\n`);
    for (const d of describeDisagreements(a)) out.push(`- DISAGREE ${d}\n`);
  }
  for (const c of r.nightComparisons) {
    const what = `${c.metrics} metrics${c.candidates !== null ? `, ${c.candidates} candidates' counts` : ''}`;
    out.push(c.diff.length ? `- DISAGREE ${c.what}: ${c.diff.join(', ')}\n` : `- ${c.what} agree (${what}).\n`);
  }

  const seedDetail = r.seed.length
    ? `Seed method phases (median): load ${formatMs(sum(r.seed.map((s) => s.loadS * 1000))!.median)}, compute ${formatMs(sum(r.seed.map((s) => s.computeS * 1000))!.median)}; peak RSS ${formatBytes(maxRss(r.seed))}.`
    : '';
  out.push(`\n${seedDetail}\nTotal benchmark time ${formatMs(r.totalMs)} (lakes cached after the first run).\n`);
  return out.join('');
}

function uniqueLakes(variants: readonly VariantResult[]): LakeManifest[] {
  const seen = new Map<string, LakeManifest>();
  for (const v of variants) if (!seen.has(v.lake.key)) seen.set(v.lake.key, v.lake);
  return [...seen.values()];
}
