import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatMs, formatRatio, formatTiming, markdownTable } from '../../../bench/format';

describe('number formats', () => {
  it.each([
    [0, '0 ms'],
    [456.4, '456 ms'],
    [999.6, '1000 ms'],
    [1000, '1.00 s'],
    [12345, '12.35 s'],
    [null, '—'],
  ])('formatMs(%j) = %s', (ms, want) => {
    expect(formatMs(ms)).toBe(want);
  });

  it.each([
    [512, '512 B'],
    [1024, '1.00 KiB'],
    [3.5 * 1024, '3.50 KiB'],
    [65.1 * 1024 ** 2, '65.1 MiB'],
    [200 * 1024 ** 2, '200 MiB'],
    [1.2 * 1024 ** 3, '1.20 GiB'],
    [null, '—'],
  ])('formatBytes(%j) = %s', (b, want) => {
    expect(formatBytes(b)).toBe(want);
  });

  it('formats counts, ratios and timings', () => {
    expect(formatCount(4512345.4)).toBe('4,512,345');
    expect(formatCount(null)).toBe('—');
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatRatio(null)).toBe('—');
    expect(formatTiming({ median: 2500, min: 900 })).toBe('2.50 s (900 ms)');
    expect(formatTiming(null)).toBe('—');
  });
});

describe('markdownTable', () => {
  it('pads columns to equal width and right-aligns where asked', () => {
    const text = markdownTable(
      ['lake', 'night'],
      [
        ['json-1x', '2.50 s'],
        ['parquet-2x', '1.1 s'],
      ],
      ['left', 'right'],
    );
    expect(text).toBe(
      '| lake       |  night |\n' + '| ---------- | -----: |\n' + '| json-1x    | 2.50 s |\n' + '| parquet-2x |  1.1 s |\n',
    );
  });

  it('escapes pipes inside cells and keeps short columns at least 3 wide', () => {
    expect(markdownTable(['a'], [['x|y']])).toBe('| a    |\n| ---- |\n| x\\|y |\n');
  });

  it('counts characters, not UTF-16 units, when padding (× and … are one column each)', () => {
    expect(markdownTable(['r'], [['1.2×']], ['right'])).toBe('|    r |\n| ---: |\n| 1.2× |\n');
  });

  it('rejects a row with the wrong number of cells', () => {
    expect(() => markdownTable(['a', 'b'], [['only one']])).toThrow('row 0 has 1 cells, expected 2');
  });
});
