import { describe, expect, it } from 'vitest';
import { eventHistory, type NightHistory, readHistory } from '../../../../functions/core/baseline/history';
import { toJsonLines } from '../../../../functions/core/results/json-lines';
import { metricsKey, runKey } from '../../../../functions/core/results/layout';
import { MemoryResultStore } from '../../../support/memory-store';

const row = (dt: string, metric_id: string, value: number | null, status = 'ok') => ({ dt, metric_id, value, status });
/** Metric `id`'s value on each night read, newest first (null where the night or value is missing). */
const valuesOf = (h: NightHistory, id: string) => h.nights.map((n) => n.metrics?.get(id) ?? null);
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
  it('reads each night of the look-back (2 × baseline_weeks) once, metrics with statuses and run record, all in parallel', async () => {
    const store = new GatedStore({
      [metricsKey('2024-03-24')]: toJsonLines([row('2024-03-24', 'a', 10), row('2024-03-24', 'b', null, 'drop')]),
      [runKey('2024-03-24')]: run(500),
      [metricsKey('2024-03-17')]: toJsonLines([row('2024-03-17', 'a', 12, 'data_incomplete')]),
      [runKey('2024-03-10')]: run(0, true),
      [metricsKey('2024-03-03')]: toJsonLines([row('2024-03-03', 'a', 9)]),
      // Not a same-weekday night, and beyond the look-back: must not be read.
      [metricsKey('2024-03-30')]: toJsonLines([row('2024-03-30', 'a', 99)]),
      [metricsKey('2024-02-25')]: toJsonLines([row('2024-02-25', 'a', 99)]),
    });
    const pending = readHistory(store, '2024-03-31', 2);
    await new Promise((r) => setTimeout(r, 10));
    // Every read was issued while none had completed.
    const days = ['2024-03-24', '2024-03-17', '2024-03-10', '2024-03-03'];
    expect([...store.calls].sort()).toEqual(days.flatMap((d) => [`get ${metricsKey(d)}`, `get ${runKey(d)}`]).sort());
    store.open();
    const h = await pending;
    expect(store.calls).toHaveLength(8);
    expect(h.dt).toBe('2024-03-31');
    expect(h.nights.map((n) => n.dt)).toEqual(days);
    expect(h.nights.map((n) => n.metrics?.get('a') ?? null)).toEqual([10, 12, null, 9]);
    expect(h.nights[0]!.metrics?.get('b')).toBeNull();
    expect(h.nights.map((n) => n.statuses?.get('a') ?? null)).toEqual(['ok', 'data_incomplete', null, 'ok']);
    expect(h.nights[0]!.statuses?.get('b')).toBe('drop');
    // The freshness guard looks at the baseline_weeks newest nights only; the missing partition's 0 is an absence, not a count.
    expect(eventHistory(h, 2)).toEqual([500, null]);
    expect(h.nights[2]).toMatchObject({ metrics: null, statuses: null, dayEvents: 0, partitionMissing: true });
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
    expect(eventHistory(h, 4)).toEqual([null, null, 700, null]);
  });

  describe('a damaged or incomplete night', () => {
    const good = toJsonLines([row('2024-03-24', 'a', 10), row('2024-03-24', 'b', 20), row('2024-03-24', 'c', 30)]);
    const withRun = (metrics: string, runText = JSON.stringify({ day_events: 500, partition_missing: false, metrics_rows: 3 })) =>
      new MemoryResultStore({ [metricsKey('2024-03-24')]: metrics, [runKey('2024-03-24')]: runText });

    it.each([
      ['cut mid-line', good.slice(0, good.length - 9), 'line 3 is not JSON (cut short or damaged)'],
      ['cut right after a line, before its line break', good.slice(0, -1), 'does not end with a line break (cut short)'],
      [
        'cut at a line break',
        toJsonLines([row('2024-03-24', 'a', 10), row('2024-03-24', 'b', 20)]),
        'has 2 of the 3 rows its run.json says were written (cut short)',
      ],
      ['emptied', '', 'is empty'],
    ])(
      '%s: left out of the baselines (as if it had never run), with a warning that names the file and the repair',
      async (_, text, reason) => {
        const h = await readHistory(withRun(text), '2024-03-31', 2, { metricIds: ['a', 'b', 'c'] });
        // (2 weeks look back over 4 nights; only the newest is in the store)
        expect(valuesOf(h, 'a')).toEqual([null, null, null, null]);
        expect(h.unusable).toEqual(['2024-03-24']);
        expect(h.warnings).toEqual([
          {
            code: 'history_unusable',
            message: `metrics/dt=2024-03-24/metrics.jsonl ${reason}: night 2024-03-24 is left out of the baselines and the report's charts (repair it: nsm run --date 2024-03-24)`,
            dt: '2024-03-24',
            key: metricsKey('2024-03-24'),
          },
        ]);
        // Its event count is still good for the freshness guard.
        expect(eventHistory(h, 2)).toEqual([500, null]);
      },
    );

    it('a damaged run.json: the metrics are used, the event count is not, and the run says so', async () => {
      const h = await readHistory(withRun(good, '{"day_events": 5'), '2024-03-31', 1, { metricIds: ['a'] });
      expect(valuesOf(h, 'a')).toEqual([10, null]);
      expect(eventHistory(h, 1)).toEqual([null]);
      expect(h.unusable).toEqual([]);
      expect(h.warnings.map((w) => [w.code, w.key])).toEqual([['history_unusable', runKey('2024-03-24')]]);
    });

    it('a night without the metrics a config added since: used for the others, the missing ones named', async () => {
      const h = await readHistory(withRun(good), '2024-03-31', 1, { metricIds: ['a', 'b', 'c', 'new_one', 'new_two'] });
      expect(valuesOf(h, 'c')).toEqual([30, null]);
      expect(valuesOf(h, 'new_one')).toEqual([null, null]);
      expect(h.unusable).toEqual([]);
      expect(h.warnings).toEqual([
        {
          code: 'history_incomplete',
          message: 'night 2024-03-24 has no value for new_one, new_two (added to the config since?): their baselines leave that night out',
          dt: '2024-03-24',
          key: null,
        },
      ]);
    });

    it('a night that never ran is no warning', async () => {
      const h = await readHistory(new MemoryResultStore(), '2024-03-31', 4, { metricIds: ['a'] });
      expect(h.warnings).toEqual([]);
      expect(h.unusable).toEqual([]);
    });
  });
});
