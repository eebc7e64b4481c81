/**
 * The lines of `segments.jsonl` (docs/alerts.md "Where: segments"): for one metric and every
 * segment of every dimension, tonight's value against the segment's usual share of the metric,
 * how much of the metric's change it accounts for, and a rank by ThirdEye's balanced score.
 *
 * With `Y`, `B` the metric's value and baseline tonight, `v` a segment's value, and the baseline
 * nights those same-weekday nights that recorded both the metric and its segments on the dimension:
 *
 * - `baseline_share_pct = 100 × Σ v_night / Σ Y_night` over those nights: the segment's usual share;
 * - `baseline = baseline_share_pct / 100 × B`. A median of sums is not a sum of medians, so the
 *   segment's own median is not used: with shares, the baselines of a `count` or `sum` metric's
 *   segments add up to its baseline and their contributions to 100;
 * - `change = v − baseline`, `change_pct = 100 × change / baseline`;
 * - `share_pct = 100 × v / Y`;
 * - `contribution_pct = 100 × change / (Y − B)`;
 * - `score = |contribution_pct| + |share_pct − baseline_share_pct|`;
 * - `rank`: within the metric, across all its dimensions, by score (highest first; ties by
 *   dimension in config order, then segment), leaving out segments under 1% of both volumes
 *   (`share_pct` and `baseline_share_pct`) and those without a score.
 *
 * A segment seen on a baseline night but not tonight is 0 tonight (it vanished); one seen tonight
 * but on no baseline night has a usual share of 0 (it appeared). A segment that is 0 tonight and
 * on every baseline night says nothing and gets no line.
 *
 * A value can enter the named list tonight (it rose into the `max_values` largest) after baseline
 * nights on which it was folded into `(other)`. On those nights its own value is unknown, not 0,
 * and `(other)` held it then but not tonight: counted as they stand, the value would look new
 * (all of it change) and `(other)` would mirror it with a fall, two segments that did not move.
 * So a segment's usual share uses only the baseline nights whose record of it compares with
 * tonight's ({@link comparable}); with none, its baseline, change and score are null and it is
 * not ranked. Values named on a baseline night stay named tonight (the segmented query keeps
 * them), so the other way round, a value named then but folded tonight, does not arise.
 */
import type { SegmentRow } from '../results/rows';
import { NONE_SEGMENT, OTHER_SEGMENT } from '../sql/segmented-metrics-query';

/** Segments under this share (%) both tonight and usually are left out of the ranking. */
export const MIN_RANKED_SHARE_PCT = 1;

/** One earlier (baseline) night as the formulas need it. */
export interface SegmentNight {
  /** The metric's value that night (null when unknown). */
  readonly metric: number | null;
  /** That night's segment values of the metric, by dimension; null when the night recorded none. */
  readonly segments: ReadonlyMap<string, ReadonlyMap<string, number>> | null;
}

export interface MetricSegmentsInput {
  readonly dt: string;
  readonly metricId: string;
  /** The config's dimensions, in order. */
  readonly dimensions: readonly string[];
  /** The metric tonight (`Y`) and its baseline (`B`, the same-weekday median of the drop rule). */
  readonly value: number | null;
  readonly baseline: number | null;
  /** Tonight's segment values, by dimension. */
  readonly tonight: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The baseline nights, in any order. */
  readonly history: readonly SegmentNight[];
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** -0 (a zero change divided by a fall) is written as 0. */
const plain = (x: number | null): number | null => (x === 0 ? 0 : x);

/**
 * Whether a baseline night's record of `segment` (one dimension's values that night) compares with
 * tonight's: always when the night folded nothing into `(other)`; else a named value must have been
 * named that night, and `(other)` must have held none of tonight's named values. `(none)` is never
 * folded.
 */
function comparable(night: ReadonlyMap<string, number>, segment: string, namedTonight: readonly string[]): boolean {
  if ((night.get(OTHER_SEGMENT) ?? 0) === 0 || segment === NONE_SEGMENT) return true;
  if (segment === OTHER_SEGMENT) return namedTonight.every((named) => night.has(named));
  return night.has(segment);
}

/** Named values first (alphabetical), then `(none)`, then `(other)`. */
function labelOrder(a: string, b: string): number {
  const special = (s: string) => (s === NONE_SEGMENT ? 1 : s === OTHER_SEGMENT ? 2 : 0);
  return special(a) - special(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Every segment line of one metric, ranked (see the module comment), by dimension then segment. */
export function metricSegmentRows(input: MetricSegmentsInput): SegmentRow[] {
  const { value: Y, baseline: B } = input;
  const rows: SegmentRow[] = [];
  for (const dimension of input.dimensions) {
    const tonight = input.tonight.get(dimension) ?? new Map<string, number>();
    const recorded = input.history.flatMap((n) => {
      const values = n.segments?.get(dimension);
      return finite(n.metric) && values !== undefined ? [{ metric: n.metric, values }] : [];
    });
    const labels = new Set<string>(tonight.keys());
    for (const n of recorded) for (const label of n.values.keys()) labels.add(label);
    const namedTonight = [...tonight.keys()].filter((s) => s !== NONE_SEGMENT && s !== OTHER_SEGMENT);
    for (const segment of [...labels].sort(labelOrder)) {
      const value = tonight.get(segment) ?? 0;
      const nights = recorded.filter((n) => comparable(n.values, segment, namedTonight));
      const metricTotal = nights.reduce((a, n) => a + n.metric, 0);
      const segmentTotal = nights.reduce((a, n) => a + (n.values.get(segment) ?? 0), 0);
      const baseline_share_pct = nights.length === 0 || metricTotal === 0 ? null : (100 * segmentTotal) / metricTotal;
      if (value === 0 && (baseline_share_pct === null || baseline_share_pct === 0)) continue;
      const baseline = baseline_share_pct === null || !finite(B) ? null : (baseline_share_pct / 100) * B;
      const change = baseline === null ? null : value - baseline;
      const change_pct = change === null || baseline === 0 ? null : (100 * change) / (baseline as number);
      const share_pct = !finite(Y) || Y === 0 ? null : (100 * value) / Y;
      const moved = finite(Y) && finite(B) ? Y - B : null;
      const contribution_pct = change === null || moved === null || moved === 0 ? null : (100 * change) / moved;
      const score =
        share_pct === null || baseline_share_pct === null
          ? null
          : Math.abs(contribution_pct ?? 0) + Math.abs(share_pct - baseline_share_pct);
      rows.push({
        dt: input.dt,
        metric_id: input.metricId,
        dimension,
        segment,
        value,
        baseline: plain(baseline),
        change: plain(change),
        change_pct: plain(change_pct),
        share_pct: plain(share_pct),
        baseline_share_pct: plain(baseline_share_pct),
        contribution_pct: plain(contribution_pct),
        score: plain(score),
        rank: null,
      });
    }
  }
  return rankSegments(rows, input.dimensions);
}

/** Sets `rank` on the rows of ONE metric (see the module comment); returns them in their own order. */
export function rankSegments(rows: readonly SegmentRow[], dimensions: readonly string[]): SegmentRow[] {
  const dimensionIndex = (d: string) => dimensions.indexOf(d);
  const small = (r: SegmentRow) => (r.share_pct ?? 0) < MIN_RANKED_SHARE_PCT && (r.baseline_share_pct ?? 0) < MIN_RANKED_SHARE_PCT;
  const ranked = rows
    .filter((r) => r.score !== null && !small(r))
    .sort(
      (a, b) =>
        (b.score as number) - (a.score as number) ||
        dimensionIndex(a.dimension) - dimensionIndex(b.dimension) ||
        labelOrder(a.segment, b.segment),
    );
  const rankOf = new Map(ranked.map((r, i) => [r, i + 1]));
  return rows.map((r) => ({ ...r, rank: rankOf.get(r) ?? null }));
}

/**
 * The top `n` segments that explain `metricIds`' move (by rank; several metrics, such as a ratio's
 * numerator and denominator, by score).
 */
export function topSegments(rows: readonly SegmentRow[], metricIds: readonly string[], n = 3): SegmentRow[] {
  return rows
    .filter((r) => metricIds.includes(r.metric_id) && r.rank !== null)
    .sort((a, b) => (b.score as number) - (a.score as number) || (a.rank as number) - (b.rank as number))
    .slice(0, n);
}
