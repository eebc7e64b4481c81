/**
 * A linear scale: maps `domain` onto `range` (`y = r0 + (v - d0) / (d1 - d0) · (r1 - r0)`).
 *
 * It always returns a finite number, because its output goes straight into SVG coordinates:
 * - the ratio is computed on halves, so `d1 - d0` cannot overflow to Infinity for huge domains;
 * - a degenerate domain (`d0 === d1`) maps everything to the middle of the range;
 * - `NaN` maps to the middle of the range, ±Infinity to the matching end.
 */
export function scaleLinear(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const mid = r0 / 2 + r1 / 2;
  const span = d1 / 2 - d0 / 2;
  const ok = Number.isFinite(span) && span !== 0 && Number.isFinite(d0) && Number.isFinite(d1);
  return (v: number) => {
    if (!ok || Number.isNaN(v)) return mid;
    if (v === Infinity) return span > 0 ? r1 : r0;
    if (v === -Infinity) return span > 0 ? r0 : r1;
    const t = (v / 2 - d0 / 2) / span;
    const y = r0 + t * (r1 - r0);
    return Number.isFinite(y) ? y : t > 0 ? r1 : r0;
  };
}
