/** Assertions shared by the report's chart tests. */
import { expect } from 'vitest';

/** Every tag closed in order (a tiny well-formedness check for generated SVG/HTML fragments). */
export function expectBalancedTags(markup: string): void {
  const voids = new Set(['meta', 'link', 'br', 'hr', 'img', 'input']);
  const stack: string[] = [];
  const body = markup.replace(/<!doctype[^>]*>/i, '').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)\b[^>]*?(\/?)>/g)) {
    const [, close, name, selfClose] = m;
    if (selfClose || voids.has((name as string).toLowerCase())) continue;
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name as string);
  }
  expect(stack).toEqual([]);
}

/** No sign that a number or value went wrong on its way to the page. */
export function expectNoBadValues(markup: string): void {
  expect(markup).not.toMatch(/NaN|Infinity|undefined|\[object /);
}

/** Each `<svg>` opens with `<title>` and `<desc>`, has a viewBox and width 100%. */
export function expectAccessibleSvgs(markup: string): number {
  const svgs = [...markup.matchAll(/<svg\b[^>]*>([\s\S]*?)<\/svg>/g)];
  for (const [whole, inner] of svgs) {
    expect(inner).toMatch(/^<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/);
    expect(whole).toMatch(/^<svg [^>]*viewBox="0 0 [\d.]+ [\d.]+"[^>]*width="100%"/);
  }
  return svgs.length;
}

/** The numbers of a path's `d` attribute as [x, y] pairs (M/L commands only). */
export function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** The `d` of the first `<path class="cls" d="…">`. */
export function pathD(svg: string, cls: string): string | undefined {
  return new RegExp(`<path class="${cls}" d="([^"]*)"`).exec(svg)?.[1];
}
