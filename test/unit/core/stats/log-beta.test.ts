import { describe, expect, it } from 'vitest';
import { logBeta } from '../../../../functions/core/stats/log-beta';
import { expectClose } from './expect-close';

describe('logBeta', () => {
  it.each([
    [0.5, 0.5, 1.1447298858494], // scipy.special.betaln(0.5, 0.5)  (= ln π)
    [2.5, 0.5, 0.1639006328376739], // scipy.special.betaln(2.5, 0.5)
    [3, 4, -4.0943445622221], // scipy.special.betaln(3, 4)
    [0.5, 12, -0.6596747231378598], // scipy.special.betaln(0.5, 12)
    [12, 0.5, -0.6596747231378598], // scipy.special.betaln(12, 0.5)  (symmetric)
    [15, 40, -32.497130819813044], // scipy.special.betaln(15, 40)
    [2955.25, 0.5, -3.4232620237817173], // scipy.special.betaln(2955.25, 0.5)
    [5e7, 0.5, -8.29140183627151], // scipy.special.betaln(5e7, 0.5): no cancellation of lnΓ(5e7) ≈ 8.4e8
    [1e6, 1e6, -1386300.0033629201], // scipy.special.betaln(1e6, 1e6)
  ])('ln B(%s, %s) matches scipy to 1e-12', (a, b, expected) => {
    expectClose(logBeta(a, b), expected, 1e-12);
  });

  it('rejects non-positive arguments', () => {
    expect(() => logBeta(0, 1)).toThrow(/positive/);
  });
});
