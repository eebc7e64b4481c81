import { describe, expect, it } from 'vitest';
import {
  attributeChildren,
  attributeTree,
  identityResidualPct,
  productShares,
  sumShares,
} from '../../../../functions/core/attribution/tree-attribution';

const move = (value: number | null, baseline: number | null) => ({ value, baseline });

describe('productShares: ln(x_i/b_i) / sum_j ln(x_j/b_j)', () => {
  it('splits a fall between two falling factors', () => {
    // messages = posters x posts per poster: posters 1000 -> 730, posts per poster 4 -> 3.04.
    const [posters, perPoster] = productShares([move(730, 1000), move(3.04, 4)]);
    // python3: a=math.log(730/1000); b=math.log(3.04/4); a/(a+b), b/(a+b)
    expect(posters).toBeCloseTo(0.5341798046741785, 12);
    expect(perPoster).toBeCloseTo(0.46582019532582164, 12);
  });

  it('gives a factor that moved against the parent a negative share (they still add up to 1)', () => {
    // One factor halves, the other rises by 20%: the parent falls to 0.6 of its baseline.
    const [half, up] = productShares([move(50, 100), move(12, 10)]);
    // python3: a=math.log(0.5); b=math.log(1.2); a/(a+b), b/(a+b)
    expect(half).toBeCloseTo(1.3569154488567239, 12);
    expect(up).toBeCloseTo(-0.356915448856724, 12);
    expect(half! + up!).toBeCloseTo(1, 12);
  });

  it('is null for every child when a value or a baseline is zero or negative', () => {
    expect(productShares([move(730, 0), move(3, 4)])).toEqual([null, null]);
    expect(productShares([move(0, 1000), move(3, 4)])).toEqual([null, null]);
    expect(productShares([move(-5, 10), move(3, 4)])).toEqual([null, null]);
    expect(productShares([move(null, 10), move(3, 4)])).toEqual([null, null]);
  });

  it('is null when the log-changes cancel (the parent did not move), even by a rounding hair', () => {
    // ln(2) + ln(0.5) is 0; ln(1.1) + ln(1/1.1) leaves ~1e-17 behind in floating point.
    expect(productShares([move(2, 1), move(1, 2)])).toEqual([null, null]);
    expect(productShares([move(1.1, 1), move(1, 1.1)])).toEqual([null, null]);
  });
});

describe('sumShares: (x_i - b_i) / sum_j (x_j - b_j)', () => {
  it('splits a fall between children moving in opposite directions', () => {
    // web 100 -> 70, ios 100 -> 110: the total falls by 20; web accounts for 150% of it, ios for -50%.
    expect(sumShares([move(70, 100), move(110, 100)])).toEqual([1.5, -0.5]);
  });

  it('takes a zero baseline as it is (a child that appears tonight)', () => {
    // android 0 -> 10 (new), web 20 -> 15: +10 and -5 make +5.
    expect(sumShares([move(10, 0), move(15, 20)])).toEqual([2, -1]);
  });

  it('is null when the changes cancel or a child has no value', () => {
    expect(sumShares([move(110, 100), move(90, 100)])).toEqual([null, null]);
    expect(sumShares([move(110, 100), move(null, 100)])).toEqual([null, null]);
    expect(sumShares([move(110, 100), move(90, null)])).toEqual([null, null]);
  });
});

describe('attributeChildren: contribution = share x (Y - B), contribution_pct = 100 x share', () => {
  it('puts the parent change in the parent units', () => {
    // Y = 730 x 3.04 = 2219.2 against B = 4000.
    const [posters, perPoster] = attributeChildren('product', move(2219.2, 4000), [move(730, 1000), move(3.04, 4)]);
    // python3: a/(a+b)*(730*3.04-4000), b/(a+b)*(730*3.04-4000)
    expect(posters!.contribution).toBeCloseTo(-951.2673961637771, 9);
    expect(perPoster!.contribution).toBeCloseTo(-829.5326038362233, 9);
    expect(posters!.contribution_pct).toBeCloseTo(53.41798046741785, 10);
    expect(posters!.contribution! + perPoster!.contribution!).toBeCloseTo(2219.2 - 4000, 9);
  });

  it('for a sum, a child contribution is its own change when the identity holds', () => {
    expect(attributeChildren('sum', move(180, 200), [move(70, 100), move(110, 100)])).toEqual([
      { contribution: -30, contribution_pct: 150 },
      { contribution: 10, contribution_pct: -50 },
    ]);
  });

  it('keeps the share but has no contribution when the parent has no baseline', () => {
    expect(attributeChildren('sum', move(180, null), [move(70, 100), move(110, 100)])).toEqual([
      { contribution: null, contribution_pct: 150 },
      { contribution: null, contribution_pct: -50 },
    ]);
  });
});

describe('identityResidualPct: 100 x (Y - f(children)) / Y', () => {
  it('is 0 when the declared formula holds and says how far off it is when it does not', () => {
    expect(identityResidualPct('product', 2219.2, [730, 3.04])).toBeCloseTo(0, 10);
    // python3: 100*(2500-730*3.04)/2500
    expect(identityResidualPct('product', 2500, [730, 3.04])).toBeCloseTo(11.232000000000006, 10);
    // python3: 100*(200-(70+110))/200
    expect(identityResidualPct('sum', 200, [70, 110])).toBe(10);
  });

  it('is null for an influence parent, a parent of 0 or null, and a child without a value', () => {
    expect(identityResidualPct('influence', 200, [70, 110])).toBeNull();
    expect(identityResidualPct('sum', 0, [0, 0])).toBeNull();
    expect(identityResidualPct('sum', null, [70, 110])).toBeNull();
    expect(identityResidualPct('sum', 200, [70, null])).toBeNull();
  });
});

describe('attributeTree', () => {
  it('fills children of product and sum parents, their residuals, and nothing for influence edges', () => {
    const config = {
      tree: { nsm: ['signups', 'messages'], messages: ['posters', 'per_poster'], signups: ['web', 'ios'] },
      relations: { nsm: 'influence', messages: 'product', signups: 'sum' } as const,
    };
    const moves = new Map([
      ['nsm', move(50, 60)],
      ['messages', move(2219.2, 4000)],
      ['posters', move(730, 1000)],
      ['per_poster', move(3.04, 4)],
      ['signups', move(180, 200)],
      ['web', move(70, 100)],
      ['ios', move(110, 100)],
    ]);
    const out = attributeTree(config, moves);
    expect(out.get('nsm')).toBeUndefined();
    expect(out.get('messages')).toEqual({ contribution: null, contribution_pct: null, identity_residual_pct: expect.closeTo(0, 10) });
    expect(out.get('signups')).toEqual({ contribution: null, contribution_pct: null, identity_residual_pct: 0 });
    expect(out.get('web')).toEqual({ contribution: -30, contribution_pct: 150, identity_residual_pct: null });
    expect(out.get('posters')!.contribution_pct).toBeCloseTo(53.41798046741785, 10);
  });
});
