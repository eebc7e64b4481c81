/**
 * Small text helpers for config error messages. Every message the config loader produces is one
 * line (the CLI prints it alone), so anything quoted from the user's file is escaped and cut short.
 */

/** Keys that can follow a dot in a field path; anything else is written `['odd key']`. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Longest quoted value kept in a message; a pasted paragraph must not flood the terminal. */
const MAX_QUOTED = 60;

/**
 * A field path as users read it: `metrics[3].window_days`, `tree.posting_teams_weekly[1]`.
 * Numbers become `[n]`; keys that are not plain names become `['key']`.
 */
export function fieldPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else {
      const key = String(s);
      if (!PLAIN_KEY.test(key)) out += `[${quoted(key)}]`;
      else out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}

/**
 * A value from the config for a message: strings in single quotes with control characters (and
 * line/paragraph separators) escaped so the message stays on one line; long strings cut with `…`.
 */
export function quoted(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const cut = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
  // JSON.stringify escapes control characters and backslashes; U+2028/2029 it leaves alone.
  const escaped = JSON.stringify(cut)
    .slice(1, -1)
    .replaceAll('\\"', '"')
    .replaceAll("'", "\\'")
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
  return `'${escaped}'`;
}

/** What a value from the parsed document is, for `got …` in messages. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** Levenshtein distance; the lists compared here are a dozen short words, so O(n·m) is fine. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The option closest to `word` when it is a plausible typo (at most 2 edits, and fewer edits than
 * a third of the word's length rounded up), else `undefined`. Ties go to the earlier option.
 */
export function closest(word: string, options: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.ceil(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const option of options) {
    const d = distance(word.toLowerCase(), option.toLowerCase());
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` when `word` looks like a typo of one of `options`, else ``. */
export function didYouMean(word: string, options: readonly string[]): string {
  const match = closest(word, options);
  return match === undefined ? '' : ` (did you mean ${quoted(match)}?)`;
}
