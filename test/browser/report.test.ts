/**
 * The fixture report in a real browser: Debian's Chromium through playwright-core. Checks that
 * every chart has a non-empty box at desktop and phone widths, that the page makes no request
 * besides its own file and logs no console error (a CSP violation would log one), that nothing
 * overflows a 375px-wide screen, and saves screenshots for a person to look at.
 *
 * Without /usr/bin/chromium the test fails with one line saying how to install it, unless
 * NSM_SKIP_BROWSER=1 skips it on purpose (bin/test-prerequisites.js; `npm test` checks the same
 * before vitest starts). `.ci/run` installs chromium before `npm test`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_SUITE, suiteStatus } from '../../bin/test-prerequisites.js';
import { renderReportHtml } from '../../functions/core/report/render-report';
import { buildReportFixture } from '../fixtures/report-fixture';

const CHROMIUM = BROWSER_SUITE.path;
const browserSuite = suiteStatus(BROWSER_SUITE);
if (browserSuite.status === 'skipped') console.warn(browserSuite.message);

describe.skipIf(browserSuite.status === 'skipped')('report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    if (browserSuite.status === 'missing') throw new Error(browserSuite.message);
    dir = mkdtempSync(join(tmpdir(), 'nsm-report-browser-'));
    const { report, history } = buildReportFixture();
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(report, history));
    url = pathToFileURL(file).href;
    console.log(`[report browser test] report and screenshots in ${dir}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(width: number, height: number, scheme: 'light' | 'dark') {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: width < 500 ? 2 : 1, colorScheme: scheme });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });
    return { context, page, requests, errors };
  }

  /** Boxes of the charts CSS shows at this width (`display: none` ones have no box). */
  async function visibleChartBoxes(page: Page) {
    return page.$$eval('svg[data-chart]', (els) =>
      els
        // A chart counts as shown when it has layout boxes (display: none on an ancestor leaves none).
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => {
          const r = e.getBoundingClientRect();
          return { kind: e.getAttribute('data-chart'), id: e.querySelector('title')?.id ?? '', width: r.width, height: r.height };
        }),
    );
  }

  it('desktop: every chart drawn, no requests but the file, no console errors', async () => {
    const { context, page, requests, errors } = await open(1280, 900, 'light');
    const boxes = await visibleChartBoxes(page);
    // trend, tree, forest (wide variants) and one sparkline per watched metric (5).
    expect(boxes.map((b) => b.kind).sort()).toEqual([
      'forest',
      'line',
      'sparkline',
      'sparkline',
      'sparkline',
      'sparkline',
      'sparkline',
      'tree',
    ]);
    for (const b of boxes) {
      expect(b.width, b.id).toBeGreaterThan(100);
      expect(b.height, b.id).toBeGreaterThan(20);
    }
    expect(boxes.every((b) => !b.id.includes('narrow'))).toBe(true);
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    const shot = join(dir, 'desktop.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`[report browser test] desktop screenshot: ${shot}`);
    await context.close();
  });

  it('phone (375px, dark): narrow charts drawn, nothing wider than the screen', async () => {
    const { context, page, requests, errors } = await open(375, 812, 'dark');
    const boxes = await visibleChartBoxes(page);
    expect(boxes.filter((b) => b.kind !== 'sparkline').map((b) => b.id)).toEqual([
      'trend-narrow-title',
      'tree-narrow-title',
      'forest-narrow-title',
    ]);
    for (const b of boxes) {
      expect(b.width, b.id).toBeGreaterThan(100);
      expect(b.width, b.id).toBeLessThanOrEqual(375);
      expect(b.height, b.id).toBeGreaterThan(20);
    }
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(375);
    const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(13, 17, 23)'); // the dark palette applied
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    const shot = join(dir, 'phone.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`[report browser test] phone screenshot: ${shot}`);
    await context.close();
  });

  it('print: wide charts, light palette', async () => {
    const { context, page } = await open(1280, 900, 'dark');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(255, 255, 255)');
    const shown = await page.evaluate<string[]>(
      "[...document.querySelectorAll('.v-wide, .v-narrow')].map((e) => e.className + ':' + getComputedStyle(e).display)",
    );
    expect(shown.filter((s) => s.startsWith('v-wide')).every((s) => s.endsWith(':block'))).toBe(true);
    expect(shown.filter((s) => s.startsWith('v-narrow')).every((s) => s.endsWith(':none'))).toBe(true);
    const pdf = join(dir, 'print.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    console.log(`[report browser test] print PDF: ${pdf}`);
    await context.close();
  });
});
