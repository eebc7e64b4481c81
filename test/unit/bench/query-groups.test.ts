import { describe, expect, it } from 'vitest';
import { groupQueries, lakeStepMs, queryGroupName } from '../../../bench/query-groups';

describe('queryGroupName', () => {
  it.each([
    ['rollup 2024-06-30', 'rollup <day>'],
    ['entries 2024-03-05..2024-04-01', 'entries <day>..<day>'],
    ['metrics', 'metrics'],
  ])('%s → %s', (name, want) => {
    expect(queryGroupName(name)).toBe(want);
  });
});

describe('groupQueries', () => {
  it('sums the ms of queries that differ only by day, and counts them', () => {
    const g = groupQueries([
      { name: 'rollup 2024-06-29', ms: 40 },
      { name: 'metrics', ms: 250 },
      { name: 'rollup 2024-06-30', ms: 60 },
    ]);
    expect([...g]).toEqual([
      ['rollup <day>', { ms: 100, count: 2 }],
      ['metrics', { ms: 250, count: 1 }],
    ]);
  });

  it('is empty for a night without queries', () => {
    expect(groupQueries([]).size).toBe(0);
  });
});

describe('lakeStepMs', () => {
  it("sums the rollups (a steady night's only lake reads) and ignores the state queries", () => {
    expect(
      lakeStepMs([
        { name: 'rollup 2024-06-29', ms: 40 },
        { name: 'entries', ms: 20 },
        { name: 'rollup 2024-06-30', ms: 60 },
        { name: 'metrics', ms: 250 },
      ]),
    ).toBe(100);
  });

  it('is null when no rollup ran', () => {
    expect(lakeStepMs([{ name: 'metrics', ms: 250 }])).toBeNull();
  });
});
