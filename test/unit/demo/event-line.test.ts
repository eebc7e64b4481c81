import { describe, expect, it } from 'vitest';
import { eventLine, eventTime, userPrefix } from '../../../functions/demo/event-line';

describe('eventTime', () => {
  it.each([
    [0, '2025-03-09T00:00:00.000Z'],
    [1, '2025-03-09T00:00:00.001Z'],
    [86_399_999, '2025-03-09T23:59:59.999Z'],
    [13 * 3_600_000 + 5 * 60_000 + 7 * 1000 + 42, '2025-03-09T13:05:07.042Z'],
  ])('ms %d -> %s, as Date.toISOString writes it', (ms, expected) => {
    expect(eventTime('2025-03-09', ms)).toBe(expected);
    expect(new Date(Date.parse('2025-03-09T00:00:00Z') + ms).toISOString()).toBe(expected);
  });
});

describe('eventLine', () => {
  const SEGMENTS = { country: 'us', app_version: '5.19' };
  const time = '2025-03-09T13:05:07.042Z';

  it('is the JSON of the event, without duration_ms unless given', () => {
    const line = eventLine(userPrefix('u0000012', 't000003', { country: 'de', app_version: '5.19' }), 'message_posted', time);
    expect(JSON.parse(line)).toEqual({
      user_id: 'u0000012',
      account_id: 't000003',
      country: 'de',
      app_version: '5.19',
      event_name: 'message_posted',
      event_time: time,
    });
    expect(Object.keys(JSON.parse(line))).toEqual(['user_id', 'account_id', 'country', 'app_version', 'event_name', 'event_time']);
  });

  it('writes a null account and a null country as JSON null', () => {
    const parsed = JSON.parse(eventLine(userPrefix('u0000001', null, { country: null, app_version: '5.0' }), 'app_opened', time));
    expect(parsed.account_id).toBeNull();
    expect(parsed.country).toBeNull();
  });

  it.each([
    [480_000, 480_000],
    [null, null],
    ['n/a', 'n/a'],
  ])('writes duration_ms %j as %j', (duration, expected) => {
    const parsed = JSON.parse(eventLine(userPrefix('u1', 't1', SEGMENTS), 'call_ended', time, duration));
    expect(parsed).toHaveProperty('duration_ms', expected);
  });
});
