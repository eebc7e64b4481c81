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
