import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../../functions/core/stats/benjamini-hochberg';
import { expectClose } from './expect-close';

/*
 * Expected values: statsmodels 0.13.5 `multipletests(p, method='fdr_bh')[1]`, identical to the algorithm of
 * `scipy.stats.false_discovery_control(p, method='bh')` (scipy >= 1.11; Debian's 1.10.1 predates it), written out:
 *   o = np.argsort(p); q = p[o]*m/np.arange(1, m+1); q = np.minimum.accumulate(q[::-1])[::-1]; out[o] = np.clip(q, 0, 1)
 * Both gave the same values for every list below.
 */
describe('benjaminiHochberg', () => {
  it.each([
    [
      [0.01, 0.04, 0.03],
      [0.03, 0.04, 0.04],
    ],
    [
      [0.2, 1e-90, 0.03, 0.03, 0.9, 0.004, 0.5, 1.0],
      [0.32, 8e-90, 0.06, 0.06, 1.0, 0.016, 0.6666666666666666, 1.0],
    ],
    [
      [0.9, 0.95],
      [0.95, 0.95],
    ],
    [[0.5], [0.5]],
  ])('%j matches statsmodels / scipy', (p, expected) => {
    const q = benjaminiHochberg(p);
    expect(q).toHaveLength(expected.length);
    for (const [i, v] of q.entries()) expectClose(v, expected[i]!, 1e-12);
  });

  it('is monotone in p, never below p, and capped at 1', () => {
    const p = [0.5, 0.001, 0.2, 0.9, 0.049, 0.03, 0.7, 0.011];
    const q = benjaminiHochberg(p);
    const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
    for (let k = 1; k < order.length; k++) expect(q[order[k]!]!).toBeGreaterThanOrEqual(q[order[k - 1]!]!);
    q.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(p[i]!);
      expect(v).toBeLessThanOrEqual(1);
    });
  });

  it('returns [] for no tests and rejects values that are not p-values', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(/\[0, 1\]/);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(/\[0, 1\]/);
  });
});

describe('benjaminiHochberg over a family larger than the p-values given', () => {
  it('equals BH with p = 1 for every untested member (the sweep counts cells it could not test)', () => {
    // /usr/bin/python3: bh(p) as written at the top of this file;
    //   bh([8.047614997553061e-12, 2.5758273100353474e-18, 4.1951861382647607e-20, 4.099639006393644e-41, 0.559593940983802] + [1.0]*3)[:5]
    const p = [8.047614997553061e-12, 2.5758273100353474e-18, 4.1951861382647607e-20, 4.099639006393644e-41, 0.559593940983802];
    const expected = [1.6095229995106122e-11, 6.8688728267609265e-18, 1.6780744553059043e-19, 3.279711205114915e-40, 0.8953503055740832];
    const q = benjaminiHochberg(p, 8);
    for (const [i, v] of q.entries()) expectClose(v, expected[i]!, 1e-12);
    // The same p-values as a family of 5 give smaller q-values: the family size matters.
    expect(benjaminiHochberg(p)[0]!).toBeLessThan(q[0]!);
  });

  it('rejects a family smaller than the p-values given', () => {
    expect(() => benjaminiHochberg([0.1, 0.2], 1)).toThrow(/family size/);
    expect(() => benjaminiHochberg([0.1], 1.5)).toThrow(/family size/);
  });
});
