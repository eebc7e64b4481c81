import { describe, expect, it } from 'vitest';
import { REPORT_CSS } from '../../../../functions/core/report/styles';

/** Custom properties of the first `:root{…}` after `marker` in the stylesheet. */
function palette(marker: string): Record<string, string> {
  const at = REPORT_CSS.indexOf(marker);
  const block = /:root\{([^}]*)\}/.exec(REPORT_CSS.slice(at))?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/--([\w-]+):(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]));
}

/** WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (b as number);
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi as number) + 0.05) / ((lo as number) + 0.05);
}

const TEXT = ['fg', 'muted', 'up', 'down', 'warn', 'accent'];
const BACKGROUNDS = ['bg', 'card', 'faint', 'down-bg', 'accent-bg'];
const GRAPHICS = ['series', 'baseline', 'down', 'accent'];

describe.each([
  ['light', palette(':root{color-scheme')],
  ['dark', palette('prefers-color-scheme: dark')],
  ['print', palette('@media print')],
])('%s palette', (_, p) => {
  it('defines every colour it uses', () => {
    for (const k of [...TEXT, ...BACKGROUNDS, ...GRAPHICS]) expect(p[k], k).toMatch(/^#[0-9a-f]{6}$/);
  });
  it.each(TEXT.flatMap((t) => BACKGROUNDS.map((b) => [t, b] as const)))('text %s on %s meets WCAG AA (4.5:1)', (t, b) => {
    expect(contrast(p[t] as string, p[b] as string)).toBeGreaterThanOrEqual(4.5);
  });
  it.each(GRAPHICS.flatMap((g) => ['bg', 'card'].map((b) => [g, b] as const)))('chart mark %s on %s meets 3:1', (g, b) => {
    expect(contrast(p[g] as string, p[b] as string)).toBeGreaterThanOrEqual(3);
  });
});

describe('contrast()', () => {
  it('matches the WCAG extremes', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrast('#777777', '#777777')).toBe(1);
  });
});
