/**
 * Numbers formatted for people (en-US grouping, a real minus sign, no `NaN`/`Infinity` ever):
 * anything missing or not finite prints as an em dash. The report shows values people compare at a
 * glance, so precision is deliberately limited (three significant digits for rates and lifts, one
 * decimal for percentage changes) while the exact values stay in `report.json`.
 */

/** What the page prints for a value that is missing or cannot be computed. */
export const MISSING = '—';
/** U+2212, the typographic minus: the same width as `+`, so signed columns line up. */
export const MINUS = '\u2212';

type Num = number | null | undefined;

const isNum = (x: Num): x is number => typeof x === 'number' && Number.isFinite(x);
const withMinus = (s: string) => s.replace(/^-/, MINUS);

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const sig3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** Integers with grouping: `12,345`. Non-integers are rounded. */
export function formatInteger(x: Num): string {
  if (!isNum(x)) return MISSING;
  return withMinus(grouped.format(Math.round(x) === 0 ? 0 : x));
}

const SUFFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
];

/**
 * A metric value: `12,345` below a million, then `1.23M`, `45.6B`, `7.89T`; beyond 10^15 `1.2e18`.
 * Non-integers below 1,000 keep three significant digits (`12.3`, `0.0457`); tiny ones use an
 * exponent (`3.1e-7`).
 */
export function formatNumber(x: Num): string {
  if (!isNum(x)) return MISSING;
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e15) return withMinus(x.toExponential(1).replace('e+', 'e').replace('.0e', 'e'));
  for (const [unit, suffix] of SUFFIXES) if (a >= unit) return withMinus(sig3.format(x / unit) + suffix);
  if (a >= 1000 || Number.isInteger(x)) return formatInteger(x);
  if (a < 1e-4) return withMinus(x.toExponential(1).replace('.0e', 'e'));
  return withMinus(sig3.format(x));
}

/**
 * Labels for the ticks of one axis, all with the same unit and enough decimals to tell neighbouring
 * ticks apart (`10.000k`, `10.005k` rather than `10k`, `10k`). A thousands suffix starts at 10,000.
 */
export function formatTicks(ticks: readonly number[]): string[] {
  const finite = ticks.filter((t) => Number.isFinite(t));
  if (finite.length === 0) return ticks.map(() => MISSING);
  const maxAbs = Math.max(...finite.map(Math.abs));
  if (maxAbs >= 1e15) return ticks.map((t) => formatNumber(t));
  const [unit, suffix] =
    maxAbs >= 1e12 ? [1e12, 'T'] : maxAbs >= 1e9 ? [1e9, 'B'] : maxAbs >= 1e6 ? [1e6, 'M'] : maxAbs >= 1e4 ? [1e3, 'k'] : [1, ''];
  const sorted = [...new Set(finite)].sort((a, b) => a - b);
  let step = Infinity;
  for (let i = 1; i < sorted.length; i++) step = Math.min(step, (sorted[i] as number) - (sorted[i - 1] as number));
  const rel = Number.isFinite(step) && step > 0 ? step / unit : 1;
  const decimals = Math.min(10, Math.max(0, Math.ceil(-Math.log10(rel) - 1e-9)));
  const f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return ticks.map((t) => (!Number.isFinite(t) ? MISSING : t === 0 ? '0' : withMinus(f.format(t / unit)) + suffix));
}

/** A change in percent with its sign: `+12.3%`, `−4.0%`, `0.0%`; `+1,234%` for big moves. */
export function formatChangePct(p: Num): string {
  if (!isNum(p)) return MISSING;
  // Beyond ±10,000% precision is noise (and p·10 could overflow): print the size compactly.
  if (Math.abs(p) >= 10_000) return `${p > 0 ? '+' : MINUS}${formatNumber(Math.abs(p))}%`;
  const r = Math.round(p * 10) / 10;
  if (r === 0) return '0.0%';
  const body = Math.abs(r) >= 1000 ? grouped.format(Math.abs(r)) : Math.abs(r).toFixed(1);
  return `${r > 0 ? '+' : MINUS}${body}%`;
}

/** Direction of a change, for the arrow and colour shown next to it. */
export type Direction = 'up' | 'down' | 'flat' | 'none';

/** `up`/`down` when the change rounds to at least ±0.1%, `flat` otherwise, `none` when unknown. */
export function direction(p: Num): Direction {
  if (!isNum(p)) return 'none';
  const r = Math.abs(p) >= 1 ? p : Math.round(p * 10) / 10;
  return r > 0 ? 'up' : r < 0 ? 'down' : 'flat';
}

/** The arrow that goes with a direction, so colour is never the only signal. */
export function arrow(d: Direction): string {
  return d === 'up' ? '▲' : d === 'down' ? '▼' : d === 'flat' ? '→' : '';
}

/** A proportion as a percentage: `45.7%`; `<0.1%` for a non-zero value that would round to 0. */
export function formatPercent(x: Num): string {
  if (!isNum(x)) return MISSING;
  const pct = x * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return pct > 0 ? '<0.1%' : `>${MINUS}0.1%`;
  return `${withMinus(pct.toFixed(1))}%`;
}

const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * A ratio of rates, the one lift format of the report, the alerts and the CLI: always two
 * decimals (`3.08×`, `1.30×` beside `1.24×`), with grouping (`1,234.50×`); `<0.01×` for a
 * positive lift that would round to zero; beyond a million (a confidence bound of a tiny group)
 * an exponent, `2.50e7×`.
 */
export function formatLift(x: Num): string {
  if (!isNum(x)) return MISSING;
  const a = Math.abs(x);
  if (a >= 1e6) return `${withMinus(x.toExponential(2).replace('e+', 'e'))}×`;
  if (a !== 0 && a < 0.005) return x > 0 ? '<0.01×' : `>${MINUS}0.01×`;
  return `${withMinus(twoDecimals.format(x))}×`;
}

/**
 * A tick of a lift axis (`0.5×`, `1×`, `2×`): ticks sit on 1-2-5 values, so they are labelled as
 * positions on the axis, not as measured lifts.
 */
export function formatLiftTick(x: Num): string {
  if (!isNum(x)) return MISSING;
  return `${formatNumber(x)}×`;
}

/** A p- or q-value: two significant digits, `<0.0001` below that. */
export function formatP(p: Num): string {
  if (!isNum(p)) return MISSING;
  if (p < 1e-4) return '<0.0001';
  return String(Number(p.toPrecision(2)));
}

/** A robust z-score: one decimal, signed. */
export function formatZ(z: Num): string {
  if (!isNum(z)) return MISSING;
  if (Math.abs(z) >= 10_000) return `${z > 0 ? '+' : MINUS}${formatNumber(Math.abs(z))}`;
  const r = Math.round(z * 10) / 10;
  return r === 0 ? '0.0' : `${r > 0 ? '+' : MINUS}${Math.abs(r).toFixed(1)}`;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Bytes in decimal units (as Athena bills them): `1.23 GB`. */
export function formatBytes(b: Num): string {
  if (!isNum(b)) return MISSING;
  let v = Math.abs(b);
  let i = 0;
  while (v >= 1000 && i < BYTE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${b < 0 ? MINUS : ''}${i === 0 ? String(Math.round(v)) : sig3.format(v)} ${BYTE_UNITS[i]}`;
}

/** US dollars: `$1.23`; amounts below a cent keep four decimals (`$0.0049`). */
export function formatUsd(x: Num): string {
  if (!isNum(x)) return MISSING;
  const a = Math.abs(x);
  const sign = x < 0 ? MINUS : '';
  if (a === 0) return '$0.00';
  if (a < 0.0001) return `${sign}<$0.0001`;
  if (a < 0.01) return `${sign}$${a.toFixed(4)}`;
  return `${sign}$${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(a)}`;
}

/** A duration: `850 ms`, `12.3 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: Num): string {
  if (!isNum(ms) || ms < 0) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
