/** Number formatting and the markdown tables the benchmark prints and writes. */

/** `1.23 s` for >= 1 s, else `456 ms`; `—` for null. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** Binary units: `512 B`, `3.4 KiB`, `65.1 MiB`, `1.20 GiB`; `—` for null. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

/** `4,512,345`; `—` for null. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return Math.round(n).toLocaleString('en-US');
}

/** `12.3×` (two significant decimals below 10); `—` for null. */
export function formatRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** `median (min)` of a timing summary, or `—`. */
export function formatTiming(s: { median: number; min: number } | null | undefined): string {
  if (!s) return '—';
  return `${formatMs(s.median)} (${formatMs(s.min)})`;
}

export type Align = 'left' | 'right';

/**
 * A GitHub markdown table whose columns are padded to equal width, so it reads as well in a
 * terminal as rendered. Cells are escaped (`|` would split a cell); every row must have as many
 * cells as there are headers.
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  for (const [i, row] of rows.entries()) {
    if (row.length !== headers.length) throw new Error(`row ${i} has ${row.length} cells, expected ${headers.length}`);
  }
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const cells = [headers.map(esc), ...rows.map((r) => r.map(esc))];
  const widths = headers.map((_, c) => Math.max(3, ...cells.map((r) => [...r[c]!].length)));
  const pad = (s: string, c: number) => {
    const fill = ' '.repeat(widths[c]! - [...s].length);
    return align[c] === 'right' ? fill + s : s + fill;
  };
  const line = (r: readonly string[]) => `| ${r.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return `${[line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n')}\n`;
}
