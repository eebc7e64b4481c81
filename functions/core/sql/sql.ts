/**
 * The `sql` template tag: query builders write each clause as the SQL it produces, indented like
 * the code around it, and the tag lays the text out:
 *
 * - the common indentation of the template's lines is removed, and so are the first line when it
 *   is empty and the last line when it holds only spaces;
 * - a list value becomes one item per line, `,`-separated, each at the column of the placeholder's
 *   line (a SELECT list, say);
 * - a multi-line value (a CTE body, a condition list) keeps its own layout, every line after its
 *   first moved to the indentation of the placeholder's line.
 *
 *     sql`
 *       WITH scoped AS (
 *         ${scan}
 *       )
 *       SELECT
 *         ${columns}
 *       FROM scoped`
 *
 * Values are inserted as given: quoting is `./quote.ts`'s job, and every value here is SQL already.
 */

/** What a placeholder may hold: SQL text, a number, or a list of SQL items. */
export type SqlPart = string | number | readonly string[];

/** Lays out a SQL template (see the module comment). */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlPart[]): string {
  const indent = commonIndent(strings);
  let out = '';
  strings.forEach((literal, i) => {
    out += i === 0 ? dedentFirst(literal, indent) : dedent(literal, indent);
    if (i < values.length) out += placeValue(values[i]!, lineIndent(out));
  });
  return trimEdges(out);
}

/** The smallest indentation of the template's lines that hold anything (text or a placeholder). */
function commonIndent(strings: TemplateStringsArray): number {
  let min = Number.POSITIVE_INFINITY;
  strings.forEach((literal, i) => {
    const lines = literal.split('\n');
    // The first piece of a literal continues the line of the placeholder before it (or starts the template).
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      const isLast = k === lines.length - 1;
      const holdsPlaceholder = isLast && i < strings.length - 1;
      if (line.trim() === '' && !holdsPlaceholder) continue;
      min = Math.min(min, line.length - line.trimStart().length);
    }
  });
  return min === Number.POSITIVE_INFINITY ? 0 : min;
}

function dedent(literal: string, indent: number): string {
  return literal
    .split('\n')
    .map((line, k) => (k === 0 ? line : line.slice(Math.min(indent, line.length - line.trimStart().length))))
    .join('\n');
}

/** The template's first line: dropped when empty (the template starts on the next line). */
function dedentFirst(literal: string, indent: number): string {
  const text = dedent(literal, indent);
  return text.startsWith('\n') ? text.slice(1) : text;
}

/** The leading spaces of the last line of `text`. */
function lineIndent(text: string): string {
  const line = text.slice(text.lastIndexOf('\n') + 1);
  return line.slice(0, line.length - line.trimStart().length);
}

function placeValue(value: SqlPart, indent: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : value.join(',\n');
  return text
    .split('\n')
    .map((line, k) => (k === 0 || line === '' ? line : indent + line))
    .join('\n');
}

/** Drops a last line of spaces only (the closing backtick's indentation). */
function trimEdges(text: string): string {
  const last = text.lastIndexOf('\n');
  return last >= 0 && text.slice(last + 1).trim() === '' ? text.slice(0, last) : text;
}
