/**
 * Escaping for the report page. Every string that comes from data (metric names come from a user's
 * config, alert subjects from message templates) reaches the HTML or SVG through {@link escapeHtml},
 * mostly via the {@link html} tagged template, which escapes every interpolation unless it is
 * already {@link SafeHtml}. That makes "escaped" the default rather than something to remember.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` so that `text` is inert in HTML/SVG text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Markup that is already safe (built by {@link html} or by a chart function). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks trusted markup (a chart's SVG string) as safe to embed without escaping. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  // A number that is not finite has no place on the page; callers format numbers first.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(String(value));
}

/**
 * Tagged template for HTML and SVG: interpolated strings are escaped, {@link SafeHtml} is kept,
 * arrays are concatenated, `null`/`undefined`/`false` render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * A string usable as an element id or id prefix: lower-case letters, digits and `-` only, starting
 * with a letter. Metric ids already are; this guards ids built from anything else.
 */
export function safeId(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(s) ? s : `x-${s}`;
}

/** `parts` joined by `separator` (plain text, escaped) into one piece of markup. */
export function joinHtml(parts: readonly SafeHtml[], separator: string): SafeHtml {
  return html`${parts.flatMap((part, i) => (i === 0 ? [part] : [separator, part]))}`;
}
