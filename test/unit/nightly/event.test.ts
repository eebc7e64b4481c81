import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/core/errors';
import { MAX_NIGHTS_PER_INVOCATION, nightsForEvent } from '../../../functions/nightly/event';

const NOW = new Date('2030-01-01T00:00:00Z'); // far from every event time below: it must not be used

describe('nightsForEvent', () => {
  describe('scheduled events', () => {
    const scheduled = (time: string, source = 'aws.events') => ({
      version: '0',
      'detail-type': 'Scheduled Event',
      source,
      time,
      detail: {},
    });

    it('is yesterday in the config time zone at the event time, not at "now"', () => {
      expect(nightsForEvent(scheduled('2024-05-02T06:00:00Z'), 'UTC', NOW)).toEqual(['2024-05-01']);
      expect(nightsForEvent(scheduled('2024-05-02T06:00:00Z', 'aws.scheduler'), 'UTC', NOW)).toEqual(['2024-05-01']);
    });

    it.each([
      // 03:30 UTC on May 2 is still May 1 in New York (UTC-4 in May): yesterday there is April 30.
      ['2024-05-02T03:30:00Z', 'America/New_York', '2024-04-30'],
      // 23:30 UTC on May 1 is already May 2 in Tokyo: yesterday there is May 1.
      ['2024-05-01T23:30:00Z', 'Asia/Tokyo', '2024-05-01'],
      // Daylight saving starts in Europe/Berlin on 2024-03-31; 06:00 local = 04:00Z.
      ['2024-03-31T04:00:00Z', 'Europe/Berlin', '2024-03-30'],
    ])('%s in %s -> %s', (time, zone, night) => {
      expect(nightsForEvent(scheduled(time), zone, NOW)).toEqual([night]);
    });

    it('rejects a scheduled event with a bad time', () => {
      expect(() => nightsForEvent(scheduled('yesterday'), 'UTC', NOW)).toThrow(/scheduled event: time 'yesterday' is not a timestamp/);
    });
  });

  describe('manual events', () => {
    it('runs {date}', () => {
      expect(nightsForEvent({ date: '2024-02-29' }, 'UTC', NOW)).toEqual(['2024-02-29']);
    });

    it('runs {from,to} oldest first, both ends included', () => {
      expect(nightsForEvent({ from: '2024-02-27', to: '2024-03-01' }, 'UTC', NOW)).toEqual([
        '2024-02-27',
        '2024-02-28',
        '2024-02-29',
        '2024-03-01',
      ]);
    });

    it(`allows exactly ${MAX_NIGHTS_PER_INVOCATION} nights and refuses one more, suggesting a split`, () => {
      expect(nightsForEvent({ from: '2024-03-01', to: '2024-03-07' }, 'UTC', NOW)).toHaveLength(7);
      expect(() => nightsForEvent({ from: '2024-03-01', to: '2024-03-08' }, 'UTC', NOW)).toThrow(
        'event: 2024-03-01..2024-03-08 is 8 nights; one invocation runs at most 7 (Lambda stops at 15 minutes) — split the range, e.g. {"from":"2024-03-01","to":"2024-03-07"} first',
      );
    });

    it.each([
      [{ date: '2024-02-30' }, "event.date: '2024-02-30' is not a date (expected YYYY-MM-DD)"],
      [{ date: '2024-05-01', from: '2024-05-01' }, 'event: "date" cannot be combined with "from"/"to"'],
      [{ from: '2024-05-01' }, 'event: "from" and "to" go together'],
      [{ from: '2024-05-02', to: '2024-05-01' }, 'event: from 2024-05-02 is after to 2024-05-01'],
      [{ day: '2024-05-01' }, 'event: unknown field day (expected "date" or "from"/"to")'],
      [{}, 'event: expected a scheduled event, {"date"} or {"from","to"}, got {}'],
      ['2024-05-01', 'event: expected a scheduled event, {"date"} or {"from","to"}, got "2024-05-01"'],
      [null, 'event: expected a scheduled event, {"date"} or {"from","to"}, got null'],
    ])('%j -> %s', (event, message) => {
      expect(() => nightsForEvent(event, 'UTC', NOW)).toThrow(InputError);
      expect(() => nightsForEvent(event, 'UTC', NOW)).toThrow(message);
    });
  });
});
