/**
 * Numbers for people, in alert texts. Deterministic (always `en-US` grouping, whatever the host's
 * locale) and ASCII only (`-`, not `−`): SMS stays in the GSM-7 alphabet (160 characters a segment
 * rather than 70) and email subjects avoid characters some mail paths mangle. Every function maps
 * null, NaN and ±Infinity to text instead of throwing: a number that cannot be computed is a value.
 */

const grouped = (maximumFractionDigits: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits, useGrouping: true });
const GROUP_0 = grouped(0);
const GROUP_1 = grouped(1);
const GROUP_2 = grouped(2);
const SIG_3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** Text for values that are not finite numbers, or undefined when `x` is finite. */
function special(x: number | null): string | undefined {
  if (x === null || Number.isNaN(x)) return 'n/a';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** `1.2e18` style: `digits` decimals in the mantissa, no `+` in the exponent. */
function scientific(x: number, digits: number): string {
  return x.toExponential(digits).replace('e+', 'e');
}

/**
 * A value in full, for email bodies: `1,234`, `1,234.5`, `3.14`, `0.0123`; beyond a quadrillion or
 * below 1e-4 in scientific notation (`1.23e18`, `4.56e-7`), where digits stop being readable.
 */
export function formatNumber(x: number | null): string {
  const s = special(x);
  if (s !== undefined) return s;
  const v = x as number;
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e15 || a < 1e-4) return scientific(v, 2);
  if (a >= 100) return GROUP_1.format(v);
  if (a >= 1) return GROUP_2.format(v);
  return SIG_3.format(v);
}

const UNITS: readonly (readonly [number, string])[] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Rounds to one decimal and prints without a trailing `.0`: 4 → `4`, 12.34 → `12.3`. */
const oneDecimal = (m: number) => String(Math.round(m * 10) / 10);

/**
 * A value in at most about six characters, for subjects and SMS: `999`, `4.2k`, `12.3M`, `1.5B`,
 * `7T`, `3.14`, `0.0123`; scientific (`1.2e18`) beyond 999.9T or below 1e-4.
 */
export function formatCompact(x: number | null): string {
  const s = special(x);
  if (s !== undefined) return s;
  const v = x as number;
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (a === 0) return '0';
  if (a < 1e-4) return scientific(v, 1);
  if (a < 1) return SIG_3.format(v);
  // Below 1000, round first: 999.6 must become "1k", not "1000".
  if (Math.round(a) < 1000) return sign + (a >= 100 ? String(Math.round(a)) : a >= 10 ? oneDecimal(a) : String(Math.round(a * 100) / 100));
  for (let i = UNITS.length - 1; i >= 0; i--) {
    const [size, unit] = UNITS[i]!;
    const larger = UNITS[i - 1];
    if (larger !== undefined && a >= larger[0]) continue;
    const m = Math.round((a / size) * 10) / 10;
    if (m < 1000) return `${sign}${oneDecimal(m)}${unit}`;
    // 999.96k rounds to 1000k: say 1M instead (or go scientific past the largest unit).
    if (larger !== undefined) return `${sign}1${larger[1]}`;
  }
  return scientific(v, 1);
}

/**
 * A signed percentage change with one decimal: `+4.0%`, `-12.3%`, `0.0%`; beyond ±1000% without
 * decimals (`+12,345%`) or, with `compact`, as `+12.3k%`.
 */
export function formatPct(p: number | null, compact = false): string {
  const s = special(p);
  if (s !== undefined) return s;
  const v = p as number;
  const a = Math.abs(v);
  const body = a < 1000 ? a.toFixed(1) : compact ? formatCompact(a) : a >= 1e15 ? scientific(a, 2) : GROUP_0.format(a);
  // The sign follows what is printed: -0.04 rounds to 0.0, which is neither up nor down.
  const sign = /[1-9]/.test(body) ? (v > 0 ? '+' : '-') : '';
  return `${sign}${body}%`;
}

/** A robust z-score: signed, one decimal (`-4.2`, `+0.3`); beyond ±1000 compact (`-1.2M`). */
export function formatZ(z: number | null): string {
  const s = special(z);
  if (s !== undefined) return s;
  const v = z as number;
  const a = Math.abs(v);
  const body = a < 1000 ? a.toFixed(1) : formatCompact(a);
  const sign = /[1-9]/.test(body) ? (v > 0 ? '+' : '-') : '';
  return `${sign}${body}`;
}

/**
 * A share as a percentage with one decimal, rounded down: 0.2 → `20.0%`, 0.4995 → `49.9%` (compact
 * beyond 1000%). Down, because a guard that trips below 50% must not print "50.0%" when it trips.
 */
export function formatShare(ratio: number | null): string {
  const s = special(ratio);
  if (s !== undefined) return s;
  const pct = (ratio as number) * 100;
  if (Math.abs(pct) >= 1000) return `${formatCompact(pct)}%`;
  // Rounding the product to 9 places first keeps 0.7 * 100 = 70.00000000000001 from flooring oddly.
  const floored = Math.floor(Math.round(pct * 1e9) / 1e8) / 10;
  return `${floored.toFixed(1)}%`;
}

/**
 * A part of a whole in whole percent, unsigned when positive: `55%`, `-12%`, `150%` (compact beyond
 * 1000%: `12.3k%`). For "55% of the fall", where a `+` would read as a rise.
 */
export function formatPortion(p: number | null): string {
  const s = special(p);
  if (s !== undefined) return s;
  const v = p as number;
  const a = Math.abs(v);
  const body = a < 999.5 ? String(Math.round(a)) : formatCompact(a);
  return `${body === '0' || v >= 0 ? '' : '-'}${body}%`;
}
