import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/core/config/parse';
import { InputError } from '../../../functions/core/errors';
import { demoConfigYaml } from '../../../functions/demo/demo-config';
import { workOf } from '../../../functions/nightly/work';

const config = parseConfig(demoConfigYaml({ lakeDir: 'lake', resultsDir: 'results' }), '<demo>');
const now = new Date('2024-03-02T06:00:00Z');

describe('workOf', () => {
  it('runs the nights a nightly event names, with alerts', () => {
    expect(workOf({ date: '2024-02-20' }, config, now)).toEqual({ nights: ['2024-02-20'], noAlerts: false });
  });

  it('runs a backfill night step, sending alerts only for the backfill’s newest night', () => {
    expect(workOf({ step: 'night', date: '2024-02-20', alerts_for: '2024-02-21' }, config, now)).toEqual({
      nights: ['2024-02-20'],
      noAlerts: true,
    });
    expect(workOf({ step: 'night', date: '2024-02-21', alerts_for: '2024-02-21' }, config, now)).toEqual({
      nights: ['2024-02-21'],
      noAlerts: false,
    });
    expect(workOf({ step: 'night', date: '2024-02-21', alerts_for: null }, config, now)).toEqual({
      nights: ['2024-02-21'],
      noAlerts: true,
    });
  });

  it('gives other backfill steps as they are', () => {
    expect(workOf({ step: 'plan', input: { from: '2024-02-01', to: '2024-02-03' } }, config, now)).toEqual({
      step: 'plan',
      input: { from: '2024-02-01', to: '2024-02-03' },
    });
    expect(workOf({ step: 'rollups', night: '2024-02-03', days: ['2024-01-01'] }, config, now)).toEqual({
      step: 'rollups',
      night: '2024-02-03',
      days: ['2024-01-01'],
    });
  });

  it('rejects an unknown step', () => {
    expect(() => workOf({ step: 'nope' }, config, now)).toThrow(InputError);
  });
});
