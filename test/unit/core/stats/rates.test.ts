/** proportion, share, lift and the ddof=1 variance of a 0/1 sample: the small pieces of the table. */
import { describe, expect, it } from 'vitest';
import { binarySampleVariance } from '../../../../functions/core/stats/binary-sample-variance';
import { lift } from '../../../../functions/core/stats/lift';
import { proportion } from '../../../../functions/core/stats/proportion';
import { share } from '../../../../functions/core/stats/share';
import { checkTwoByTwo } from '../../../../functions/core/stats/two-by-two';

describe('proportion', () => {
  it('is k/n, null for n = 0', () => {
    expect(proportion(3, 4)).toBe(0.75);
    expect(proportion(0, 4)).toBe(0);
    expect(proportion(0, 0)).toBeNull();
  });
});

describe('share', () => {
  it('is n_hit over the cohort, null for an empty cohort', () => {
    expect(share({ n_hit: 25, retained_hit: 3, n_miss: 75, retained_miss: 9 })).toBe(0.25);
    expect(share({ n_hit: 10, retained_hit: 3, n_miss: 0, retained_miss: 0 })).toBe(1); // everyone hit
    expect(share({ n_hit: 0, retained_hit: 0, n_miss: 0, retained_miss: 0 })).toBeNull();
  });
});

describe('lift', () => {
  it('is rate_hit / rate_miss', () => {
    expect(lift({ n_hit: 100, retained_hit: 60, n_miss: 400, retained_miss: 60 })).toBeCloseTo(4, 14);
    expect(lift({ n_hit: 100, retained_hit: 0, n_miss: 400, retained_miss: 60 })).toBe(0);
  });

  it('is null when rate_miss is 0 or a group is empty', () => {
    expect(lift({ n_hit: 100, retained_hit: 60, n_miss: 400, retained_miss: 0 })).toBeNull();
    expect(lift({ n_hit: 100, retained_hit: 60, n_miss: 0, retained_miss: 0 })).toBeNull(); // everyone hit
    expect(lift({ n_hit: 0, retained_hit: 0, n_miss: 10, retained_miss: 5 })).toBeNull();
  });
});

describe('binarySampleVariance', () => {
  it('equals numpy var(ddof=1) of the 0/1 sample', () => {
    expect(binarySampleVariance(1, 4)).toBe(0.25); // np.var([1, 0, 0, 0], ddof=1) = 0.25
    expect(binarySampleVariance(150, 500)).toBeCloseTo(0.21042084168336672, 15); // np.var(np.r_[np.ones(150), np.zeros(350)], ddof=1)
    expect(binarySampleVariance(5, 5)).toBe(0);
  });

  it('is null below two observations', () => {
    expect(binarySampleVariance(1, 1)).toBeNull();
    expect(binarySampleVariance(0, 0)).toBeNull();
  });
});

describe('checkTwoByTwo', () => {
  it('accepts counts and rejects impossible tables', () => {
    const ok = { n_hit: 3, retained_hit: 1, n_miss: 0, retained_miss: 0 };
    expect(checkTwoByTwo(ok)).toBe(ok);
    expect(() => checkTwoByTwo({ n_hit: 3, retained_hit: 4, n_miss: 0, retained_miss: 0 })).toThrow(/retained_hit 4 > n_hit 3/);
    expect(() => checkTwoByTwo({ n_hit: 3, retained_hit: 1, n_miss: 2, retained_miss: 3 })).toThrow(/retained_miss/);
    expect(() => checkTwoByTwo({ n_hit: -1, retained_hit: 0, n_miss: 0, retained_miss: 0 })).toThrow(/n_hit/);
    expect(() => checkTwoByTwo({ n_hit: 1.5, retained_hit: 0, n_miss: 0, retained_miss: 0 })).toThrow(/n_hit/);
  });
});
