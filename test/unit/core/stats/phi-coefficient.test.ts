import { describe, expect, it } from 'vitest';
import { phiCoefficient } from '../../../../functions/core/stats/phi-coefficient';
import { expectClose } from './expect-close';

/*
 * Expected values: the Pearson correlation of the per-user 0/1 arrays (numpy 1.24.2):
 *   g = lambda n, r: np.r_[np.ones(r), np.zeros(n - r)]
 *   hit = np.r_[np.ones(n_hit), np.zeros(n_miss)]; ret = np.r_[g(n_hit, retained_hit), g(n_miss, retained_miss)]
 *   np.corrcoef(hit, ret)[0, 1]
 * numpy's own rounding is ~1e-15 relative (scipy.stats.pearsonr differs from it by as much), hence 1e-12.
 */
describe('phiCoefficient', () => {
  it.each([
    ['balanced', 500, 150, 500, 100, 0.11547005383792515],
    ['unbalanced', 120, 60, 2880, 430, 0.18590062598227589],
    ['tiny groups', 3, 2, 4, 1, 0.41666666666666663],
    ['extreme lift', 200, 120, 5000, 25, 0.6949801246918533],
    ['p around 1e-50', 1000, 490, 4000, 900, 0.2366000698580982],
    ['p around 1e-90', 3000, 1550, 3000, 800, 0.2560830891100106],
    ['everyone hit retained', 5, 5, 40, 10, 0.500000000000001],
  ])('%s matches numpy.corrcoef on the per-user arrays', (_, n_hit, retained_hit, n_miss, retained_miss, expected) => {
    expectClose(phiCoefficient({ n_hit, retained_hit, n_miss, retained_miss }), expected, 1e-12);
  });

  it('is exactly 0 for identical rates (numpy: 6.96e-16 from rounding)', () => {
    expect(phiCoefficient({ n_hit: 400, retained_hit: 100, n_miss: 800, retained_miss: 200 })).toBe(0);
  });

  it('is +1 / -1 for perfect association and flips sign with the groups', () => {
    expect(phiCoefficient({ n_hit: 10, retained_hit: 10, n_miss: 10, retained_miss: 0 })).toBe(1);
    expect(phiCoefficient({ n_hit: 10, retained_hit: 0, n_miss: 10, retained_miss: 10 })).toBe(-1);
  });

  it('is null when a margin is empty', () => {
    expect(phiCoefficient({ n_hit: 0, retained_hit: 0, n_miss: 10, retained_miss: 3 })).toBeNull(); // nobody hit
    expect(phiCoefficient({ n_hit: 5, retained_hit: 2, n_miss: 0, retained_miss: 0 })).toBeNull(); // everyone hit
    expect(phiCoefficient({ n_hit: 5, retained_hit: 5, n_miss: 7, retained_miss: 7 })).toBeNull(); // everyone retained
    expect(phiCoefficient({ n_hit: 0, retained_hit: 0, n_miss: 0, retained_miss: 0 })).toBeNull();
  });

  it('does not overflow on large cohorts', () => {
    // Margins ~1e8 each: their product (1e32) passes 2^53 by far; phi is the balanced case scaled.
    expectClose(phiCoefficient({ n_hit: 1e8, retained_hit: 3e7, n_miss: 1e8, retained_miss: 2e7 }), 0.11547005383792515, 1e-12);
  });
});
