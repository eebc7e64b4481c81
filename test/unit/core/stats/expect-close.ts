/** Relative-tolerance assertions for reference values (scipy, mpmath). */
import { expect } from 'vitest';

/** `actual` within `rel` relative error of `expected` (exact match for 0 and null). */
export function expectClose(actual: number | null | undefined, expected: number | null, rel = 1e-9): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  if (expected === 0) {
    expect(actual).toBe(0);
    return;
  }
  const error = Math.abs((actual as number) - expected) / Math.abs(expected);
  expect(error, `${actual} vs ${expected}: relative error ${error}`).toBeLessThanOrEqual(rel);
}
