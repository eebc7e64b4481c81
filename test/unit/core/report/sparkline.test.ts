import { describe, expect, it } from 'vitest';
import type { LinePoint } from '../../../../functions/core/report/line-chart';
import { renderSparkline } from '../../../../functions/core/report/sparkline';
import { expectAccessibleSvgs, expectBalancedTags, expectNoBadValues, pathD, pathPoints } from './checks';

const frame = { id: 's', title: 'Spark', desc: 'desc' };

describe('renderSparkline', () => {
  it('spans the box with 5 units of padding: min at the bottom, max at the top', () => {
    const pts: LinePoint[] = [
      { dt: '2026-11-15', value: 3 },
      { dt: '2026-11-16', value: 9 },
      { dt: '2026-11-17', value: 6 },
    ];
    const svg = renderSparkline(pts, { ...frame, from: '2026-11-15', to: '2026-11-17', width: 110, height: 30 });
    expect(pathPoints(pathD(svg, 'series') ?? '')).toEqual([
      [5, 25],
      [55, 5],
      [105, 15],
    ]);
    expect(svg).toContain('<circle class="today" cx="105" cy="15"');
    expectAccessibleSvgs(svg);
  });

  it('marks drop nights with a dot', () => {
    const svg = renderSparkline(
      [
        { dt: '2026-11-16', value: 10, drop: true },
        { dt: '2026-11-17', value: 12 },
      ],
      { ...frame, from: '2026-11-16', to: '2026-11-17' },
    );
    expect(svg.match(/class="drop-dot"/g)).toHaveLength(1);
  });

  it.each<[string, LinePoint[]]>([
    ['empty', []],
    ['one point', [{ dt: '2026-11-17', value: 1 }]],
    [
      'all equal',
      [
        { dt: '2026-11-16', value: 5 },
        { dt: '2026-11-17', value: 5 },
      ],
    ],
    [
      'nulls',
      [
        { dt: '2026-11-16', value: null },
        { dt: '2026-11-17', value: null, low: null, high: null },
      ],
    ],
    [
      'huge and negative',
      [
        { dt: '2026-11-16', value: -Number.MAX_VALUE },
        { dt: '2026-11-17', value: Number.MAX_VALUE, low: 0, high: 1e308 },
      ],
    ],
  ])('%s: no NaN, well formed, titled', (_, pts) => {
    const svg = renderSparkline(pts, { ...frame, from: '2026-08-19', to: '2026-11-17' });
    expectNoBadValues(svg);
    expectBalancedTags(svg);
    expect(expectAccessibleSvgs(svg)).toBe(1);
  });

  it('puts all-equal values on one horizontal line in the middle', () => {
    const svg = renderSparkline(
      [
        { dt: '2026-11-16', value: 5 },
        { dt: '2026-11-17', value: 5 },
      ],
      { ...frame, from: '2026-11-16', to: '2026-11-17', width: 100, height: 40 },
    );
    expect(pathPoints(pathD(svg, 'series') ?? '')).toEqual([
      [5, 20],
      [95, 20],
    ]);
  });
});
