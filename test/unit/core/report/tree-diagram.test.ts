import { describe, expect, it } from 'vitest';
import { renderTreeDiagram, type TreeBox } from '../../../../functions/core/report/tree-diagram';
import { expectAccessibleSvgs, expectBalancedTags, expectNoBadValues } from './checks';

const frame = { id: 't', title: 'Tree', desc: 'A tree' };

function box(id: string, over: Partial<TreeBox> = {}, children: TreeBox[] = []): TreeBox {
  return { id, name: id, value: 100, change_pct: 0, status: 'ok', children, ...over };
}

/** x, y of each box's rect, by metric id (read from the `<title>` that starts each group). */
function rects(svg: string): Map<string, { x: number; y: number; w: number; h: number }> {
  const out = new Map<string, { x: number; y: number; w: number; h: number }>();
  for (const m of svg.matchAll(
    /<g class="node[^"]*"><title>[^<]*\((\w+)\):[^<]*<\/title><rect class="box" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g,
  )) {
    out.set(m[1] as string, { x: Number(m[2]), y: Number(m[3]), w: Number(m[4]), h: Number(m[5]) });
  }
  return out;
}

const tree = [
  box('nsm', { northStar: true, role: 'alert', value: 1144, change_pct: -13.4, status: 'drop' }, [
    box('a', { change_pct: 2.5 }),
    box('b', {}, [box('b1'), box('b2')]),
    box('c', { role: 'alert', status: 'drop', change_pct: -34.5 }, [box('c1', { role: 'driver', status: 'drop', change_pct: -35.2 })]),
  ]),
];

describe('renderTreeDiagram, layered', () => {
  const svg = renderTreeDiagram(tree, { ...frame, layout: 'layered', width: 760 });
  const r = rects(svg);

  it('puts one column per depth and each parent midway between its first and last child', () => {
    expect([...r.keys()]).toEqual(['nsm', 'a', 'b', 'b1', 'b2', 'c', 'c1']);
    const col = (id: string) => r.get(id)?.x;
    expect(col('a')).toBe(col('b'));
    expect(col('b1')).toBe(col('c1'));
    expect(col('nsm')).toBeLessThan(col('a') as number);
    expect(col('a')).toBeLessThan(col('b1') as number);
    const mid = (id: string) => (r.get(id)?.y as number) + (r.get(id)?.h as number) / 2;
    expect(mid('b')).toBeCloseTo((mid('b1') + mid('b2')) / 2, 6);
    expect(mid('nsm')).toBeCloseTo((mid('a') + mid('c')) / 2, 6);
  });

  it('connects every child to its parent; connectors into drivers and alerts are heavy', () => {
    expect(svg.match(/<path class="link/g)).toHaveLength(6);
    expect(svg.match(/<path class="link link-hot"/g)).toHaveLength(2);
  });

  it('shows value, change with arrow and sign, status and role as words', () => {
    expect(svg).toContain('<text class="node-value" x="20" y="');
    expect(svg).toContain('>1,144</text>');
    expect(svg).toContain('class="change change-down"');
    expect(svg).toContain('>▼ −13.4%</text>');
    expect(svg).toContain('>▲ +2.5%</text>');
    expect(svg).toContain('>→ 0.0%</text>');
    expect(svg).toMatch(/class="node-status status-drop"[^>]*>DROP</);
    expect(svg).toContain('>★ ALERT</text>');
    expect(svg).toContain('>DRIVER</text>');
    expect(svg).toContain('class="node node-drop node-driver"');
  });

  it('is well formed and titled', () => {
    expectNoBadValues(svg);
    expectBalancedTags(svg);
    expect(expectAccessibleSvgs(svg)).toBe(1);
  });
});

describe('renderTreeDiagram, indented', () => {
  const svg = renderTreeDiagram(tree, { ...frame, layout: 'indented', width: 380 });
  const r = rects(svg);
  it('stacks boxes depth-first, indented 20 units per level, within the width', () => {
    const ys = [...r.values()].map((b) => b.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect([...r.keys()]).toEqual(['nsm', 'a', 'b', 'b1', 'b2', 'c', 'c1']);
    expect((r.get('b1')?.x as number) - (r.get('b')?.x as number)).toBe(20);
    for (const b of r.values()) expect(b.x + b.w).toBeLessThanOrEqual(380);
    expect(svg).toContain('viewBox="0 0 380 ');
  });
});

describe('renderTreeDiagram, edge data', () => {
  it('wraps a long name on two lines and ends it with an ellipsis', () => {
    const long = 'Weekly active teams with three or more members posting at least once in a rolling window';
    const svg = renderTreeDiagram([box('x', { name: long })], { ...frame, layout: 'layered' });
    const lines = [...svg.matchAll(/<text class="node-name"[^>]*>([^<]*)</g)].map((m) => m[1] as string);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
    expect(svg).toContain(`<title>${long} (x)`);
  });

  it('escapes names from the config', () => {
    const svg = renderTreeDiagram([box('x', { name: '<img src=x onerror="alert(1)">&' })], frame);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;');
  });

  it('renders no tree, nulls, negative and huge values without NaN', () => {
    const cases: TreeBox[][] = [
      [],
      [box('n', { value: null, change_pct: null, status: 'insufficient_history' })],
      [box('neg', { value: -2.5e6, change_pct: -250 }, [box('huge', { value: Number.MAX_VALUE, change_pct: 1e300 })])],
      [box('nan', { value: Number.NaN, change_pct: Infinity })],
    ];
    for (const c of cases) {
      for (const layout of ['layered', 'indented'] as const) {
        const svg = renderTreeDiagram(c, { ...frame, layout });
        expectNoBadValues(svg);
        expectBalancedTags(svg);
        expect(expectAccessibleSvgs(svg)).toBe(1);
      }
    }
    expect(renderTreeDiagram([], frame)).toContain('No metrics in the tree');
    expect(renderTreeDiagram([box('n', { value: null, change_pct: null })], frame)).toContain('>no baseline</text>');
  });

  it('does not loop on a cycle in bad input', () => {
    const a = box('a');
    a.children.push(a);
    expect(rects(renderTreeDiagram([a], frame)).size).toBe(1);
  });

  it('grows past the requested width rather than squeezing deep trees', () => {
    let deep = box('d6');
    for (let i = 5; i >= 0; i--) deep = box(`d${i}`, {}, [deep]);
    const svg = renderTreeDiagram([deep], { ...frame, layout: 'layered', width: 760 });
    const w = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)?.[1]);
    expect(w).toBeGreaterThan(760); // 7 columns of at least 160
    expect(rects(svg).get('d1')?.w).toBe(160);
  });
});

describe('renderTreeDiagram, shares of a product/sum parent', () => {
  const shared = [box('p', {}, [box('x', { share_pct: 155.2 }), box('y', { share_pct: -55.2 })])];
  const plain = [box('p', {}, [box('x'), box('y')])];

  it.each(['layered', 'indented'] as const)('%s: writes each child share under its change, in a taller box', (layout) => {
    const svg = renderTreeDiagram(shared, { ...frame, layout });
    expect(svg).toContain('>155% of parent&#39;s change</text>');
    expect(svg).toContain('>\u2212' + '55% of parent&#39;s change</text>');
    expect(svg).toContain("(x): 100, 0.0% vs baseline, OK; 155% of parent's change</title>".replace("'", '&#39;'));
    const h = (s: string) => rects(s).get('x')?.h as number;
    expect(h(svg) - h(renderTreeDiagram(plain, { ...frame, layout }))).toBe(16);
    expectBalancedTags(svg);
    expectNoBadValues(svg);
  });

  it('has no share line without shares', () => {
    expect(renderTreeDiagram(plain, frame)).not.toContain('node-share');
  });
});
