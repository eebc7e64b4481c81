import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../../infra/pipeline-settings';
import { longestGapMinutes, MISSED_NIGHT_SLACK_HOURS, missedNightWindowHours } from '../../../infra/schedule-gap';
import { withConfig } from './synth';

const FROM = new Date('2026-01-01T00:00:00Z');

describe('longestGapMinutes', () => {
  // Reference values from /usr/bin/python3 with zoneinfo, by brute force over every local minute
  // from 2026-01-01 to 2028-01-08: a cron match whose wall time does not exist (spring forward) is
  // skipped and an ambiguous one (fall back) runs once, at its first occurrence — EventBridge
  // Scheduler's documented DST behaviour. The script: for each local minute m matching the cron,
  // u0 = m.replace(tzinfo=z, fold=0).astimezone(utc), u1 = the same with fold=1, keep min(u0, u1)
  // unless u0.astimezone(z) != m (nonexistent); the answer is max(b - a) over consecutive runs.
  it.each([
    ['0 6 * * *', 'UTC', 1440],
    ['0 6 * * *', 'Asia/Kolkata', 1440], // no DST
    ['0 6 * * *', 'Europe/Berlin', 1500], // 25 hours over the last Sunday of October
    ['30 6 * * 1-5', 'UTC', 4320], // Friday to Monday
    ['30 6 * * 1-5', 'Europe/Berlin', 4380], // ... across 2026-10-25, when clocks go back
    ['30 6 * * 1-5', 'America/New_York', 4380], // ... across 2026-11-01
    ['30 6 * * 1-5', 'Australia/Sydney', 4380], // ... across 2026-04-05 (southern hemisphere)
    ['30 1 * * *', 'Australia/Lord_Howe', 1470], // a 30-minute DST shift
    ['30 2 * * *', 'Europe/Berlin', 2820], // 02:30 does not exist on 2026-03-29: that run is skipped
    ['30 2 * * *', 'America/New_York', 2820], // same on 2026-03-08
    ['0 * * * *', 'UTC', 60],
    ['0 * * * *', 'Europe/Berlin', 120], // 02:00 happens twice on 2026-10-25 and runs once
    ['*/15 * * * *', 'UTC', 15],
    ['0 7 * * MON', 'Europe/Berlin', 10140], // weekly: 169 hours across the October change
    ['0 6 1 * *', 'UTC', 44640], // monthly: 31 days
  ])('%s in %s: %d minutes', (cron, zone, minutes) => {
    expect(longestGapMinutes(cron, zone, FROM)).toBe(minutes);
  });

  it('is Infinity when the schedule runs fewer than twice in two years', () => {
    // 29 February: 2028-02-29 is after the two years that start on 2026-01-01.
    expect(longestGapMinutes('0 6 29 FEB *', 'UTC', FROM)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('missedNightWindowHours', () => {
  it('is the longest gap in whole hours plus the slack, or undefined beyond 7 days', () => {
    expect(MISSED_NIGHT_SLACK_HOURS).toBe(2);
    expect(missedNightWindowHours(1440)).toBe(26);
    expect(missedNightWindowHours(1470)).toBe(27); // 24.5 hours round up to 25
    expect(missedNightWindowHours(4380)).toBe(75);
    expect(missedNightWindowHours(60)).toBe(3);
    expect(missedNightWindowHours(166 * 60)).toBe(168); // CloudWatch's limit: 168 one-hour periods
    expect(missedNightWindowHours(166 * 60 + 1)).toBeUndefined();
    expect(missedNightWindowHours(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe('the missed-night window of a deploy', () => {
  const windowFor = (schedule: string, timezone: string) =>
    resolveSettings({
      config: withConfig((c) => {
        c.schedule = schedule;
        c.timezone = timezone;
      }),
    }).missedNightHours;

  it.each([
    ['30 6 * * 1-5', 'Europe/Berlin', 75],
    ['30 6 * * 1-5', 'UTC', 74],
    ['0 6 * * *', 'UTC', 26],
    ['0 6 * * *', 'Europe/Berlin', 27],
    ['0 */4 * * *', 'UTC', 6],
    ['0 7 * * MON', 'Europe/Berlin', undefined],
  ])('%s in %s: %s hours', (schedule, timezone, hours) => {
    expect(windowFor(schedule, timezone)).toBe(hours);
  });

  it('takes a longer window from the props, never a shorter one', () => {
    const config = withConfig((c) => void (c.schedule = '30 6 * * 1-5'));
    expect(resolveSettings({ config, missedNightHours: 100 }).missedNightHours).toBe(100);
    expect(() => resolveSettings({ config, missedNightHours: 26 })).toThrow(
      'NsmPipeline: missedNightHours must be at least 75 for schedule "30 6 * * 1-5" in Europe/Berlin (its longest gap, 73 hours, plus 2 hours of slack), got 26',
    );
    const weekly = withConfig((c) => void (c.schedule = '0 7 * * MON'));
    expect(() => resolveSettings({ config: weekly, missedNightHours: 168 })).toThrow(
      'NsmPipeline: missedNightHours cannot watch schedule "0 7 * * MON" in Europe/Berlin: it leaves up to 169 hours between nights, and CloudWatch alarms look back 168 hours at most',
    );
  });
});
