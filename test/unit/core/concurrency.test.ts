import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../functions/core/concurrency';

/** A promise with its resolve/reject exposed. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('mapLimit', () => {
  it('keeps the order of the items, whatever order the calls finish in', async () => {
    const delays = [30, 5, 20, 0, 10];
    const out = await mapLimit(delays, 2, (ms, i) => new Promise<string>((r) => setTimeout(() => r(`${i}:${ms}`), ms)));
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:0', '4:10']);
  });

  it('never runs more than `limit` calls at once, and starts the next as soon as one finishes', async () => {
    const gates = Array.from({ length: 5 }, () => deferred<number>());
    const started: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4], 2, (i) => {
      started.push(i);
      return gates[i]!.promise;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve(1);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve(0);
    gates[2]!.resolve(2);
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3]!.resolve(3);
    gates[4]!.resolve(4);
    expect(await run).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects with the first error and starts no new item after it', async () => {
    const started: number[] = [];
    const boom = new Error('boom');
    await expect(
      mapLimit([0, 1, 2, 3], 1, async (i) => {
        started.push(i);
        if (i === 1) throw boom;
        return i;
      }),
    ).rejects.toBe(boom);
    expect(started).toEqual([0, 1]);
  });

  it('handles an empty list and a limit above the item count', async () => {
    expect(await mapLimit([], 3, async (x: number) => x)).toEqual([]);
    expect(await mapLimit([1, 2], 10, async (x) => x * 2)).toEqual([2, 4]);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects limit %d', async (limit) => {
    await expect(mapLimit([1], limit, async (x) => x)).rejects.toThrow(RangeError);
  });
});
