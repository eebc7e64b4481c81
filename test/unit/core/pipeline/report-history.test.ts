import { describe, expect, it } from 'vitest';
import { readReportHistory } from '../../../../functions/core/pipeline/report-history';
import { metricsKey } from '../../../../functions/core/results/layout';
import { MemoryResultStore } from '../../../support/memory-store';

const row = (dt: string, value: number) => `${JSON.stringify({ dt, metric_id: 'wau', value })}\n`;

describe('readReportHistory', () => {
  it('reads the 90 nights before D, skips the missing ones, and nothing outside the range', async () => {
    const store = new MemoryResultStore({
      [metricsKey('2024-04-01')]: row('2024-04-01', 1), // D-90: first day of the range
      [metricsKey('2024-06-28')]: row('2024-06-28', 2),
      [metricsKey('2024-06-29')]: row('2024-06-29', 3), // D-1
      [metricsKey('2024-03-31')]: row('2024-03-31', 9), // D-91: outside
      [metricsKey('2024-06-30')]: row('2024-06-30', 9), // D itself: not history
    });
    const { rows, warnings } = await readReportHistory(store, '2024-06-30');
    expect(warnings).toEqual([]);
    expect(rows.map((r) => [r.dt, r.value])).toEqual([
      ['2024-04-01', 1],
      ['2024-06-28', 2],
      ['2024-06-29', 3],
    ]);
  });

  it('leaves a damaged night out of the charts with a warning naming its file, instead of failing the report', async () => {
    const store = new MemoryResultStore({ [metricsKey('2024-06-27')]: '{"metric_id": ', [metricsKey('2024-06-28')]: row('2024-06-28', 2) });
    const { rows, warnings } = await readReportHistory(store, '2024-06-30');
    expect(rows.map((r) => r.dt)).toEqual(['2024-06-28']);
    expect(warnings).toEqual([
      {
        code: 'history_unusable',
        message:
          "metrics/dt=2024-06-27/metrics.jsonl line 1 is not JSON (cut short or damaged): night 2024-06-27 is left out of the report's charts (repair it: nsm run --date 2024-06-27)",
        dt: '2024-06-27',
        key: metricsKey('2024-06-27'),
      },
    ]);
  });
});
