import { describe, expect, it } from 'vitest';
import { type FreshnessInput, judgeFreshness } from '../../../../functions/core/baseline/freshness';

const base: FreshnessInput = {
  dayEvents: 1000,
  partitionMissing: false,
  partitionEmpty: false,
  earlierDayEvents: [1000, 1100, 900, 1050],
  minRatio: 0.5,
  baselineWeeks: 4,
};

describe('judgeFreshness', () => {
  it('is complete at a normal volume and reports the baseline and ratio', () => {
    // np.median([1000,1100,900,1050]) = 1025.0
    expect(judgeFreshness(base)).toEqual({
      day_events: 1000,
      partition_missing: false,
      partition_empty: false,
      baseline_events: 1025,
      ratio: 1000 / 1025,
      status: 'complete',
    });
  });

  it('is incomplete strictly below min_ratio of the median', () => {
    expect(judgeFreshness({ ...base, dayEvents: 205 }).status).toBe('incomplete'); // 0.2
    expect(judgeFreshness({ ...base, dayEvents: 512 }).status).toBe('incomplete'); // 0.4995
    expect(judgeFreshness({ ...base, dayEvents: 512.5 }).status).toBe('complete'); // exactly 0.5
  });

  it('is incomplete when the partition is missing, even without any history', () => {
    const r = judgeFreshness({ ...base, dayEvents: 0, partitionMissing: true, earlierDayEvents: [] });
    expect(r).toEqual({
      day_events: 0,
      partition_missing: true,
      partition_empty: false,
      baseline_events: null,
      ratio: null,
      status: 'incomplete',
    });
    expect(judgeFreshness({ ...base, dayEvents: 0, partitionMissing: true }).status).toBe('incomplete');
  });

  it('is incomplete when the partition is empty (files, no events), even without any history, and says empty', () => {
    const r = judgeFreshness({ ...base, dayEvents: 0, partitionEmpty: true, earlierDayEvents: [] });
    expect(r).toEqual({
      day_events: 0,
      partition_missing: false,
      partition_empty: true,
      baseline_events: null,
      ratio: null,
      status: 'incomplete',
    });
  });

  it('is unknown without baseline_weeks earlier counts, however low tonight is', () => {
    const r = judgeFreshness({ ...base, dayEvents: 1, earlierDayEvents: [1000, null, 1000] });
    expect(r.status).toBe('unknown');
    expect(r.baseline_events).toBe(1000);
    expect(r.ratio).toBe(0.001);
  });

  it('is complete over a zero baseline (ratio null)', () => {
    expect(judgeFreshness({ ...base, dayEvents: 0, earlierDayEvents: [0, 0, 0, 0] })).toMatchObject({
      baseline_events: 0,
      ratio: null,
      status: 'complete',
    });
  });

  it('uses the median, so one bad earlier week does not lower the bar', () => {
    // np.median([1000,1000,1000,10]) = 1000.0 → 400 / 1000 = 0.4 < 0.5
    expect(judgeFreshness({ ...base, dayEvents: 400, earlierDayEvents: [1000, 1000, 1000, 10] }).status).toBe('incomplete');
  });
});
