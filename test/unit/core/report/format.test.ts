import { describe, expect, it } from 'vitest';
import {
  arrow,
  direction,
  formatBytes,
  formatChangePct,
  formatDuration,
  formatInteger,
  formatLift,
  formatLiftTick,
  formatNumber,
  formatP,
  formatPercent,
  formatTicks,
  formatUsd,
  formatZ,
  MINUS,
} from '../../../../functions/core/report/format';
import { formatDay, formatInstant, formatMonth, formatShortDay, weekdayName } from '../../../../functions/core/report/format-date';

const m = (s: string) => s.replaceAll('-', MINUS);

describe('formatNumber', () => {
  it.each<[number | null | undefined, string]>([
    [0, '0'],
    [-0, '0'],
    [7, '7'],
    [1144, '1,144'],
    [39739, '39,739'],
    [999_999, '999,999'],
    [1_234_567, '1.23M'],
    [45_600_000_000, '45.6B'],
    [7.891e12, '7.89T'],
    [1.2e18, '1.2e18'],
    [Number.MAX_VALUE, '1.8e308'],
    [2.0399897330595484, '2.04'],
    [0.04567, '0.0457'],
    [3.1e-7, '3.1e-7'],
    [-1234.4, m('-1,234')],
    [-2_500_000, m('-2.5M')],
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
    [Infinity, '—'],
  ])('%s → %s', (x, s) => expect(formatNumber(x)).toBe(s));
});

describe('formatTicks', () => {
  it('uses one unit and enough decimals to tell ticks apart', () => {
    expect(formatTicks([10_000, 10_005, 10_010])).toEqual(['10.000k', '10.005k', '10.010k']);
    expect(formatTicks([1000, 1050, 1100])).toEqual(['1,000', '1,050', '1,100']);
    expect(formatTicks([0, 0.2, 0.4])).toEqual(['0', '0.2', '0.4']);
    expect(formatTicks([-2e6, 0, 2e6])).toEqual([m('-2M'), '0', '2M']);
    expect(formatTicks([0, 5e14, 1e15])).toEqual(['0', '500T', '1e15']);
  });
  it('never prints NaN', () => {
    expect(formatTicks([Number.NaN, 1])).toEqual(['—', '1']);
    expect(formatTicks([])).toEqual([]);
  });
});

describe('changes and directions', () => {
  it.each<[number | null, string, string]>([
    [12.345, '+12.3%', '▲'],
    [-13.39, m('-13.4%'), '▼'],
    [0.04, '0.0%', '→'],
    [-0.04, '0.0%', '→'],
    [2500, '+2,500%', '▲'],
    [123_456, '+123,456%', '▲'],
    [-1e308, m('-1e308%'), '▼'],
    [null, '—', ''],
  ])('%s → %s %s', (p, text, arr) => {
    expect(formatChangePct(p)).toBe(text);
    expect(arrow(direction(p))).toBe(arr);
  });
});

describe('rates, lifts, p-values, z', () => {
  it('formats them for people', () => {
    expect(formatPercent(0.48058)).toBe('48.1%');
    expect(formatPercent(0.00025)).toBe('<0.1%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatLift(3.241221987)).toBe('3.24×');
    expect(formatLift(null)).toBe('—');
    // One lift format everywhere: always two decimals, so 1.30× sits beside 1.24×, never 1.3×.
    expect(formatLift(1.3)).toBe('1.30×');
    expect(formatLift(1.24)).toBe('1.24×');
    expect(formatLift(3.0849)).toBe('3.08×');
    expect(formatLift(2)).toBe('2.00×');
    expect(formatLift(0)).toBe('0.00×');
    expect(formatLift(0.004)).toBe('<0.01×');
    expect(formatLift(1234.5)).toBe('1,234.50×');
    expect(formatLift(2.5e7)).toBe('2.50e7×');
    // Axis ticks of the forest plot are 1-2-5 positions, labelled as such.
    expect(formatLiftTick(0.5)).toBe('0.5×');
    expect(formatLiftTick(2)).toBe('2×');
    expect(formatP(1.39e-33)).toBe('<0.0001');
    expect(formatP(0.0873741657)).toBe('0.087');
    expect(formatP(0.00032)).toBe('0.00032');
    expect(formatP(1)).toBe('1');
    expect(formatZ(-13.23)).toBe(m('-13.2'));
    expect(formatZ(3.82)).toBe('+3.8');
    expect(formatZ(-1e308)).toBe(m('-1e308'));
    expect(formatInteger(-0.3)).toBe('0');
  });
});

describe('run facts', () => {
  it('formats bytes, dollars and durations', () => {
    expect(formatBytes(9_251_000_000)).toBe('9.25 GB');
    expect(formatBytes(96_000_000)).toBe('96 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(null)).toBe('—');
    expect(formatUsd(0.04625)).toBe('$0.05');
    expect(formatUsd(0.00048)).toBe('$0.0005');
    expect(formatUsd(0.00001)).toBe('<$0.0001');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(16_630)).toBe('16.6 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('dates', () => {
  it('writes days in English whatever the machine locale', () => {
    expect(formatDay('2026-11-17')).toBe('Tue 17 Nov 2026');
    expect(formatShortDay('2026-09-28')).toBe('28 Sep');
    expect(formatMonth('2026-10-01')).toBe('Oct 2026');
    expect(weekdayName('2026-11-17')).toBe('Tuesday');
    expect(formatDay('not a day')).toBe('not a day');
    expect(formatInstant('2026-11-18T06:03:41.512Z')).toBe('2026-11-18 06:03 UTC');
    expect(formatInstant('later')).toBe('later');
  });
});
