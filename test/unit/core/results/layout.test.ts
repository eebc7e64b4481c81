import { describe, expect, it } from 'vitest';
import { runKey, runNight } from '../../../../functions/core/results/layout';

describe('runNight', () => {
  it('gives the night of a run.json key, the inverse of runKey', () => {
    expect(runNight('runs/dt=2024-03-01/run.json')).toBe('2024-03-01');
    expect(runNight(runKey('2025-12-31'))).toBe('2025-12-31');
  });

  it('gives null for any other key', () => {
    for (const key of [
      'runs/dt=2024-03-01/run.json.tmp',
      'runs/dt=2024-03-01/other.json',
      'runs/dt=2024-3-1/run.json',
      'runs/dt=2024-03-01/x/run.json',
      'reports/dt=2024-03-01/run.json',
      'prefix/runs/dt=2024-03-01/run.json',
      'runs/run.json',
      '',
    ]) {
      expect(runNight(key)).toBeNull();
    }
  });
});
