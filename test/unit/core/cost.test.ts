import { describe, expect, it } from 'vitest';
import { costUsd, totalBytes, totalCostUsd } from '../../../functions/core/cost';

// Expected values from /usr/bin/python3, binary units (1 MB = 2**20 B, 1 TB = 2**40 B), USD 5/TB.
describe('costUsd', () => {
  it.each([
    // python3 -c "print(10*2**20*5/2**40)"  -> 10 MB minimum
    [0, 4.76837158203125e-5],
    [1, 4.76837158203125e-5],
    [10 * 2 ** 20, 4.76837158203125e-5],
    // python3 -c "print(11*2**20*5/2**40)"  -> one byte over 10 MB bills 11 MB (rounded up)
    [10 * 2 ** 20 + 1, 5.245208740234375e-5],
    // python3 -c "print(1024*2**20*5/2**40)" -> 1 GB
    [2 ** 30, 0.0048828125],
    // python3 -c "print(2**40*3*5/2**40)"    -> 3 TB
    [3 * 2 ** 40, 15],
  ])('%d bytes -> USD %d', (bytes, usd) => {
    expect(costUsd(bytes)).toBeCloseTo(usd, 15);
  });

  it('is null for an engine that reports no bytes', () => {
    expect(costUsd(null)).toBeNull();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (bytes) => {
    expect(() => costUsd(bytes)).toThrow(RangeError);
  });
});

describe('totalCostUsd', () => {
  it('sums per-query estimates, each with its own minimum', () => {
    // python3 -c "print(10*2**20*5/2**40*2 + 1024*2**20*5/2**40)"
    expect(totalCostUsd([0, 5, 2 ** 30, null])).toBeCloseTo(0.004978179931640625, 15);
  });
  it('is null when no query reported bytes', () => {
    expect(totalCostUsd([null, null])).toBeNull();
    expect(totalCostUsd([])).toBeNull();
  });
});

describe('totalBytes', () => {
  it('sums the queries that reported bytes, like totalCostUsd, and is null when none did', () => {
    // run.json once showed bytes_scanned null beside a cost: one query without bytes nulled the sum.
    expect(totalBytes([100, null, 50])).toBe(150);
    expect(totalBytes([null, null])).toBeNull();
    expect(totalBytes([])).toBeNull();
  });
});
