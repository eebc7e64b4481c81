import { describe, expect, it } from 'vitest';
import { baselineFor } from '../../../../functions/core/baseline/baseline';
import { baselineNights, baselineValues } from '../../../../functions/core/baseline/clean-nights';
import type { HistoryNight, NightHistory } from '../../../../functions/core/baseline/history';
import { judgeMetric } from '../../../../functions/core/baseline/judge';
import { sameWeekdayDays } from '../../../../functions/core/baseline/same-weekday';
import type { MetricStatus } from '../../../../functions/core/results/rows';

const DT = '2024-03-31';

/** One night per same weekday, newest first: `[value, status]` of metric `a`, or null for a night that never ran. */
function historyOf(nights: ([number | null, MetricStatus] | null)[]): Pick<NightHistory, 'dt' | 'nights'> {
  const days = sameWeekdayDays(DT, nights.length);
  return {
    dt: DT,
    nights: nights.map(
      (n, i): HistoryNight => ({
        dt: days[i]!,
        metrics: n === null ? null : new Map([['a', n[0]]]),
        statuses: n === null ? null : new Map([['a', n[1]]]),
        dayEvents: n === null ? null : 1000,
        partitionMissing: false,
        partitionEmpty: false,
      }),
    ),
  };
}

describe('baselineNights', () => {
  it('takes the newest baseline_weeks nights when all are clean', () => {
    const h = historyOf([
      [10, 'ok'],
      [11, 'ok'],
      [12, 'insufficient_history'],
      [13, 'ok'],
      [99, 'ok'],
    ]);
    expect(baselineNights(h, 'a', 4).map((n) => n.dt)).toEqual(sameWeekdayDays(DT, 4));
    // insufficient_history is clean: it is neither a drop nor incomplete data.
    expect(baselineValues(h, 'a', 4)).toEqual([10, 11, 12, 13]);
  });

  it('skips drop nights and data_incomplete nights and looks further back for clean ones', () => {
    const h = historyOf([
      [60, 'drop'],
      [55, 'data_incomplete'],
      [10, 'ok'],
      [61, 'drop'],
      [11, 'ok'],
      [12, 'ok'],
      [13, 'ok'],
      [14, 'ok'],
    ]);
    expect(baselineValues(h, 'a', 4)).toEqual([10, 11, 12, 13]);
    expect(baselineNights(h, 'a', 4).map((n) => n.dt)).toEqual([2, 4, 5, 6].map((i) => sameWeekdayDays(DT, 8)[i]));
  });

  it('skips nights that never ran and null values, like before', () => {
    const h = historyOf([null, [null, 'ok'], [10, 'ok'], [11, 'ok']]);
    expect(baselineValues(h, 'a', 2)).toEqual([10, 11]);
  });

  it('never looks back further than 2 × baseline_weeks weeks', () => {
    // Weeks 1-4 drop, 5-6 clean, 7+ clean but beyond the look-back of 2 × 3 = 6 weeks.
    const h = historyOf([
      [60, 'drop'],
      [61, 'drop'],
      [59, 'drop'],
      [62, 'drop'],
      [10, 'ok'],
      [11, 'ok'],
      [12, 'ok'],
      [13, 'ok'],
    ]);
    expect(baselineValues(h, 'a', 3)).toEqual([10, 11]);
    // …so the night cannot be judged: fewer clean values than baseline_weeks.
    const j = judgeMetric(5, baselineFor(baselineValues(h, 'a', 3)), { min_drop_pct: 10, min_robust_z: 3.5, baseline_weeks: 3 });
    expect(j.status).toBe('insufficient_history');
    // np.median([10, 11]) = 10.5: the partial clean baseline is still reported, not the incident's level.
    expect(j.baseline).toBe(10.5);
  });

  it('reads statuses per metric: a drop of another metric does not make the night unclean', () => {
    const h: Pick<NightHistory, 'dt' | 'nights'> = {
      dt: DT,
      nights: sameWeekdayDays(DT, 2).map((d) => ({
        dt: d,
        metrics: new Map([
          ['a', 10],
          ['b', 5],
        ]),
        statuses: new Map<string, MetricStatus>([
          ['a', 'ok'],
          ['b', 'drop'],
        ]),
        dayEvents: 1000,
        partitionMissing: false,
        partitionEmpty: false,
      })),
    };
    expect(baselineValues(h, 'a', 1)).toEqual([10]);
    expect(baselineValues(h, 'b', 1)).toEqual([]);
  });

  it('treats a night with values but no recorded status as clean', () => {
    const h: Pick<NightHistory, 'dt' | 'nights'> = {
      dt: DT,
      nights: [{ dt: '2024-03-24', metrics: new Map([['a', 10]]), dayEvents: 1000, partitionMissing: false, partitionEmpty: false }],
    };
    expect(baselineValues(h, 'a', 1)).toEqual([10]);
  });
});
