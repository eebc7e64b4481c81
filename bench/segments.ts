/**
 * What segments cost (docs/performance.md "Segments on vs off"): the same steady night of the json
 * 1× lake with `segments` off and on (two dimensions of 20 values each, `BENCH_SEGMENTS`), timed
 * back to back in pairs whose order alternates, so a slow spell of the shared machine hits both
 * sides of a pair alike. The figure is the median of the per-pair ratios on/off; the goal is at
 * most {@link SEGMENTS_MAX_RATIO}. Pure: samples in, a check and a markdown section out.
 */
import { formatRatio, formatTiming, markdownTable } from './format';
import type { NightSample } from './report';
import { median, pairedRatios, summarize } from './stats';
import type { TargetCheck } from './targets';

/** A steady night with segments on may cost at most this many times the same night without. */
export const SEGMENTS_MAX_RATIO = 1.5;

export interface SegmentPairs {
  /** Entry i of `off` and `on` form pair i. */
  readonly off: readonly NightSample[];
  readonly on: readonly NightSample[];
  /** Lines of the segments-on night's `segments.jsonl` (0 would mean it measured nothing). */
  readonly segmentLines: number;
  /** Metric lines that differ between the off and on nights (the whole metrics must not move). */
  readonly metricDiffs: readonly string[];
}

const inProcess = (xs: readonly NightSample[]) => xs.map((n) => n.pipelineMs);
const wall = (xs: readonly NightSample[]) => xs.map((n) => n.wallMs);
const metricsStep = (xs: readonly NightSample[]) => xs.map((n) => n.queries.find((q) => q.name === 'metrics')?.ms ?? null);

/** The target row: median per-pair wall-time ratio on/off against {@link SEGMENTS_MAX_RATIO}. */
export function checkSegments(p: SegmentPairs): TargetCheck {
  const ratios = pairedRatios(wall(p.on), wall(p.off));
  const goal = `≤ ${SEGMENTS_MAX_RATIO}× (segments on / off, steady night, 2 dimensions × 20 values)`;
  if (ratios.length === 0) return { target: 'segments', measured: 'not measured', goal, pass: null };
  const r = median(ratios);
  const valid = p.segmentLines > 0 && p.metricDiffs.length === 0;
  return {
    target: 'segments',
    measured: `${formatRatio(r)} (median of ${ratios.length} pairs)${valid ? '' : '; the on night did not write segments or its metrics differ'}`,
    goal,
    pass: valid ? r <= SEGMENTS_MAX_RATIO : false,
  };
}

/** The report's section: wall, in-process and metrics-query times off/on, and their paired ratios. */
export function renderSegmentsSection(p: SegmentPairs): string {
  const row = (label: string, off: readonly (number | null)[], on: readonly (number | null)[]) => {
    const known = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null);
    const ratios = pairedRatios(on, off);
    const cell = (xs: number[]) => (xs.length ? formatTiming(summarize(xs)) : 'n/a');
    return [label, cell(known(off)), cell(known(on)), ratios.length ? formatRatio(median(ratios)) : 'n/a'];
  };
  const lines = [
    '\n## Segments on vs off\n',
    `The json 1× steady night, ${p.off.length} back-to-back pairs (order alternating), with \`segments: { dimensions: [country, app_version], max_values: 20 }\` against without. Ratio = median of the per-pair ratios on/off. The on night wrote ${p.segmentLines} segment lines${p.metricDiffs.length ? `; its metrics differ from the off night's: ${p.metricDiffs.slice(0, 3).join('; ')}` : ' and the same metrics as the off night'}.\n`,
    markdownTable(
      ['time', 'segments off', 'segments on', 'on / off'],
      [
        row('night (wall)', wall(p.off), wall(p.on)),
        row('night in-process', inProcess(p.off), inProcess(p.on)),
        row('metrics query', metricsStep(p.off), metricsStep(p.on)),
      ],
      ['left', 'right', 'right', 'right'],
    ),
  ];
  return lines.join('\n');
}
