import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from '../../../functions/demo/prng';

/** Sample mean and variance of `n` draws. */
function moments(n: number, draw: () => number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: (sumSq - n * mean * mean) / (n - 1) };
}

describe('Rng (mulberry32)', () => {
  it('produces the reference mulberry32 sequence', () => {
    // /usr/bin/python3, a line-by-line port of mulberry32 with 32-bit masking:
    //   s=(s+0x6D2B79F5)&M; t=s; t=imul(t^(t>>15),t|1); t^=(t+imul(t^(t>>7),t|61))&M; out=(t^(t>>14))&M
    //   seed 1        -> [2693262067, 11749833, 2265367787, 4213581821, 4159151403]
    //   seed 20240601 -> [1518016969, 121048372, 2959089956, 900424260, 1856909739]
    const one = new Rng(1);
    expect([1, 2, 3, 4, 5].map(() => one.nextUint32())).toEqual([2693262067, 11749833, 2265367787, 4213581821, 4159151403]);
    const demo = new Rng(20240601);
    expect([1, 2, 3, 4, 5].map(() => demo.nextUint32())).toEqual([1518016969, 121048372, 2959089956, 900424260, 1856909739]);
  });

  it('float() is the 32-bit output over 2^32', () => {
    // Same port: [next(g)/2**32 for _ in range(3)] with seed 1
    const rng = new Rng(1);
    expect([rng.float(), rng.float(), rng.float()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('uses only the low 32 bits of the seed, and the same seed repeats the stream', () => {
    const a = new Rng(2 ** 32 + 7);
    const b = new Rng(7);
    const c = new Rng(7);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(xs);
    c.nextUint32();
    expect(c.nextUint32()).toBe(xs[1]);
  });

  it('float() stays in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(3);
    let min = 1;
    let max = 0;
    const m = moments(200_000, () => {
      const x = rng.float();
      min = Math.min(min, x);
      max = Math.max(max, x);
      return x;
    });
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard error of the mean: sqrt(1/12/200000) = 0.00065; 5 SE tolerance.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.0033);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(0.001);
  });

  it('int(n) covers 0 … n-1 evenly and nothing else', () => {
    const rng = new Rng(4);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)] += 1;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(70_000);
    // Each cell ~ Binomial(70000, 1/7): sd = 92.6; 5 sd.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(465);
  });

  it.each([0.3, 2.5, 9, 45])('poisson(%d) has mean and variance lambda', (lambda) => {
    const rng = new Rng(5);
    const n = 50_000;
    const m = moments(n, () => rng.poisson(lambda));
    // SE of the mean sqrt(lambda/n); 5 SE. Variance within 5% (SE of the sample variance of a
    // Poisson is about lambda*sqrt(2/n) = 0.6% of lambda).
    expect(Math.abs(m.mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(0.05);
  });

  it('poisson(0) and negative means give 0', () => {
    const rng = new Rng(6);
    expect(rng.poisson(0)).toBe(0);
    expect(rng.poisson(-1)).toBe(0);
  });

  it('exponential(mean) has that mean and standard deviation', () => {
    const rng = new Rng(7);
    const m = moments(100_000, () => rng.exponential(12));
    // SE of the mean: 12/sqrt(1e5) = 0.038.
    expect(Math.abs(m.mean - 12)).toBeLessThan(0.19);
    expect(Math.abs(Math.sqrt(m.variance) - 12)).toBeLessThan(0.3);
  });

  it('normal() has mean 0 and variance 1', () => {
    const rng = new Rng(8);
    const m = moments(100_000, () => rng.normal());
    expect(Math.abs(m.mean)).toBeLessThan(0.016);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.03);
  });

  it('weighted() picks indices in proportion to the weights and never a zero weight', () => {
    const rng = new Rng(9);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[rng.weighted([1, 0, 2, 3])]! += 1;
    expect(counts[1]).toBe(0);
    // Expected 10000, 0, 20000, 30000; binomial sd <= 122; 5 sd.
    expect(Math.abs(counts[0]! - 10_000)).toBeLessThan(610);
    expect(Math.abs(counts[2]! - 20_000)).toBeLessThan(610);
    expect(Math.abs(counts[3]! - 30_000)).toBeLessThan(610);
  });

  it('chance(p) is true with probability p', () => {
    const rng = new Rng(10);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (rng.chance(0.13)) hits++;
    // sd = sqrt(1e5*0.13*0.87) = 106; 5 sd.
    expect(Math.abs(hits - 13_000)).toBeLessThan(530);
    expect(new Rng(1).chance(0)).toBe(false);
    expect(new Rng(1).chance(1)).toBe(true);
  });
});

describe('deriveSeed', () => {
  it('is a deterministic 32-bit value that differs by label and by seed', () => {
    expect(deriveSeed(42, 'plan')).toBe(deriveSeed(42, 'plan'));
    expect(deriveSeed(42, 'plan')).not.toBe(deriveSeed(42, 'events'));
    expect(deriveSeed(42, 'plan')).not.toBe(deriveSeed(43, 'plan'));
    for (const s of [0, 1, 42, 2 ** 32 - 1]) {
      const v = deriveSeed(s, 'x');
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    }
  });

  it('gives streams that do not start alike for neighbouring seeds', () => {
    const firsts = new Set(Array.from({ length: 1000 }, (_, s) => new Rng(deriveSeed(s, 'plan')).nextUint32()));
    expect(firsts.size).toBe(1000);
  });
});
