import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/core/errors';
import { backfillEvent, isBackfillEvent } from '../../../functions/nightly/backfill-event';

describe('backfill step events', () => {
  it('are told apart from the nightly events by their step field', () => {
    expect(isBackfillEvent({ step: 'plan', input: {} })).toBe(true);
    expect(isBackfillEvent({ date: '2024-05-01' })).toBe(false);
    expect(isBackfillEvent({ 'detail-type': 'Scheduled Event', time: '2024-05-02T06:00:00Z' })).toBe(false);
    expect(isBackfillEvent(null)).toBe(false);
  });

  it('read the four steps the state machine sends', () => {
    expect(backfillEvent({ step: 'plan', input: { from: '2024-01-01', to: '2024-01-31' } })).toEqual({
      step: 'plan',
      input: { from: '2024-01-01', to: '2024-01-31' },
    });
    expect(backfillEvent({ step: 'rollups', night: '2024-01-01', days: ['2023-12-01', '2023-12-02'] })).toEqual({
      step: 'rollups',
      night: '2024-01-01',
      days: ['2023-12-01', '2023-12-02'],
    });
    const build = { night: '2023-11-30', base: '2023-10-30', from: '2023-10-31', source: 'lake' };
    expect(backfillEvent({ step: 'entries', night: '2024-01-01', build })).toEqual({ step: 'entries', night: '2024-01-01', build });
    expect(backfillEvent({ step: 'entries', night: '2024-01-01', build: { ...build, base: null } })).toMatchObject({
      build: { base: null },
    });
    expect(backfillEvent({ step: 'night', date: '2024-01-02', alerts_for: '2024-01-31' })).toEqual({
      step: 'night',
      date: '2024-01-02',
      alertsFor: '2024-01-31',
    });
    // The plan's alerts_for is null when the range's newest night already succeeded.
    expect(backfillEvent({ step: 'night', date: '2024-01-02', alerts_for: null })).toMatchObject({ alertsFor: null });
  });

  it.each([
    [{ step: 'backfill' }, /^backfill step: unknown step "backfill" \(expected plan, rollups, entries or night\)$/],
    [{ step: 'rollups', night: '2024-01-01', days: '2023-12-01' }, /^backfill step rollups: "days" must be a list/],
    [{ step: 'rollups', night: '2024-01-01', days: ['2023-12-32'] }, /days\[0\]/],
    [{ step: 'entries', night: '2024-01-01', build: { source: 'rollups' } }, /^backfill step entries: "build" must be a lake chunk/],
    [{ step: 'night', date: 'yesterday' }, /backfill step night: date/],
  ])('reject %j with a one-line InputError', (event, message) => {
    expect(() => backfillEvent(event)).toThrow(InputError);
    expect(() => backfillEvent(event)).toThrow(message);
  });
});
