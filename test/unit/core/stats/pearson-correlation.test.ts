import { describe, expect, it } from 'vitest';
import { fisherZInterval } from '../../../../functions/core/stats/fisher-z-interval';
import { pearsonCorrelation } from '../../../../functions/core/stats/pearson-correlation';
import { expectClose } from './expect-close';

describe('pearsonCorrelation', () => {
  it.each([
    // /usr/bin/python3: scipy.stats.pearsonr([1, 2, 3], [2, 4, 7]).statistic
    [[1, 2, 3], [2, 4, 7], 0.9933992677987828],
    // /usr/bin/python3: scipy.stats.pearsonr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).statistic
    [[1, 2, 3, 4, 5], [2, 1, 4, 3, 5], 0.8],
    // Large levels, small changes: /usr/bin/python3: numpy.corrcoef([1e9+1, 1e9+2, 1e9+4, 1e9+3], [5, 6, 9, 7])[0, 1]
    [[1e9 + 1, 1e9 + 2, 1e9 + 4, 1e9 + 3], [5, 6, 9, 7], 0.9827076298239908],
  ])('%j, %j matches scipy/numpy', (x, y, r) => {
    expectClose(pearsonCorrelation(x, y), r, 1e-12);
  });

  it('is null for fewer than 2 pairs or a constant sample (numpy gives nan), and checks lengths', () => {
    expect(pearsonCorrelation([1], [2])).toBeNull();
    expect(pearsonCorrelation([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(() => pearsonCorrelation([1, 2], [1])).toThrow(/2 x values but 1 y values/);
  });
});

describe('fisherZInterval', () => {
  it('matches scipy pearsonr(...).confidence_interval(0.95) and the z formula', () => {
    // /usr/bin/python3: scipy.stats.pearsonr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).confidence_interval(0.95)
    const ci = fisherZInterval(0.8, 5)!;
    expectClose(ci.low, -0.279640041969355, 1e-9);
    expectClose(ci.high, 0.9861961933012714, 1e-9);
    // /usr/bin/python3: np.tanh(np.arctanh(0.5) ∓ stats.norm.ppf(0.975)/np.sqrt(30 - 3))
    const half = fisherZInterval(0.5, 30)!;
    expectClose(half.low, 0.17043136511180007, 1e-9);
    expectClose(half.high, 0.7289585563883555, 1e-9);
    // 90%: /usr/bin/python3: np.tanh(np.arctanh(-0.3) ∓ stats.norm.ppf(0.95)/np.sqrt(100 - 3))
    const ninety = fisherZInterval(-0.3, 100, 0.9)!;
    expectClose(ninety.low, -0.4434596507543864, 1e-9);
    expectClose(ninety.high, -0.14155304496003374, 1e-9);
  });

  it('is null under 4 pairs, [r, r] for a perfect correlation, and rejects an r outside [-1, 1]', () => {
    expect(fisherZInterval(0.9, 3)).toBeNull();
    expect(fisherZInterval(1, 10)).toEqual({ low: 1, high: 1 });
    expect(fisherZInterval(-1, 10)).toEqual({ low: -1, high: -1 });
    expect(() => fisherZInterval(1.2, 10)).toThrow(/\[-1, 1\]/);
  });
});
