/**
 * Fitting texts into hard length limits (an email subject, an SMS) by shortening the names in them,
 * never the numbers. Lengths count Unicode code points, so an emoji in a metric name counts once
 * and is never split in half.
 */

/** Length in code points. */
export function textLength(s: string): number {
  return Array.from(s).length;
}

/**
 * `s` on one line: control characters and line breaks become spaces, runs of spaces collapse.
 * Names come from the config, and a newline would break an SMS or an email subject header.
 */
export function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
  return s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** The ellipsis of shortened names: three ASCII dots (one character `…` would leave GSM-7 in SMS). */
export const ELLIPSIS = '...';

/**
 * `s` cut to at most `max` code points, ending in {@link ELLIPSIS} when cut. Trailing spaces before
 * the ellipsis are dropped. With `max` below the ellipsis' own length, the result is the ellipsis cut.
 */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  return (
    chars
      .slice(0, max - ELLIPSIS.length)
      .join('')
      .trimEnd() + ELLIPSIS
  );
}

/**
 * Renders `render(fields)` within `max` code points by shortening the longest field first (down to
 * `minField` code points each, ellipsis included). Only fields shrink: everything else `render`
 * writes — numbers, dates, punctuation — comes out whole.
 *
 * @returns the text, or null when it cannot fit even with every field at `minField`
 */
export function fitFields(
  render: (fields: readonly string[]) => string,
  fields: readonly string[],
  max: number,
  minField: number,
): string | null {
  const current = [...fields];
  for (;;) {
    const text = render(current);
    const over = textLength(text) - max;
    if (over <= 0) return text;
    // Shrink the longest field, but not below the next longest, so names share the cut.
    const lengths = current.map(textLength);
    let longest = -1;
    for (let i = 0; i < current.length; i++) {
      if (lengths[i]! > minField && (longest < 0 || lengths[i]! > lengths[longest]!)) longest = i;
    }
    if (longest < 0) return null;
    const next = Math.max(minField, ...lengths.filter((_, i) => i !== longest));
    const cut = Math.max(1, Math.min(over, lengths[longest]! - next));
    current[longest] = truncate(fields[longest]!, Math.max(minField, lengths[longest]! - cut));
  }
}
