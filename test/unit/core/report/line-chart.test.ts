import { describe, expect, it } from 'vitest';
import { type LinePoint, renderLineChart } from '../../../../functions/core/report/line-chart';
import { expectAccessibleSvgs, expectBalancedTags, expectNoBadValues, pathD, pathPoints } from './checks';

const frame = { id: 'c', title: 'Trend', desc: 'A test chart' };

function check(svg: string): void {
  expectNoBadValues(svg);
  expectBalancedTags(svg);
  expect(expectAccessibleSvgs(svg)).toBe(1);
}

describe('renderLineChart', () => {
  it('draws known data at the expected points', () => {
    const pts: LinePoint[] = [
      { dt: '2026-11-15', value: 0 },
      { dt: '2026-11-16', value: 10 },
      { dt: '2026-11-17', value: 5 },
    ];
    const svg = renderLineChart(pts, { ...frame, from: '2026-11-15', to: '2026-11-17', width: 200, height: 100 });
    check(svg);
    // y ticks 0…10 step 2 ("10" is 16.32 units wide at 12px → left margin 29); x range [29, 200-14];
    // y range [100 - 30 (labels) - 8 (air), 12 + 8].
    expect(pathD(svg, 'series')).toBe('M29,62L107.5,20L186,41');
    expect(svg).toContain('viewBox="0 0 200 100"');
    expect([...svg.matchAll(/<text class="tick"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual([
      '0',
      '2',
      '4',
      '6',
      '8',
      '10',
      '15 Nov',
      '16 Nov',
      '17 Nov',
    ]);
  });

  it('draws the band between low and high and the baseline dashed inside it', () => {
    const pts: LinePoint[] = [
      { dt: '2026-11-15', value: 4, baseline: 5, low: 4, high: 6 },
      { dt: '2026-11-16', value: 10, baseline: 5, low: 4, high: 6 },
    ];
    const svg = renderLineChart(pts, { ...frame, from: '2026-11-15', to: '2026-11-16', width: 200, height: 100 });
    check(svg);
    const band = pathPoints(pathD(svg, 'band') ?? '');
    const base = pathPoints(pathD(svg, 'baseline') ?? '');
    const line = pathPoints(pathD(svg, 'series') ?? '');
    expect(band).toHaveLength(4);
    // band top (high = 6) above the baseline (5) above the band bottom (low = 4); SVG y grows downwards
    expect(band[0]?.[1]).toBeLessThan(base[0]?.[1] as number);
    expect(band[3]?.[1]).toBeGreaterThan(base[0]?.[1] as number);
    expect(band[3]?.[1]).toBe(line[0]?.[1]); // low = value on the first night
  });

  it('breaks the line at a missing night and dots a lonely point', () => {
    const pts: LinePoint[] = [
      { dt: '2026-11-13', value: 1 },
      { dt: '2026-11-14', value: 2 },
      { dt: '2026-11-15', value: null },
      { dt: '2026-11-16', value: 3 },
      // 2026-11-17 has no row at all
    ];
    const svg = renderLineChart(pts, { ...frame, from: '2026-11-13', to: '2026-11-17' });
    check(svg);
    const d = pathD(svg, 'series') ?? '';
    expect(d.match(/M/g)).toHaveLength(1);
    expect(pathPoints(d)).toHaveLength(2);
    expect(svg.match(/class="series-dot"/g)).toHaveLength(1);
  });

  it('marks drops with a titled triangle and rings tonight', () => {
    const pts: LinePoint[] = [
      { dt: '2026-11-16', value: 100, drop: false },
      { dt: '2026-11-17', value: 80, change_pct: -20, drop: true },
    ];
    const svg = renderLineChart(pts, { ...frame, from: '2026-11-16', to: '2026-11-17' });
    check(svg);
    expect(svg).toContain('<g class="drop-marker"><title>Drop on Tue 17 Nov 2026: 80 (−20.0% vs baseline)</title>');
    expect(svg).toMatch(/<circle class="today-ring" [^>]*r="10"/);
  });

  it.each<[string, LinePoint[]]>([
    ['no points', []],
    ['one point', [{ dt: '2026-11-17', value: 42 }]],
    [
      'all equal',
      Array.from({ length: 30 }, (_, i) => ({ dt: `2026-10-${String(i + 1).padStart(2, '0')}`, value: 7, baseline: 7, low: 7, high: 7 })),
    ],
    [
      'all null',
      [
        { dt: '2026-11-16', value: null, baseline: null, low: null, high: null },
        { dt: '2026-11-17', value: null },
      ],
    ],
    [
      'negative',
      [
        { dt: '2026-11-16', value: -5e6 },
        { dt: '2026-11-17', value: -4.2e6, drop: true },
      ],
    ],
    [
      'huge',
      [
        { dt: '2026-11-16', value: 1e300 },
        { dt: '2026-11-17', value: -Number.MAX_VALUE, baseline: Number.MAX_VALUE },
      ],
    ],
    [
      'non-finite input',
      [
        { dt: '2026-11-16', value: Number.NaN },
        { dt: '2026-11-17', value: Infinity, low: -Infinity, high: 3 },
      ],
    ],
  ])('renders %s without NaN/Infinity', (_, pts) => {
    const svg = renderLineChart(pts, { ...frame, from: '2026-08-19', to: '2026-11-17' });
    check(svg);
  });

  it('puts a single night in the middle of a one-day axis', () => {
    const svg = renderLineChart([{ dt: '2026-11-17', value: 42 }], {
      ...frame,
      from: '2026-11-17',
      to: '2026-11-17',
      width: 200,
      height: 100,
    });
    const dot = /<circle class="series-dot" cx="([\d.]+)"/.exec(svg);
    // x range [left, 186]: its middle
    const left = Number(/<line class="grid" x1="([\d.]+)"/.exec(svg)?.[1]);
    expect(Number(dot?.[1])).toBeCloseTo((left + 186) / 2, 2);
  });

  it('escapes the title and description', () => {
    const svg = renderLineChart([], { id: 'x', title: '<script>a</script>', desc: '"&', from: '2026-11-17', to: '2026-11-17' });
    expect(svg).toContain('<title id="x-title">&lt;script&gt;a&lt;/script&gt;</title><desc id="x-desc">&quot;&amp;</desc>');
  });
});
