import { describe, expect, it } from 'vitest';
import { katzLiftCi } from '../../../../functions/core/stats/katz-lift-ci';
import { expectClose } from './expect-close';

/*
 * Expected values: the Katz formula by hand in numpy (Debian python3-scipy 1.10.1), a = retained_hit,
 * c = retained_miss:
 *   rr = (a/n_hit)/(c/n_miss); se = np.sqrt(1/a - 1/n_hit + 1/c - 1/n_miss); z = stats.norm.ppf(0.975)
 *   low, high = np.exp(np.log(rr) - z*se), np.exp(np.log(rr) + z*se)
 */
describe('katzLiftCi', () => {
  it.each([
    ['balanced', 500, 150, 500, 100, 1.2030721851062567, 1.8702119688697454],
    ['unbalanced', 120, 60, 2880, 430, 2.7444637288492557, 4.086303104144168],
    ['tiny groups', 3, 2, 4, 1, 0.4083243699672151, 17.41534827245817],
    ['extreme lift', 200, 120, 5000, 25, 79.87279680233416, 180.28666300037682],
    ['identical groups', 400, 100, 800, 200, 0.8122999799140772, 1.231072294382892],
    ['p around 1e-50', 1000, 490, 4000, 900, 1.999363374588117, 2.3721130984305185],
    ['p around 1e-90', 3000, 1550, 3000, 800, 1.8088693196540229, 2.0752777490404886],
    ['everyone hit retained', 5, 5, 40, 10, 2.338561783567419, 6.841811968547775],
  ])('%s matches the hand formula', (_, n_hit, retained_hit, n_miss, retained_miss, low, high) => {
    const ci = katzLiftCi({ n_hit, retained_hit, n_miss, retained_miss });
    expect(ci).not.toBeNull();
    expectClose(ci!.low, low);
    expectClose(ci!.high, high);
  });

  it('contains the lift and is symmetric around it on the log scale', () => {
    const ci = katzLiftCi({ n_hit: 100, retained_hit: 40, n_miss: 200, retained_miss: 40 })!;
    expectClose(Math.sqrt(ci.low * ci.high), 2, 1e-12);
  });

  it('narrows as the level drops', () => {
    const table = { n_hit: 100, retained_hit: 40, n_miss: 200, retained_miss: 40 };
    const wide = katzLiftCi(table, 0.99)!;
    const narrow = katzLiftCi(table, 0.8)!;
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
  });

  it('is null when a group has no retained user (log scale undefined)', () => {
    expect(katzLiftCi({ n_hit: 10, retained_hit: 0, n_miss: 20, retained_miss: 5 })).toBeNull();
    expect(katzLiftCi({ n_hit: 10, retained_hit: 4, n_miss: 20, retained_miss: 0 })).toBeNull();
    expect(katzLiftCi({ n_hit: 0, retained_hit: 0, n_miss: 0, retained_miss: 0 })).toBeNull();
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => katzLiftCi({ n_hit: 10, retained_hit: 4, n_miss: 20, retained_miss: 5 }, 95)).toThrow(/level/);
  });
});
