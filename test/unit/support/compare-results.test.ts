/**
 * The engine equality suite's comparison (test/support/engines/compare-results.ts): it must see a
 * difference in any value, and only tolerate what differs between the two paths on purpose.
 */
import { describe, expect, it } from 'vitest';
import { diffNight, diffValues } from '../../support/engines/compare-results';
import { MemoryResultStore } from '../../support/memory-store';

describe('diffValues', () => {
  it('finds a changed number, string, missing field or extra row, and nothing in equal values', () => {
    expect(diffValues({ a: [1, 'x'], b: null }, { a: [1, 'x'], b: null })).toEqual([]);
    expect(diffValues({ a: 1 }, { a: 2 })).toEqual(['.a: 1 vs 2']);
    expect(diffValues({ a: 'x' }, { a: 'y' })).toEqual(['.a: "x" vs "y"']);
    expect(diffValues({ a: 1 }, { a: 1, b: 0 })).toEqual(['.b: only in the second']);
    expect(diffValues([{ n: 1 }], [{ n: 1 }, { n: 2 }])).toEqual([': 1 items vs 2']);
    expect(diffValues({ a: null }, { a: 0 })).toEqual(['.a: null vs 0']);
  });

  it('lets doubles differ by 1e-9 relative (another summation order), no more', () => {
    expect(diffValues(0.1 + 0.2, 0.3)).toEqual([]);
    expect(diffValues(1e6, 1e6 * (1 + 5e-10))).toEqual([]);
    expect(diffValues(1e6, 1e6 * (1 + 2e-9))).toHaveLength(1);
  });
});

describe('diffNight', () => {
  const D = '2024-04-15';
  const alert = (open: string) =>
    `${JSON.stringify({ kind: 'drop', message: `x dropped.\n\nReport: ${open ? 's3://b/nsm' : '/tmp/r'}/reports/dt=${D}/report.html\n${open}` })}\n`;

  it("ignores the results location and the S3 console's Open: line, not a difference beside them", async () => {
    const s3 = new MemoryResultStore();
    Object.defineProperty(s3, 'location', { value: 's3://b/nsm' });
    const folder = new MemoryResultStore();
    Object.defineProperty(folder, 'location', { value: '/tmp/r' });
    await s3.put(
      `alerts/dt=${D}/alerts.jsonl`,
      alert('Open:   https://s3.console.aws.amazon.com/s3/object/b?region=us-east-1&prefix=nsm%2Fr\n'),
      'application/json',
    );
    await folder.put(`alerts/dt=${D}/alerts.jsonl`, alert(''), 'application/json');
    expect(await diffNight(s3, folder, D)).toEqual([]);
    await folder.put(`alerts/dt=${D}/alerts.jsonl`, alert('').replace('x dropped', 'y dropped'), 'application/json');
    expect(await diffNight(s3, folder, D)).toHaveLength(1);
  });

  it('compares run.json without the fields about the run, and a document present on one side only', async () => {
    const a = new MemoryResultStore();
    const b = new MemoryResultStore();
    await a.put(`runs/dt=${D}/run.json`, JSON.stringify({ engine: 'athena', ms: 9, day_events: 10 }), 'application/json');
    await b.put(`runs/dt=${D}/run.json`, JSON.stringify({ engine: 'duckdb', ms: 1, day_events: 10 }), 'application/json');
    expect(await diffNight(a, b, D)).toEqual([]);
    await b.put(`runs/dt=${D}/run.json`, JSON.stringify({ engine: 'duckdb', ms: 1, day_events: 11 }), 'application/json');
    expect(await diffNight(a, b, D)).toEqual([`runs/dt=${D}/run.json.day_events: 10 vs 11`]);
    await a.put(`metrics/dt=${D}/metrics.jsonl`, '{"metric_id":"m","value":1}\n', 'application/json');
    expect(await diffNight(a, b, D)).toContain(`metrics/dt=${D}/metrics.jsonl: [{"metric_id":"m","value":1}] vs null`);
  });
});
