import { describe, expect, it } from 'vitest';
import { buildTreeBoxes, renderTreeSection } from '../../../../../functions/core/report/sections/tree';
import type { NightReport } from '../../../../../functions/core/results/report';
import { buildReportFixture } from '../../../../fixtures/report-fixture';
import { expectBalancedTags, expectNoBadValues } from '../checks';

/** The fixture's night with its north star declared a product of its first two children. */
function withProduct(residual: number | null): { report: NightReport; a: string; b: string } {
  const { report } = buildReportFixture();
  const [a, b] = report.tree[report.north_star]!;
  const metrics = report.metrics.map((m) =>
    m.metric_id === a
      ? { ...m, contribution: -300, contribution_pct: 150 }
      : m.metric_id === b
        ? { ...m, contribution: 100, contribution_pct: -50 }
        : m.metric_id === report.north_star
          ? { ...m, identity_residual_pct: residual }
          : m,
  );
  return { report: { ...report, metrics, relations: { ...report.relations, [report.north_star]: 'product' } }, a: a!, b: b! };
}

describe('renderTreeSection: shares of a product/sum parent', () => {
  it("gives each child box its share, and the table each child's share and contribution", () => {
    const { report, a, b } = withProduct(0.2);
    const boxes = buildTreeBoxes(report)[0]!.children;
    expect(boxes.find((x) => x.id === a)!.share_pct).toBe(150);
    expect(boxes.find((x) => x.id === b)!.share_pct).toBe(-50);
    const html = String(renderTreeSection(report));
    expectBalancedTags(html);
    expectNoBadValues(html);
    expect(html).toContain(`data-label="Part of parent's change">150.0% (\u2212300)</td>`);
    expect(html).toContain(`data-label="Part of parent's change">\u221250.0% (100)</td>`);
    expect(html).toContain('a child’s share of its product/sum parent’s move');
    expect(html).not.toContain('identity off by');
  });

  it('says when the declared formula is off by more than 1% tonight', () => {
    expect(String(renderTreeSection(withProduct(-3.25).report))).toContain('identity off by \u22123.3%');
  });

  it('shows no shares and no legend line for a tree of influence edges only', () => {
    const html = String(renderTreeSection(buildReportFixture().report));
    expect(html).not.toContain('node-share');
    expect(html).not.toContain('product/sum');
    expect(html).toContain('data-label="Part of parent\'s change">—</td>');
  });
});
