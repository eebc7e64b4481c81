import { describe, expect, it } from 'vitest';
import { eventHistory, metricHistory, readHistory } from '../../../../functions/core/baseline/history';
import { StoreError } from '../../../../functions/core/errors';
import { toJsonLines } from '../../../../functions/core/results/json-lines';
import { metricsKey, runKey } from '../../../../functions/core/results/layout';
import { MemoryResultStore } from '../../../support/memory-store';

const row = (dt: string, metric_id: string, value: number | null) => ({ dt, metric_id, value, status: 'ok' });
const run = (day_events: number, partition_missing = false, partition_empty = false) =>
  JSON.stringify({ day_events, partition_missing, partition_empty, status: 'succeeded' });

/** A store whose reads wait until `open()`: shows that every read is issued before any completes. */
class GatedStore extends MemoryResultStore {
  private release!: () => void;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  override async get(key: string): Promise<string | null> {
    const text = await super.get(key);
    await this.gate;
    return text;
  }
  open(): void {
    this.release();
  }
}

describe('readHistory', () => {
  it('reads each needed night once, metrics and run record, all in parallel', async () => {
    const store = new GatedStore({
      [metricsKey('2024-03-24')]: toJsonLines([row('2024-03-24', 'a', 10), row('2024-03-24', 'b', null)]),
      [runKey('2024-03-24')]: run(500),
      [metricsKey('2024-03-17')]: toJsonLines([row('2024-03-17', 'a', 12)]),
      [runKey('2024-03-10')]: run(0, true),
      // Not a same-weekday night: must not be read.
      [metricsKey('2024-03-30')]: toJsonLines([row('2024-03-30', 'a', 99)]),
    });
    const pending = readHistory(store, '2024-03-31', 3);
    await new Promise((r) => setTimeout(r, 10));
    // Every read was issued while none had completed.
    expect([...store.calls].sort()).toEqual(
      ['2024-03-24', '2024-03-17', '2024-03-10'].flatMap((d) => [`get ${metricsKey(d)}`, `get ${runKey(d)}`]).sort(),
    );
    store.open();
    const h = await pending;
    expect(store.calls).toHaveLength(6);
    expect(h.dt).toBe('2024-03-31');
    expect(h.nights.map((n) => n.dt)).toEqual(['2024-03-24', '2024-03-17', '2024-03-10']);
    expect(metricHistory(h, 'a')).toEqual([10, 12, null]);
    expect(metricHistory(h, 'b')).toEqual([null, null, null]);
    expect(metricHistory(h, 'unknown')).toEqual([null, null, null]);
    // The missing partition's 0 is an absence, not a count.
    expect(eventHistory(h)).toEqual([500, null, null]);
    expect(h.nights[2]).toMatchObject({ metrics: null, dayEvents: 0, partitionMissing: true });
  });

  it("counts neither an empty partition's 0 nor a missing one's as an event count", async () => {
    const store = new MemoryResultStore({
      [runKey('2024-03-24')]: run(0, false, true),
      [runKey('2024-03-17')]: run(0, true),
      [runKey('2024-03-10')]: run(700),
      // written before partition_empty existed: an empty partition was recorded as missing
      [runKey('2024-03-03')]: JSON.stringify({ day_events: 0, partition_missing: true, status: 'succeeded' }),
    });
    const h = await readHistory(store, '2024-03-31', 4);
    expect(eventHistory(h)).toEqual([null, null, 700, null]);
  });

  it('names the key of a damaged file', async () => {
    const store = new MemoryResultStore({ [metricsKey('2024-03-24')]: '{"metric_id": "a", ' });
    const err = await readHistory(store, '2024-03-31', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).key).toBe(metricsKey('2024-03-24'));
  });
});
