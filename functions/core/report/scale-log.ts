/**
 * A logarithmic scale: maps `domain` (both ends > 0) onto `range` linearly in `ln v`.
 * Ratios such as lifts are symmetric on it (0.5× sits as far from 1× as 2×).
 *
 * Values outside the domain are clamped to it (a chart clips them and marks the clipping itself);
 * values `<= 0` and `NaN` map to the low end. A domain that is not positive and increasing maps
 * everything to the middle of the range. The result is always finite.
 */
export function scaleLog(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const ok = d0 > 0 && d1 > d0 && Number.isFinite(d1);
  const l0 = ok ? Math.log(d0) : 0;
  const l1 = ok ? Math.log(d1) : 1;
  return (v: number) => {
    if (!ok) return r0 / 2 + r1 / 2;
    const c = !(v > d0) ? d0 : Math.min(v, d1);
    return r0 + ((Math.log(c) - l0) / (l1 - l0)) * (r1 - r0);
  };
}
