import { describe, expect, it } from 'vitest';
import { baselineFor } from '../../../../functions/core/baseline/baseline';
import { type DropThresholds, judgeMetric } from '../../../../functions/core/baseline/judge';
import { thresholdsFor } from '../../../../functions/core/baseline/thresholds';
import { alertsConfig } from '../../../support/config';

const T: DropThresholds = { min_drop_pct: 10, min_robust_z: 3.5, baseline_weeks: 4 };
const judge = (value: number | null, earlier: (number | null)[], t = T) => judgeMetric(value, baselineFor(earlier), t);

describe('judgeMetric', () => {
  it('flags a drop past both thresholds', () => {
    // np.median([100,102,98,101]) = 100.5; median_abs_deviation(...) * 1.4826 = 1.4826
    const j = judge(80, [100, 102, 98, 101]);
    expect(j.status).toBe('drop');
    expect(j.baseline).toBe(100.5);
    expect(j.change_pct).toBeCloseTo((100 * (80 - 100.5)) / 100.5, 12);
    expect(j.robust_z).toBeCloseTo((80 - 100.5) / 1.4826, 12);
  });

  it('is ok when the fall is large but within the noise (robust z above -min_robust_z)', () => {
    // np.median([100,140,60,120]) = 110; median_abs_deviation(...) * 1.4826 = 29.652 → z(85) = -0.84
    const j = judge(85, [100, 140, 60, 120]);
    expect(j.change_pct).toBeCloseTo(-22.727, 3);
    expect(j.robust_z).toBeCloseTo(-25 / 29.652, 10);
    expect(j.status).toBe('ok');
  });

  it('is ok when the fall is significant but small (change above -min_drop_pct)', () => {
    const j = judge(95, [100, 100.1, 99.9, 100]); // z ≈ -67, change -5%
    expect(j.robust_z!).toBeLessThan(-3.5);
    expect(j.status).toBe('ok');
  });

  it('treats the thresholds as inclusive', () => {
    // baseline 100, spread 2: change exactly -10%, z -5
    const j = judgeMetric(90, { n: 4, baseline: 100, spread: 2 }, T);
    expect(j.change_pct).toBe(-10);
    expect(j.status).toBe('drop');
    const z = judgeMetric(90, { n: 4, baseline: 100, spread: 10 / 3.5 }, T);
    expect(z.robust_z).toBeCloseTo(-3.5, 12);
    expect(judgeMetric(90, { n: 4, baseline: 100, spread: 10 / 3.4 }, T).status).toBe('ok');
  });

  it('with zero spread lets the change alone decide, and robust_z is null', () => {
    const flat = [50, 50, 50, 50];
    expect(judge(45, flat)).toEqual({ baseline: 50, change_pct: -10, robust_z: null, status: 'drop' });
    expect(judge(46, flat).status).toBe('ok'); // -8%
    // Ties: three equal weeks out of four also give MAD 0 (median_abs_deviation([50,50,50,70]) = 0.0)
    expect(judge(40, [50, 50, 50, 70])).toMatchObject({ robust_z: null, status: 'drop' });
  });

  it('never calls a rise a drop', () => {
    expect(judge(200, [100, 102, 98, 101]).status).toBe('ok');
  });

  it('with a zero baseline has no change_pct and is never a drop', () => {
    expect(judge(0, [0, 0, 0, 5])).toEqual({ baseline: 0, change_pct: null, robust_z: null, status: 'ok' });
    // Zero median with a spread (np.median([-2,0,0,3]) = 0.0; median_abs_deviation(...) * 1.4826 = 1.4826):
    // robust_z is still reported, and even a value far below stays ok, since no relative change exists.
    const j = judge(-50, [-2, 0, 0, 3]);
    expect(j.baseline).toBe(0);
    expect(j.change_pct).toBeNull();
    expect(j.robust_z).toBeCloseTo(-50 / 1.4826, 10);
    expect(j.status).toBe('ok');
  });

  it('does not call a rise of a negative-baseline metric a drop', () => {
    // baseline -100 (a sum of refunds), value 0: change_pct is -100 by the formula, but it rose.
    const j = judge(0, [-100, -100, -100, -100]);
    expect(j.change_pct).toBe(-100);
    expect(j.status).toBe('ok');
  });

  it('needs baseline_weeks usable earlier values: missing weeks and nulls give insufficient_history', () => {
    const j = judge(10, [100, null, 100, 100]);
    expect(j.status).toBe('insufficient_history');
    // …but still reports the partial baseline for people to read
    expect(j.baseline).toBe(100);
    expect(j.change_pct).toBe(-90);
    expect(judge(10, []).status).toBe('insufficient_history');
    expect(judge(10, [100, 100, 100], { ...T, baseline_weeks: 3 }).status).toBe('drop');
  });

  it('never flags a null value tonight', () => {
    expect(judge(null, [1, 2, 3, 4])).toEqual({ baseline: 2.5, change_pct: null, robust_z: null, status: 'ok' });
    expect(judge(null, [1]).status).toBe('insufficient_history');
  });

  it('with min_value, never calls a drop while the baseline is below the floor', () => {
    // baseline np.median([8, 9, 10, 11]) = 9.5; value 2 is -79% and far below the noise
    expect(judge(2, [8, 9, 10, 11]).status).toBe('drop');
    const floored = judge(2, [8, 9, 10, 11], { ...T, min_value: 10 });
    expect(floored).toMatchObject({ status: 'ok', baseline: 9.5 });
    expect(floored.change_pct).toBeCloseTo((100 * (2 - 9.5)) / 9.5, 12);
    // At or above the floor the usual rule applies.
    expect(judge(2, [8, 9, 10, 11], { ...T, min_value: 9.5 }).status).toBe('drop');
    // …and the floor never turns missing history into a verdict.
    expect(judge(2, [8, 9], { ...T, min_value: 10 }).status).toBe('insufficient_history');
  });
});

describe('thresholdsFor', () => {
  const alerts = alertsConfig({ min_drop_pct: 10, min_robust_z: 3.5, baseline_weeks: 4 });
  it('uses the global thresholds for a metric without overrides', () => {
    expect(thresholdsFor(alerts, { alert: undefined })).toEqual({
      min_drop_pct: 10,
      min_robust_z: 3.5,
      baseline_weeks: 4,
      min_value: undefined,
    });
  });

  it("lets each of a metric's alert overrides replace its global threshold, the others stay", () => {
    expect(thresholdsFor(alerts, { alert: { min_drop_pct: 30, min_robust_z: undefined, min_value: undefined } })).toEqual({
      min_drop_pct: 30,
      min_robust_z: 3.5,
      baseline_weeks: 4,
      min_value: undefined,
    });
    expect(thresholdsFor(alerts, { alert: { min_drop_pct: undefined, min_robust_z: 2, min_value: 50 } })).toEqual({
      min_drop_pct: 10,
      min_robust_z: 2,
      baseline_weeks: 4,
      min_value: 50,
    });
  });

  it('changes the verdict: a -20% fall is a drop under the global 10% and not under an override of 30%', () => {
    const b = baselineFor([100, 101, 99, 100]);
    expect(judgeMetric(80, b, thresholdsFor(alerts, { alert: undefined })).status).toBe('drop');
    const loose = thresholdsFor(alerts, { alert: { min_drop_pct: 30, min_robust_z: undefined, min_value: undefined } });
    expect(judgeMetric(80, b, loose).status).toBe('ok');
  });
});
