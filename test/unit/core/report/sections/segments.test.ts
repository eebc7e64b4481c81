import { describe, expect, it } from 'vitest';
import { CHART_SEGMENTS, renderSegments } from '../../../../../functions/core/report/sections/segments';
import type { NightReport } from '../../../../../functions/core/results/report';
import type { MetricRow, SegmentRow } from '../../../../../functions/core/results/rows';
import { buildReportFixture } from '../../../../fixtures/report-fixture';
import { expectBalancedTags, expectNoBadValues } from '../checks';

const seg = (metric_id: string, segment: string, contribution_pct: number | null, rank: number | null, change_pct = -50): SegmentRow => ({
  dt: '2026-11-17',
  metric_id,
  dimension: 'platform',
  segment,
  value: 10,
  baseline: 20,
  change: -10,
  change_pct,
  share_pct: 10,
  baseline_share_pct: 20,
  contribution_pct,
  score: contribution_pct === null ? null : Math.abs(contribution_pct),
  rank,
});

/** The fixture's night with `fell` dropping and `steady` barely moving, and their segments. */
function report(segments: SegmentRow[] | null): NightReport {
  const { report: base } = buildReportFixture();
  const row = (id: string, change_pct: number, status: MetricRow['status']): MetricRow => ({
    ...base.metrics[0]!,
    metric_id: id,
    name: `Metric ${id}`,
    change_pct,
    status,
    is_north_star: false,
  });
  return { ...base, metrics: [...base.metrics, row('fell', -30, 'drop'), row('steady', 2, 'ok'), row('rose', 8, 'ok')], segments };
}

const bars = (html: string) => [...html.matchAll(/<title>(platform=[^:]+): ([^ ]+) of the move/g)].map((m) => [m[1], m[2]]);

describe('renderSegments', () => {
  it('is absent without segments in the config', () => {
    expect(renderSegments(report(null))).toBe('');
  });

  it('charts the metrics that moved (a drop, or 5% either way), their ranked segments in rank order, at most five', () => {
    const rows = [
      seg('fell', 'android', 96, 1),
      seg('fell', 'web', -12, 3, 20),
      seg('fell', 'ios', 16, 2),
      seg('fell', '(none)', 0.5, null),
      ...['a', 'b', 'c', 'd'].map((s, i) => seg('fell', s, 1, 4 + i)),
      seg('steady', 'android', 80, 1),
      seg('rose', 'web', 100, 1, 30),
    ];
    const html = String(renderSegments(report(rows)));
    expectBalancedTags(html);
    expectNoBadValues(html);
    expect(html.match(/data-chart="segments"/g)).toHaveLength(2); // fell and rose, not steady
    const fell = html.slice(html.indexOf('Metric fell'), html.indexOf('Metric rose'));
    expect(bars(fell)).toEqual([
      ['platform=android', '96%'],
      ['platform=ios', '16%'],
      ['platform=web', '\u221212%'],
      ['platform=a', '1%'],
      ['platform=b', '1%'],
    ]);
    expect(bars(fell)).toHaveLength(CHART_SEGMENTS);
  });

  it('draws a negative part left of the zero line and a positive one right of it, down red and up green', () => {
    const html = String(renderSegments(report([seg('fell', 'android', 120, 1), seg('fell', 'web', -20, 2, 40)])));
    const zero = Number(/class="axis" d="M([\d.]+),/.exec(html)?.[1]);
    const rect = /<rect class="seg-bar ([^"]+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g;
    const found = [...html.matchAll(rect)].map((m) => ({ cls: m[1], x: Number(m[2]), w: Number(m[3]) }));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ cls: 'seg-down', x: zero });
    expect(found[1]!.cls).toBe('seg-up');
    expect(found[1]!.x + found[1]!.w).toBeCloseTo(zero, 1);
    // 120% is six times as long as 20%.
    expect(found[0]!.w / found[1]!.w).toBeCloseTo(6, 2);
  });

  it('says so when no segment has history yet, and when nothing moved', () => {
    expect(String(renderSegments(report([seg('fell', 'android', null, null)])))).toContain('No segment explains the move yet');
    expect(String(renderSegments(report([seg('steady', 'android', 80, 1)])))).toContain(
      'No broken-down metric moved by 5% or more tonight.',
    );
  });
});
