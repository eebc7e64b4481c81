import { describe, expect, it } from 'vitest';
import { median, pairedRatios, ratio, signTestP, summarize } from '../../../bench/stats';

describe('median', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7, 7, 7, 1], 7],
    [[10, -2, 3.5], 3.5],
  ])('median(%j) = %d', (xs, want) => {
    expect(median(xs)).toBe(want);
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('throws on an empty list', () => {
    expect(() => median([])).toThrow('empty');
  });
});

describe('summarize', () => {
  it('gives n, median, min and max', () => {
    expect(summarize([900, 1200, 1000])).toEqual({ n: 3, median: 1000, min: 900, max: 1200 });
  });
  it('throws on an empty list', () => {
    expect(() => summarize([])).toThrow('empty');
  });
});

describe('ratio', () => {
  it('divides', () => {
    expect(ratio(30, 4)).toBe(7.5);
  });
  it.each([
    [null, 2],
    [2, null],
    [undefined, 2],
    [2, 0],
  ])('is null for %j / %j', (a, b) => {
    expect(ratio(a, b)).toBeNull();
  });
});

describe('pairedRatios', () => {
  it('divides round by round and skips rounds missing a side', () => {
    expect(pairedRatios([100, 200, null, 300], [50, 100, 10, 0])).toEqual([2, 2]);
  });
});

describe('signTestP', () => {
  // Reference values: scipy 1.10.1, scipy.stats.binomtest(wins, n, 0.5, alternative='greater').pvalue
  it.each([
    [5, 5, 0.03125],
    [4, 5, 0.1875],
    [6, 7, 0.0625],
    [7, 9, 0.08984375],
    [3, 3, 0.125],
    [0, 3, 1],
  ])('P(X >= %d of %d) = %d', (wins, n, want) => {
    expect(signTestP(wins, n)).toBeCloseTo(want, 12);
  });

  it('rejects impossible counts', () => {
    expect(() => signTestP(4, 3)).toThrow(RangeError);
  });
});
