/**
 * A small seeded pseudo-random generator for the demo lake. The demo must write the same bytes for
 * the same arguments on every machine, so it never touches `Math.random` or the clock.
 *
 * The core is mulberry32 (Tommy Ettinger, public domain; the common JavaScript version is
 * https://github.com/bryc/code/blob/master/jshash/PRNGs.md#mulberry32): a 32-bit state advanced by
 * a Weyl increment and mixed by two multiply-xorshift rounds. Its period (2^32) is far beyond the
 * few tens of millions of draws a demo lake needs, and it is fast in JavaScript because every step
 * stays in 32-bit integers (`Math.imul`).
 */

/** The mulberry32 Weyl increment. */
const GOLDEN = 0x6d2b79f5;

/** A deterministic stream of random numbers with the few distributions the generator uses. */
export class Rng {
  private state: number;

  /** @param seed any number; only its low 32 bits are used */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next raw 32-bit output of mulberry32, an integer in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + GOLDEN) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1): the 32-bit output divided by 2^32. */
  float(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [0, n); `n` must be a positive integer below 2^32. */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Exponential with the given mean, by inversion: `-mean·ln(1-U)`. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Standard normal by the Box–Muller transform (one of the pair is used; simplicity beats speed here). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]: keeps log finite
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Poisson with mean `lambda` (>= 0). Knuth's multiplication method (TAOCP vol. 2, 3.4.1) for
   * small means, which is all the generator needs per user-day; a rounded normal approximation
   * above 30, where Knuth's loop gets slow and the approximation is already close.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** An index drawn with probability proportional to `weights` (non-negative, not all zero). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** A new independent-looking stream: seeded from this one, so the parent's sequence decides it. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

/**
 * Mixes a seed and a stream label into a 32-bit seed (FNV-1a over the label, then the murmur3
 * finaliser), so the generator's phases get unrelated streams from one user seed and adding a
 * draw to one phase never shifts the numbers of another.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
