import { describe, expect, it } from 'vitest';
import { writeNightsIndex } from '../../../../functions/core/pipeline/nights-index';
import { LATEST_HTML_KEY, LATEST_KEY } from '../../../../functions/core/results/layout';
import type { NightReport } from '../../../../functions/core/results/report';
import { buildReportFixture, FIXTURE_DT } from '../../../fixtures/report-fixture';
import { MemoryResultStore } from '../../../support/memory-store';

const { report, history } = buildReportFixture();

describe('writeNightsIndex', () => {
  it('writes latest.html for the newest night, listing it and the earlier nights', async () => {
    const store = new MemoryResultStore();
    await writeNightsIndex(store, report, history);
    const page = store.objects.get(LATEST_HTML_KEY);
    expect(page?.contentType).toBe('text/html; charset=utf-8');
    expect(page?.body).toContain(`href="reports/dt=${FIXTURE_DT}/report.html"`);
    expect(page?.body).toContain('href="reports/dt=2026-11-16/report.html"');
    expect(page?.body).toContain('href="reports/dt=2026-08-19/report.html"'); // D-90, the oldest night it lists
  });

  it('leaves it alone when latest.json points at a later night (a backfill never moves it back)', async () => {
    const store = new MemoryResultStore({ [LATEST_KEY]: JSON.stringify({ dt: '2026-11-20', report: 'x' }), [LATEST_HTML_KEY]: 'newer' });
    await writeNightsIndex(store, report, history);
    expect(store.objects.get(LATEST_HTML_KEY)?.body).toBe('newer');
  });

  it('rewrites it for the same night re-run', async () => {
    const store = new MemoryResultStore({ [LATEST_KEY]: JSON.stringify({ dt: FIXTURE_DT, report: 'x' }), [LATEST_HTML_KEY]: 'old' });
    await writeNightsIndex(store, { ...report } as NightReport, history);
    expect(store.objects.get(LATEST_HTML_KEY)?.body).toContain('<!doctype html>');
  });
});
