/**
 * The North Star check inside a night: runNight reads the earlier weeks' metrics.jsonl from the
 * store, appends tonight's values and puts the analysis in report.json. The weekly series are those of
 * test/support/north-star-series.ts, so the expected values are the scipy values written there (scipy.stats.pearsonr(x, y) and .confidence_interval(0.95) per lag).
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../functions/core/dates';
import type { Query, QueryEngine, QueryResult } from '../../../../functions/core/engine';
import { runNight } from '../../../../functions/core/pipeline/run-night';
import { toJsonLines } from '../../../../functions/core/results/json-lines';
import { metricsKey, reportJsonKey } from '../../../../functions/core/results/layout';
import type { NightReport } from '../../../../functions/core/results/report';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { DAY_EVENTS_COLUMN, METRICS_QUERY, metricColumn } from '../../../../functions/core/sql/metrics-query';
import { lakeConfig, testConfig } from '../../../support/config';
import { MemoryResultStore } from '../../../support/memory-store';
import { NS, REV, SCIPY } from '../../../support/north-star-series';
import { expectClose } from '../stats/expect-close';

const D = '2024-05-01';

const config = {
  ...testConfig({
    lake: lakeConfig('/lake'),
    results: '/results',
    metrics: [
      { id: 'nsm', name: 'NSM', type: 'sum', events: ['e'], property: 'v', scale: 1, window_days: 7 },
      { id: 'revenue', name: 'Revenue', type: 'sum', events: ['pay'], property: 'amount', scale: 1, window_days: 7 },
    ],
    north_star: 'nsm',
  }),
  north_star_check: { revenue: 'revenue', max_lag_weeks: 3 },
};

/** Tonight's metrics: the series' last week. */
class TonightEngine implements QueryEngine {
  readonly name = 'fixed';
  readonly dialect = duckdbDialect();
  async run(query: Query): Promise<QueryResult> {
    if (query.name !== METRICS_QUERY) throw new Error(`unexpected query ${query.name}`);
    const row = { [metricColumn('nsm')]: NS[51]!, [metricColumn('revenue')]: REV[51]!, [DAY_EVENTS_COLUMN]: 100 };
    return { rows: [row], stats: { name: query.name, query_id: null, ms: 1, bytes_scanned: null, rows: 1 } };
  }
  async hasLakePartition(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

describe('runNight with north_star_check', () => {
  it('reads 51 earlier weeks from the store, adds tonight, and writes the scipy-matching analysis to report.json', async () => {
    const store = new MemoryResultStore();
    for (let w = 0; w < 51; w++) {
      const dt = addDays(D, -7 * (51 - w));
      // Week 20's NSM could not be computed that night (null), its revenue could.
      const rows = [
        { dt, metric_id: 'nsm', value: NS[w] },
        { dt, metric_id: 'revenue', value: REV[w] },
      ];
      await store.put(metricsKey(dt), toJsonLines(rows), 'application/x-ndjson');
    }
    const deps = {
      engine: new TonightEngine(),
      store,
      notifier: { publish: async () => undefined },
      log: () => undefined,
      warn: (line: string) => {
        throw new Error(`unexpected warning: ${line}`);
      },
      now: () => new Date(Date.UTC(2024, 4, 2, 6)),
    };
    await runNight(config, D, deps, { sendAlerts: false, runId: 't', lease: { runId: 't', lease: 'lease/g0000000000.json' } });
    const report = JSON.parse((await store.get(reportJsonKey(D)))!) as NightReport;
    const check = report.north_star_check!;
    expect(check).toMatchObject({ north_star: 'nsm', revenue: 'revenue', max_lag_weeks: 3, weeks_read: 52, first_week: addDays(D, -357) });
    expect(check.changes).toBe(49);
    for (const [lag, n, r, low, high] of SCIPY.slice(0, config.north_star_check.max_lag_weeks + 1)) {
      const l = check.lags[lag]!;
      expect(l.n).toBe(n);
      expectClose(l.r, r, 1e-9);
      expectClose(l.ci_low, low, 1e-9);
      expectClose(l.ci_high, high, 1e-9);
    }
    expect([check.best_lag, check.verdict]).toEqual([2, 'leading']);
    expect((await store.get(reportJsonKey(D)))!).toContain('"north_star_check"');
  });

  it('says insufficient_history on a store without earlier weeks', async () => {
    const store = new MemoryResultStore();
    const deps = {
      engine: new TonightEngine(),
      store,
      notifier: { publish: async () => undefined },
      log: () => undefined,
      warn: () => undefined,
      now: () => new Date(Date.UTC(2024, 4, 2, 6)),
    };
    const outcome = await runNight(config, D, deps, {
      sendAlerts: false,
      runId: 't',
      lease: { runId: 't', lease: 'lease/g0000000000.json' },
    });
    expect(outcome.report.north_star_check).toMatchObject({ changes: 0, verdict: 'insufficient_history', best_lag: null });
  });

  it('leaves a damaged earlier week out with a warning instead of failing the night', async () => {
    const store = new MemoryResultStore();
    // 20 weeks back: read by the check only (the baselines and the report's charts stop at 90 days).
    const damaged = addDays(D, -140);
    await store.put(metricsKey(damaged), `{"dt":"${damaged}","metric_id":"nsm","val`, 'application/x-ndjson');
    const warnings: string[] = [];
    const deps = {
      engine: new TonightEngine(),
      store,
      notifier: { publish: async () => undefined },
      log: () => undefined,
      warn: (line: string) => void warnings.push(line),
      now: () => new Date(Date.UTC(2024, 4, 2, 6)),
    };
    const outcome = await runNight(config, D, deps, {
      sendAlerts: false,
      runId: 't',
      lease: { runId: 't', lease: 'lease/g0000000000.json' },
    });
    expect(outcome.report.north_star_check).toMatchObject({ verdict: 'insufficient_history' });
    expect(warnings.some((w) => w.includes(`metrics/dt=${damaged}/metrics.jsonl`) && w.includes('North Star check'))).toBe(true);
  });
});
