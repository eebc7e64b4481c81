/**
 * The North Star check inside a night: runNight reads the earlier weeks' metrics.jsonl from the
 * store, appends tonight's values and puts the analysis in report.json. The weekly series are the
 * ones of test/unit/core/north-star-check/lag-correlations.test.ts, so the expected values are the
 * scipy values written there (scipy.stats.pearsonr(x, y) and .confidence_interval(0.95) per lag).
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
import { expectClose } from '../stats/expect-close';

const D = '2024-05-01';
// /usr/bin/python3 (numpy 1.24): see lag-correlations.test.ts for the generating call; index 20 is a null NSM value.
const NS = [
  1000.0,
  995.7,
  984.4,
  991.1,
  980.0,
  1000.2,
  1009.4,
  1005.8,
  1011.5,
  1027.6,
  1056.0,
  1046.8,
  1057.4,
  1062.6,
  1059.8,
  1070.7,
  1075.8,
  1086.5,
  1081.3,
  1081.3,
  null,
  1085.4,
  1085.6,
  1077.9,
  1079.1,
  1081.0,
  1080.4,
  1080.3,
  1087.2,
  1080.6,
  1087.6,
  1086.1,
  1086.6,
  1084.7,
  1093.7,
  1101.3,
  1101.4,
  1097.0,
  1115.6,
  1120.9,
  1109.5,
  1109.4,
  1108.3,
  1115.5,
  1113.3,
  1105.9,
  1119.3,
  1099.3,
  1085.2,
  1080.0,
  1074.8,
  1073.5,
];
const REV = [
  5000.0, 4999.9, 5005.9, 4992.9, 5000.6, 5010.4, 4995.8, 5010.5, 5015.9, 4999.3, 5006.8, 5014.6, 5036.9, 5022.0, 5028.0, 5032.8, 5022.6,
  5041.5, 5038.4, 5045.1, 5040.2, 5043.9, 5048.7, 5049.1, 5052.2, 5047.4, 5042.7, 5047.8, 5043.2, 5036.1, 5041.6, 5032.6, 5040.1, 5040.3,
  5037.0, 5037.0, 5044.5, 5041.4, 5050.5, 5046.3, 5061.9, 5071.6, 5052.6, 5048.2, 5052.5, 5047.2, 5039.8, 5042.8, 5058.1, 5034.0, 5021.3,
  5020.8,
];
// [lag, n, r, ci_low, ci_high] from scipy, as in lag-correlations.test.ts
const SCIPY: [number, number, number, number, number][] = [
  [0, 49, -0.03140671778895375, -0.3098667272469589, 0.25201553339447036],
  [1, 48, -0.07836751374451732, -0.354606220015588, 0.21045333398134242],
  [2, 47, 0.8026273908793646, 0.6698538098625729, 0.8856601997600493],
  [3, 46, -0.21442379575308504, -0.4751455460183289, 0.08091067993077836],
];

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
    for (const [lag, n, r, low, high] of SCIPY) {
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
