/** JSON Lines, the format of the layout's `.jsonl` files: one compact JSON object per line. */

/** JSON Lines text: one compact JSON object per line, newline-terminated. */
export function toJsonLines(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/** Parses JSON Lines text; blank lines are ignored. */
export function fromJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
