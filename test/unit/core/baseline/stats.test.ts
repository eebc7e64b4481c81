import { describe, expect, it } from 'vitest';
import { baselineFor } from '../../../../functions/core/baseline/baseline';
import { changePct, robustZ } from '../../../../functions/core/baseline/change';
import { MAD_NORMAL_SCALE, madSpread } from '../../../../functions/core/baseline/mad';
import { median } from '../../../../functions/core/baseline/median';
import { sameWeekdayDays } from '../../../../functions/core/baseline/same-weekday';

// Reference values: /usr/bin/python3, numpy 1.x / scipy (Debian):
//   np.median(x)  and  scipy.stats.median_abs_deviation(x) * 1.4826

describe('median', () => {
  it.each([
    [[3, 1, 2], 2], // np.median([3,1,2]) = 2.0
    [[1, 2, 3, 10], 2.5], // np.median([1,2,3,10]) = 2.5
    [[2, 2, 4, 4], 3], // np.median([2,2,4,4]) = 3.0 (ties around the middle)
    [[5, 5, 5, 7], 5], // np.median([5,5,5,7]) = 5.0
    [[100, 102, 98, 101], 100.5], // np.median([100,102,98,101]) = 100.5
    [[42], 42],
  ])('median(%j) = %d', (x, want) => {
    expect(median(x)).toBe(want);
  });

  it('is null for an empty sample and does not reorder its input', () => {
    expect(median([])).toBeNull();
    const x = [3, 1, 2];
    median(x);
    expect(x).toEqual([3, 1, 2]);
  });

  it('sorts numerically, not as strings', () => {
    expect(median([9, 10, 100])).toBe(10); // a string sort would put 100 in the middle
  });
});

describe('madSpread', () => {
  it('uses the 1.4826 factor of docs/design.md', () => {
    expect(MAD_NORMAL_SCALE).toBe(1.4826);
  });

  it.each([
    [[3, 1, 2], 1.4826], // median_abs_deviation([3,1,2]) * 1.4826 = 1.4826
    [[1, 2, 3, 4, 100], 1.4826], // … = 1.4826: the outlier 100 does not widen it
    [[1500, 1480, 1530, 1510], 22.239], // … = 22.238999999999997
    [[0.5, 0.25, 0.125], 0.185325], // … = 0.185325
    [[2, 2, 4, 4], 1.4826], // … = 1.4826 (ties)
    [[5, 5, 5, 7], 0], // … = 0.0: more than half equal
    [[7, 7, 7, 7], 0], // … = 0.0
  ])('madSpread(%j) = %d', (x, want) => {
    expect(madSpread(x)).toBeCloseTo(want, 10);
  });

  it('is null for an empty sample', () => {
    expect(madSpread([])).toBeNull();
  });
});

describe('baselineFor', () => {
  it('skips null, undefined and non-finite values instead of counting them as zero', () => {
    // np.median([10,12,11]) = 11.0; median_abs_deviation([10,12,11]) * 1.4826 = 1.4826
    expect(baselineFor([10, null, 12, undefined, 11, Number.NaN])).toEqual({ n: 3, baseline: 11, spread: 1.4826 });
  });

  it('reports n = 0 and null baseline and spread with no values', () => {
    expect(baselineFor([null, null])).toEqual({ n: 0, baseline: null, spread: null });
    expect(baselineFor([])).toEqual({ n: 0, baseline: null, spread: null });
  });

  it('keeps zeros: a zero is a measurement', () => {
    expect(baselineFor([0, 0, 0, 4])).toEqual({ n: 4, baseline: 0, spread: 0 });
  });
});

describe('changePct / robustZ', () => {
  it('follow docs/design.md', () => {
    expect(changePct(80, 100)).toBe(-20);
    expect(changePct(150, 100)).toBe(50);
    expect(robustZ(80, 100, 5)).toBe(-4);
    expect(robustZ(103, 100, 1.4826)).toBeCloseTo(3 / 1.4826, 12);
  });

  it('are null when they cannot be computed', () => {
    expect(changePct(5, 0)).toBeNull(); // zero baseline
    expect(changePct(null, 10)).toBeNull();
    expect(changePct(10, null)).toBeNull();
    expect(robustZ(5, 5, 0)).toBeNull(); // zero spread
    expect(robustZ(null, 5, 1)).toBeNull();
    expect(robustZ(5, 5, null)).toBeNull();
  });
});

describe('sameWeekdayDays', () => {
  it('lists D-7 … D-7·weeks, newest first, across month and year ends', () => {
    expect(sameWeekdayDays('2024-01-10', 3)).toEqual(['2024-01-03', '2023-12-27', '2023-12-20']);
    expect(sameWeekdayDays('2024-03-05', 1)).toEqual(['2024-02-27']); // leap year February
    expect(sameWeekdayDays('2024-03-05', 0)).toEqual([]);
  });
});
