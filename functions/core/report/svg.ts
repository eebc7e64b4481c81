/**
 * Small SVG building blocks shared by the charts: coordinate formatting, the root element with its
 * text alternative, line and band paths that break at gaps, and text-width estimates.
 *
 * Charts are styled by class (`REPORT_CSS` in `./styles`), so one stylesheet switches them between
 * light, dark and print.
 */
import { html, raw, type SafeHtml, safeId } from './escape';

/**
 * A coordinate as SVG text: at most two decimals, no `-0`. Never `NaN` or `Infinity`: a
 * non-finite number prints as `0` (the scales never produce one; this is the last line of defence
 * so that one bad value cannot make a browser drop a whole path).
 */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

/** A point of a polyline; `null` is a gap. */
export type Pt = { x: number; y: number } | null;

/**
 * `M x,y L x,y …` with a new `M` after every gap. Runs of one point are left out (a lone `M`
 * draws nothing); charts draw those as dots, see {@link isolated}.
 */
export function linePath(points: readonly Pt[]): string {
  const runs: { x: number; y: number }[][] = [[]];
  for (const p of points) {
    if (p) (runs[runs.length - 1] as { x: number; y: number }[]).push(p);
    else if ((runs[runs.length - 1] as unknown[]).length) runs.push([]);
  }
  return runs
    .filter((r) => r.length > 1)
    .map((r) => r.map((p, i) => `${i ? 'L' : 'M'}${num(p.x)},${num(p.y)}`).join(''))
    .join(' ');
}

/** Points with no neighbour on either side (a line cannot show them, so charts draw a dot). */
export function isolated(points: readonly Pt[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  points.forEach((p, i) => {
    if (p && !points[i - 1] && !points[i + 1]) out.push(p);
  });
  return out;
}

/** A vertical band between `y0` and `y1` at each x; `null` is a gap. */
export type BandPt = { x: number; y0: number; y1: number } | null;

/**
 * Closed areas, one per run of consecutive points: along `y1` forwards, back along `y0`.
 * A run of one point becomes a rectangle `halfWidth` either side of it, so it stays visible.
 */
export function bandPath(points: readonly BandPt[], halfWidth: number): string {
  const runs: { x: number; y0: number; y1: number }[][] = [];
  let run: { x: number; y0: number; y1: number }[] = [];
  for (const p of points) {
    if (p) run.push(p);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs
    .map((r) => {
      if (r.length === 1) {
        const p = r[0] as { x: number; y0: number; y1: number };
        return `M${num(p.x - halfWidth)},${num(p.y1)}H${num(p.x + halfWidth)}V${num(p.y0)}H${num(p.x - halfWidth)}Z`;
      }
      const top = r.map((p, i) => `${i ? 'L' : 'M'}${num(p.x)},${num(p.y1)}`).join('');
      const bottom = [...r]
        .reverse()
        .map((p) => `L${num(p.x)},${num(p.y0)}`)
        .join('');
      return `${top}${bottom}Z`;
    })
    .join(' ');
}

/** Options every chart takes. */
export interface ChartFrame {
  /** Unique on the page; prefixes the ids of `<title>` and `<desc>`. */
  id: string;
  /** Short accessible name (the SVG's `<title>`). */
  title: string;
  /** Longer text alternative (the SVG's `<desc>`): what the chart shows, in words and numbers. */
  desc: string;
}

/**
 * The root `<svg>`: a `viewBox` and `width="100%"` (the page scales it), `role="img"` named by its
 * `<title>` and described by its `<desc>`, and a `data-chart` kind the browser test looks for.
 */
export function svgRoot(frame: ChartFrame, kind: string, width: number, height: number, body: SafeHtml | string): string {
  const id = safeId(frame.id);
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${kind}" data-chart="${kind}" viewBox="0 0 ${num(width)} ${num(height)}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${frame.title}</title><desc id="${id}-desc">${frame.desc}</desc>${typeof body === 'string' ? raw(body) : body}</svg>`
    .value;
}

/**
 * Rough advance width of `text` in a proportional sans-serif at `fontSize`: 0.58 em per character
 * (0.68 for capitals and digits). Good enough to truncate and place labels; it errs wide.
 */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[A-Z0-9%×$@#MW]/.test(ch) ? 0.68 : /[ilj.,:;'|!]/.test(ch) ? 0.3 : 0.58;
  return em * fontSize;
}

/** `text` cut with `…` to fit `maxWidth` at `fontSize`. */
export function truncate(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/**
 * `text` wrapped at spaces (or `_`, for ids) into at most `maxLines` lines of `maxWidth`; the last
 * line is truncated with `…` if text remains.
 */
export function wrap(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const words = text.split(/(?<=[ _])/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && textWidth((line + w).trimEnd(), fontSize) > maxWidth) {
      lines.push(line.trimEnd());
      line = '';
      if (lines.length === maxLines) break;
    }
    line += w;
  }
  if (lines.length < maxLines && line) lines.push(line.trimEnd());
  const used = lines.join('').replace(/\s/g, '').length;
  const rest = text.replace(/\s/g, '').length > used;
  return lines.map((l, i) => (i === lines.length - 1 && rest ? truncate(`${l} …`, maxWidth, fontSize) : truncate(l, maxWidth, fontSize)));
}
