import { describe, expect, it } from 'vitest';
import { type ForestRow, forestDomain, renderForestPlot } from '../../../../functions/core/report/forest-plot';
import { expectAccessibleSvgs, expectBalancedTags, expectNoBadValues } from './checks';

const frame = { id: 'f', title: 'Lifts', desc: 'Forest' };
const row = (
  id: string,
  lift: number | null,
  low: number | null,
  high: number | null,
  verdict: ForestRow['verdict'] = 'weak',
): ForestRow => ({ id, label: id, lift, low, high, verdict });

const attr = (el: string, name: string) => Number(new RegExp(`${name}="(-?[\\d.]+)"`).exec(el)?.[1]);

describe('forestDomain', () => {
  it('covers lifts, bounds, 1× and min_lift, widened to 1-2-5 values', () => {
    expect(forestDomain([row('a', 3.24, 2.85, 3.68), row('b', 1.04, 0.909, 1.18)], 2)).toEqual([0.5, 5]);
    expect(forestDomain([row('a', 5.49, 5.14, 5.86)], 2)).toEqual([1, 10]);
    expect(forestDomain([], 0)).toEqual([0.5, 2]); // only 1×: widened either side
  });
  it('never spans more than 1/1000× … 1000×', () => {
    expect(forestDomain([row('a', 1e-9, 1e-12, 1e9)], 2)).toEqual([0.001, 1000]);
  });
});

describe('renderForestPlot', () => {
  it('draws the square at the lift and the interval between its bounds, on the log scale', () => {
    const svg = renderForestPlot([row('a', 2, 1, 4, 'strong')], { ...frame, minLift: 2, width: 760 });
    const square = /<rect class="pt pt-strong"[^>]*>/.exec(svg)?.[0] ?? '';
    const minLine = /<line class="ref-min"[^>]*>/.exec(svg)?.[0] ?? '';
    const oneLine = /<line class="ref-one"[^>]*>/.exec(svg)?.[0] ?? '';
    const ci = /<line class="ci"[^>]*>/.exec(svg)?.[0] ?? '';
    // lift 2 = min_lift: the square is centred on the min-lift line
    expect(attr(square, 'x') + 5).toBeCloseTo(attr(minLine, 'x1'), 1);
    // CI from 1× (on the no-effect line) to 4×
    expect(attr(ci, 'x1')).toBeCloseTo(attr(oneLine, 'x1'), 1);
    // domain [1, 5] over [x0, x1]: 4× sits at ln4/ln5 of the way
    const x0 = attr(oneLine, 'x1');
    const x1 = 760 - 22;
    expect(attr(ci, 'x2')).toBeCloseTo(x0 + (Math.log(4) / Math.log(5)) * (x1 - x0), 1);
    expect(svg).toContain('>min lift 2.00×</text>');
    expect([...svg.matchAll(/<text class="tick"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['1×', '2×', '5×']);
  });

  it('ends an interval beyond the axis in an arrow', () => {
    const svg = renderForestPlot([row('a', 50, 0.0001, 5000)], { ...frame, minLift: 2 });
    expect(svg.match(/class="ci-arrow"/g)).toHaveLength(2);
    expectNoBadValues(svg);
  });

  it('writes a sentence where there is no lift, and shows the verdict in words', () => {
    const svg = renderForestPlot(
      [row('none', null, null, null), row('zero', 0, null, null), { ...row('few', 5.5, 5.1, 5.9, 'insufficient_data') }],
      { ...frame, minLift: 2 },
    );
    expect(svg).toContain('no lift: nobody without the action was retained');
    expect(svg).toContain('lift 0.00× (nobody retained with the action)');
    expect(svg).toContain('>too few users</text>');
    expect(svg).toContain('class="pt pt-insufficient_data"');
    expect(svg.match(/class="pt /g)).toHaveLength(1);
  });

  it('narrow layout: labels above rows, vertical lines only beside the marks', () => {
    const rows = [row('a', 3, 2, 4, 'strong'), row('b', 1.5, 1.1, 2.1)];
    const svg = renderForestPlot(rows, { ...frame, minLift: 2, layout: 'narrow' });
    expect(svg).toContain('viewBox="0 0 380 ');
    // one min-lift segment per row plus the stub under its label
    expect(svg.match(/<line class="ref-min"/g)).toHaveLength(3);
    const label = /<text class="row-label" x="([\d.]+)" y="([\d.]+)"/.exec(svg);
    const square = /<rect class="pt pt-strong"[^>]*y="([\d.]+)"/.exec(svg);
    expect(Number(square?.[1])).toBeGreaterThan(Number(label?.[2]));
  });

  it.each<[string, ForestRow[]]>([
    ['zero candidates', []],
    ['one candidate', [row('a', 1.2, 0.8, 1.8)]],
    ['all equal', [row('a', 1, 1, 1), row('b', 1, 1, 1)]],
    ['nulls', [row('a', null, null, null)]],
    ['negative and non-finite', [row('a', -2, -3, Number.NaN), row('b', Infinity, 1, Infinity)]],
    ['huge', [row('a', Number.MAX_VALUE, 1e300, Number.MAX_VALUE)]],
  ])('%s: no NaN, well formed, titled', (_, rows) => {
    for (const layout of ['wide', 'narrow'] as const) {
      const svg = renderForestPlot(rows, { ...frame, minLift: 2, layout });
      expectNoBadValues(svg);
      expectBalancedTags(svg);
      expect(expectAccessibleSvgs(svg)).toBe(1);
    }
  });

  it('escapes labels', () => {
    const svg = renderForestPlot([{ ...row('a', 2, 1, 3), label: '</text><script>x</script>' }], { ...frame, minLift: 2 });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
  });
});
