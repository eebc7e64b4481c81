import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../../functions/core/errors';
import { readJson, readJsonLines } from '../../../../functions/core/results/read-json';
import { MemoryResultStore } from '../../../support/memory-store';

describe('readJson / readJsonLines', () => {
  const store = new MemoryResultStore({
    'runs/dt=2024-03-01/run.json': '{"day_events": 12}',
    'metrics/dt=2024-03-01/metrics.jsonl': '{"metric_id":"a","value":1}\n\n{"metric_id":"b","value":null}\n',
    'metrics/dt=2024-03-02/metrics.jsonl': '{"metric_id":"a","value":1}\n{"metric_id":',
  });

  it('parses what is there and gives null for a missing key', async () => {
    expect(await readJson(store, 'runs/dt=2024-03-01/run.json')).toEqual({ day_events: 12 });
    expect(await readJsonLines(store, 'metrics/dt=2024-03-01/metrics.jsonl')).toEqual([
      { metric_id: 'a', value: 1 },
      { metric_id: 'b', value: null },
    ]);
    expect(await readJson(store, 'runs/dt=2024-03-09/run.json')).toBeNull();
    expect(await readJsonLines(store, 'metrics/dt=2024-03-09/metrics.jsonl')).toBeNull();
  });

  it('names the key of a file that is not valid JSON', async () => {
    const err = await readJsonLines(store, 'metrics/dt=2024-03-02/metrics.jsonl').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).key).toBe('metrics/dt=2024-03-02/metrics.jsonl');
    expect((err as StoreError).message).toContain('not valid JSON');
  });
});
