import { describe, expect, it } from 'vitest';
import { nextTarget } from '../../../bench/next-target';

describe('nextTarget', () => {
  it('scales proportionally from the closest attempt when the goal is not bracketed', () => {
    expect(nextTarget([{ target: 400_000, mean: 1420 }], 1523)).toBe(429_014); // 400,000 × 1523 / 1420 = 429,014.08
  });

  it('interpolates between the closest attempts below and above the goal', () => {
    // 400k gave 1420/day, 428,806 gave 1720/day: 1523 lies 103/300 of the way.
    expect(
      nextTarget(
        [
          { target: 400_000, mean: 1420 },
          { target: 428_806, mean: 1720 },
        ],
        1523,
      ),
    ).toBe(409_890); // 400,000 + 28,806 × 103 / 300 = 409,890.06
  });

  it('never proposes a total already tried', () => {
    const tried = [{ target: 1000, mean: 50 }];
    const next = nextTarget(tried, 50.0000001);
    expect(next).not.toBe(1000);
    expect(next).toBeGreaterThan(1000);
  });
});
