import { describe, expect, it } from 'vitest';
import { classificationRates } from '../../../../functions/core/stats/classification-rates';
import { phiCoefficient } from '../../../../functions/core/stats/phi-coefficient';
import { expectClose } from './expect-close';

/*
 * Expected values from /usr/bin/python3 (numpy 1.24, Debian), per table (n_hit, retained_hit, n_miss, retained_miss),
 * with hit = np.r_[np.ones(n_hit), np.zeros(n_miss)] and ret the matching 0/1 outcomes:
 *   phi = np.corrcoef(hit, ret)[0, 1]
 *   tp, fp, fn, tn = retained_hit, n_hit - retained_hit, retained_miss, n_miss - retained_miss
 *   ppv = tp/(tp+fp); npv = tn/(tn+fn); sensitivity = tp/(tp+fn); specificity = tn/(tn+fp)   (None for a 0 denominator)
 */
const CASES: [string, [number, number, number, number], (number | null)[]][] = [
  // [name, [n_hit, retained_hit, n_miss, retained_miss], [phi, ppv, npv, sensitivity, specificity]]
  ['a strong action', [120, 84, 880, 106], [0.48006512051617073, 0.7, 0.8795454545454545, 0.4421052631578947, 0.9555555555555556]],
  ['a common action', [300, 150, 700, 140], [0.30297216390777826, 0.5, 0.8, 0.5172413793103449, 0.7887323943661971]],
  ['nobody hit', [0, 0, 1000, 190], [null, null, 0.81, 0, 1]],
  ['everyone hit', [1000, 190, 0, 0], [null, 0.19, null, 1, 0]],
  ['a perfect predictor', [50, 50, 950, 0], [0.9999999999999999, 1, 1, 1, 1]],
  ['a single hitter', [1, 1, 999, 189], [0.06532553344640159, 1, 0.8108108108108109, 0.005263157894736842, 1]],
];

describe('classificationRates and phi of a 2×2 table', () => {
  it.each(CASES)('%s matches numpy', (_, [nHit, rHit, nMiss, rMiss], [phi, ppv, npv, sens, spec]) => {
    const table = { n_hit: nHit, retained_hit: rHit, n_miss: nMiss, retained_miss: rMiss };
    expectClose(phiCoefficient(table), phi!, 1e-12);
    const rates = classificationRates(table);
    expectClose(rates.ppv, ppv!, 1e-12);
    expectClose(rates.npv, npv!, 1e-12);
    expectClose(rates.sensitivity, sens!, 1e-12);
    expectClose(rates.specificity, spec!, 1e-12);
  });

  it('gives values, not errors, for a degenerate table: an empty cohort has no rate at all', () => {
    expect(classificationRates({ n_hit: 0, retained_hit: 0, n_miss: 0, retained_miss: 0 })).toEqual({
      ppv: null,
      npv: null,
      sensitivity: null,
      specificity: null,
    });
    // Everyone retained: specificity has no not-retained user to speak of.
    expect(classificationRates({ n_hit: 3, retained_hit: 3, n_miss: 2, retained_miss: 2 }).specificity).toBeNull();
  });
});
