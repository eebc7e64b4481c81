/**
 * The 2×2 table of an action read as a test that predicts retention (hit = "predicts retained"):
 * the four rates of a diagnostic test (Altman & Bland 1994, BMJ 308:1552 and 309:102).
 *
 * With a = retained hitters, b = not-retained hitters, c = retained missers, d = not-retained missers:
 *
 *   ppv         = a / (a + b)   of the users who hit, the share retained (= rate_hit)
 *   npv         = d / (c + d)   of the users who missed, the share not retained (= 1 − rate_miss)
 *   sensitivity = a / (a + c)   of the retained users, the share who hit
 *   specificity = d / (b + d)   of the users not retained, the share who missed
 *
 * Each is null when its denominator is 0 (no hitter, no misser, nobody retained, everybody retained):
 * a value, not an error, since a sweep meets such cells all the time.
 *
 * @example classificationRates({ n_hit: 10, retained_hit: 6, n_miss: 30, retained_miss: 6 })
 *   // { ppv: 0.6, npv: 0.8, sensitivity: 0.5, specificity: 0.8571… }
 */
import { proportion } from './proportion';
import type { TwoByTwo } from './two-by-two';

export interface ClassificationRates {
  readonly ppv: number | null;
  readonly npv: number | null;
  readonly sensitivity: number | null;
  readonly specificity: number | null;
}

export function classificationRates(table: TwoByTwo): ClassificationRates {
  const a = table.retained_hit;
  const b = table.n_hit - table.retained_hit;
  const c = table.retained_miss;
  const d = table.n_miss - table.retained_miss;
  return {
    ppv: proportion(a, a + b),
    npv: proportion(d, c + d),
    sensitivity: proportion(a, a + c),
    specificity: proportion(d, b + d),
  };
}
