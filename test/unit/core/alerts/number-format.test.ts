import { describe, expect, it } from 'vitest';
import {
  formatCompact,
  formatNumber,
  formatPct,
  formatPortion,
  formatShare,
  formatZ,
} from '../../../../functions/core/alerts/number-format';

describe('formatNumber (email bodies)', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [Math.PI, '3.14'],
    [99.99, '99.99'],
    [999.6, '999.6'],
    [1234, '1,234'],
    [1234.56, '1,234.6'],
    [-4200, '-4,200'],
    [1_500_000_000, '1,500,000,000'],
    [0.0123, '0.0123'],
    [0.000123, '0.000123'],
    [1.23e-7, '1.23e-7'],
    [1e15, '1.00e15'],
    [1.234e18, '1.23e18'],
    [Number.MAX_VALUE, '1.80e308'],
    [null, 'n/a'],
    [Number.NaN, 'n/a'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%s → %s', (x, want) => {
    expect(formatNumber(x)).toBe(want);
  });
});

describe('formatCompact (subjects, SMS)', () => {
  it.each([
    [0, '0'],
    [Math.PI, '3.14'],
    [12.345, '12.3'],
    [999.4, '999'],
    [999.6, '1k'], // rounds into the next unit, never "1000"
    [1234, '1.2k'],
    [4200, '4.2k'],
    [12345, '12.3k'],
    [999_949, '999.9k'],
    [999_960, '1M'],
    [1.5e9, '1.5B'],
    [7e12, '7T'],
    [999.96e12, '1.0e15'],
    [1.234e18, '1.2e18'],
    [-4200, '-4.2k'],
    [0.0123, '0.0123'],
    [1.23e-7, '1.2e-7'],
    [null, 'n/a'],
  ])('%s → %s', (x, want) => {
    expect(formatCompact(x)).toBe(want);
  });

  it('stays short for any magnitude', () => {
    for (let e = -320; e <= 308; e++) {
      for (const m of [1, 4.99, 9.999]) {
        const x = m * 10 ** e;
        if (!Number.isFinite(x)) continue;
        expect(formatCompact(x).length, String(x)).toBeLessThanOrEqual(8);
        expect(formatCompact(-x).length, String(-x)).toBeLessThanOrEqual(9);
      }
    }
  });
});

describe('formatPct', () => {
  it.each([
    [-23.44, false, '-23.4%'],
    [5, false, '+5.0%'],
    [0, false, '0.0%'],
    [-0.04, false, '0.0%'], // rounds to zero: no sign
    [0.05, false, '+0.1%'],
    [-100, false, '-100.0%'],
    [1234.5, false, '+1,235%'],
    [1234.5, true, '+1.2k%'],
    [1e20, false, '+1.00e20%'],
    [1e20, true, '+1.0e20%'],
    [null, false, 'n/a'],
  ])('%s (compact %s) → %s', (p, compact, want) => {
    expect(formatPct(p, compact)).toBe(want);
  });
});

describe('formatZ / formatShare', () => {
  it.each([
    [-4.23, '-4.2'],
    [0.01, '0.0'],
    [2, '+2.0'],
    [1e5, '+100k'],
    [-1e300, '-1.0e300'],
    [null, 'n/a'],
  ])('formatZ(%s) → %s', (z, want) => {
    expect(formatZ(z)).toBe(want);
  });

  it.each([
    [0.2, '20.0%'],
    [0.4995, '49.9%'], // rounded down: a guard at 50% must not print 50.0% when it trips
    [0.5, '50.0%'],
    [0.7, '70.0%'], // 0.7 * 100 = 70.00000000000001 in binary
    [0.29, '29.0%'], // 0.29 * 100 = 28.999999999999996 in binary
    [12.345, '1.2k%'],
    [null, 'n/a'],
  ])('formatShare(%s) → %s', (r, want) => {
    expect(formatShare(r)).toBe(want);
  });
});

describe('formatPortion (part of a change)', () => {
  it.each<[number | null, string]>([
    [55.2, '55%'],
    [44.8, '45%'],
    [150, '150%'],
    [-50, '-50%'],
    [-0.4, '0%'],
    [999.4, '999%'],
    [12_345, '12.3k%'],
    [null, 'n/a'],
    [Number.NaN, 'n/a'],
  ])('%s -> %s', (p, text) => {
    expect(formatPortion(p)).toBe(text);
  });
});
