/**
 * runNight's own contract, with the in-memory store and an engine that answers the night's queries
 * with fixed rows: latest.json never moves back, a failed night is recorded in run.json before the
 * error goes on, and every file of a night is written before latest.json. What the queries compute
 * is covered against real engines elsewhere (metrics-duckdb, candidates, incremental-state).
 */
import { describe, expect, it } from 'vitest';
import type { Query, QueryEngine, QueryResult, Row } from '../../../../functions/core/engine';
import { NotifyError, QueryError, StoreError } from '../../../../functions/core/errors';
import type { PipelineDeps } from '../../../../functions/core/pipeline/deps';
import { runNight } from '../../../../functions/core/pipeline/run-night';
import {
  alertsKey,
  LATEST_HTML_KEY,
  LATEST_KEY,
  metricsKey,
  reportHtmlKey,
  reportJsonKey,
  runKey,
} from '../../../../functions/core/results/layout';
import type { LatestPointer, RunRecord } from '../../../../functions/core/results/rows';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { DAY_EVENTS_COLUMN, METRICS_QUERY, metricColumn } from '../../../../functions/core/sql/metrics-query';
import { RecordingNotifier } from '../../../support/alerts';
import { lakeConfig, testConfig } from '../../../support/config';
import { MemoryResultStore } from '../../../support/memory-store';

const config = testConfig({
  lake: lakeConfig('/lake'),
  results: '/results',
  metrics: [{ id: 'posts', name: 'Posts', type: 'count', events: ['post'], window_days: 1 }],
  north_star: 'posts',
});

/** Answers the metrics query with `row`, or fails it with `fail`; `partition` is whether D's partition is in the lake. */
class FixedEngine implements QueryEngine {
  readonly name = 'fixed';
  readonly dialect = duckdbDialect();
  readonly ran: string[] = [];
  constructor(
    private readonly row: Row,
    private readonly fail?: Error,
    private readonly partition: boolean | null = false,
  ) {}
  async hasLakePartition(): Promise<boolean | null> {
    return this.partition;
  }
  async run(query: Query): Promise<QueryResult> {
    this.ran.push(query.name);
    if (this.fail) throw this.fail;
    if (query.name !== METRICS_QUERY) throw new Error(`unexpected query ${query.name}`);
    return { rows: [this.row], stats: { name: query.name, query_id: null, ms: 3, bytes_scanned: null, rows: 1 } };
  }
  async close(): Promise<void> {}
}

/** A night with 12 posts among 40 events. */
const normalNight = () => new FixedEngine({ [metricColumn('posts')]: 12, [DAY_EVENTS_COLUMN]: 40 });
/** A night whose partition is missing: the freshness guard sends one data_incomplete alert. */
const emptyNight = () => new FixedEngine({ [metricColumn('posts')]: 0, [DAY_EVENTS_COLUMN]: 0 });

function deps(store: MemoryResultStore, engine: QueryEngine, notifier = new RecordingNotifier()): PipelineDeps {
  let tick = 0;
  return {
    engine,
    store,
    notifier,
    log: () => undefined,
    warn: (line) => {
      throw new Error(`unexpected warning: ${line}`);
    },
    // Each reading one second later, so started/finished differ.
    now: () => new Date(Date.UTC(2024, 4, 2, 6, 0, tick++)),
  };
}

const latest = (store: MemoryResultStore) => JSON.parse(store.text(LATEST_KEY)!) as LatestPointer;
const runJson = (store: MemoryResultStore, dt: string) => JSON.parse(store.text(runKey(dt))!) as RunRecord;
const options = { sendAlerts: true, runId: 'test-run', lease: { runId: 'test-run', lease: 'lease/g0000000000.json' } };

describe('runNight', () => {
  describe('latest.json', () => {
    it('points at the night just run, and never moves back when an older night runs after it', async () => {
      const store = new MemoryResultStore();
      await runNight(config, '2024-05-02', deps(store, normalNight()), options);
      expect(latest(store)).toEqual({ dt: '2024-05-02', report: reportJsonKey('2024-05-02') });

      // A backfill of an older night writes that night's files but leaves latest.json on the newest.
      await runNight(config, '2024-04-20', deps(store, normalNight()), options);
      expect(store.text(metricsKey('2024-04-20'))).toBeDefined();
      expect(latest(store)).toEqual({ dt: '2024-05-02', report: reportJsonKey('2024-05-02') });

      // A re-run of the newest night, and a newer night, move it as usual.
      await runNight(config, '2024-05-02', deps(store, normalNight()), options);
      expect(latest(store).dt).toBe('2024-05-02');
      await runNight(config, '2024-05-03', deps(store, normalNight()), options);
      expect(latest(store)).toEqual({ dt: '2024-05-03', report: reportJsonKey('2024-05-03') });
    });
  });

  describe("D's partition", () => {
    it('no events and no partition: missing; no events in a partition that is there: empty; both data_incomplete', async () => {
      const store = new MemoryResultStore();
      const zero = { [metricColumn('posts')]: 0, [DAY_EVENTS_COLUMN]: 0 };
      const missing = await runNight(config, '2024-05-01', deps(store, new FixedEngine(zero, undefined, false)), options);
      const empty = await runNight(config, '2024-05-02', deps(store, new FixedEngine(zero, undefined, true)), options);
      // An engine that cannot list the lake leaves it missing, as before the distinction.
      const unknown = await runNight(config, '2024-05-03', deps(store, new FixedEngine(zero, undefined, null)), options);
      expect(runJson(store, '2024-05-01')).toMatchObject({ day_events: 0, partition_missing: true, partition_empty: false });
      expect(runJson(store, '2024-05-02')).toMatchObject({ day_events: 0, partition_missing: false, partition_empty: true });
      expect(runJson(store, '2024-05-03')).toMatchObject({ partition_missing: true, partition_empty: false });
      expect(missing.alertsSent.map((a) => a.subject)).toEqual(['[nsm] Data incomplete 2024-05-01: partition dt=2024-05-01 missing']);
      expect(empty.alertsSent.map((a) => a.subject)).toEqual(['[nsm] Data incomplete 2024-05-02: partition dt=2024-05-02 empty']);
      expect(unknown.report.metrics.map((m) => m.status)).toEqual(['data_incomplete']);
      expect(empty.report.metrics.map((m) => m.status)).toEqual(['data_incomplete']);
    });

    it('reports a partition it cannot list as missing, with a warning, and the night still succeeds', async () => {
      const engine = emptyNight();
      engine.hasLakePartition = async () => {
        throw new Error('lake s3://acme/events: cannot list s3://acme/events/dt=2024-05-02/: AccessDenied');
      };
      const warnings: string[] = [];
      const store = new MemoryResultStore();
      const outcome = await runNight(config, '2024-05-02', { ...deps(store, engine), warn: (l) => void warnings.push(l) }, options);
      const message =
        'cannot tell whether the partition is empty or missing (reported as missing): lake s3://acme/events: cannot list s3://acme/events/dt=2024-05-02/: AccessDenied';
      expect(runJson(store, '2024-05-02')).toMatchObject({
        status: 'succeeded',
        partition_missing: true,
        partition_empty: false,
        // In run.json as well as the log, like every warning a night handles without failing.
        warnings: [{ code: 'partition_unknown', message, dt: '2024-05-02', key: null }],
      });
      expect(outcome.alertsSent.map((a) => a.kind)).toEqual(['data_incomplete']);
      expect(warnings).toEqual([`2024-05-02  ${message}`]);
    });

    it('asks the lake only for a night without events', async () => {
      let asked = 0;
      const engine = normalNight();
      engine.hasLakePartition = async () => {
        asked++;
        return true;
      };
      await runNight(config, '2024-05-02', deps(new MemoryResultStore(), engine), options);
      expect(asked).toBe(0);
    });
  });

  describe('an unreadable latest.json', () => {
    it.each([
      ['damaged', '{dt: 2024-05-01}'],
      ['emptied', ''],
      ['not a pointer', '[1, 2]'],
    ])('%s: rebuilt to the newest complete night with a warning, never a failed night', async (_, text) => {
      const store = new MemoryResultStore();
      await runNight(config, '2024-05-03', deps(store, normalNight()), options);
      store.objects.set(LATEST_KEY, { body: text, contentType: 'application/json' });
      const warned: string[] = [];
      // A backfill of an older night: the newest complete night in the store is 2024-05-03.
      const outcome = await runNight(config, '2024-05-01', { ...deps(store, normalNight()), warn: (l) => warned.push(l) }, options);
      expect(outcome.run.status).toBe('succeeded');
      expect(latest(store)).toEqual({ dt: '2024-05-03', report: reportJsonKey('2024-05-03') });
      expect(runJson(store, '2024-05-01').warnings).toEqual([
        expect.objectContaining({ code: 'latest_rebuilt', key: LATEST_KEY, dt: '2024-05-03' }),
      ]);
      expect(warned).toEqual([expect.stringContaining('latest.json could not be read')]);
    });

    it('points at the night itself when no complete night is newer', async () => {
      const store = new MemoryResultStore({ [LATEST_KEY]: '{"dt": "2024-05-0' });
      const outcome = await runNight(config, '2024-05-02', { ...deps(store, normalNight()), warn: () => undefined }, options);
      expect(outcome.run.warnings.map((w) => w.code)).toEqual(['latest_rebuilt']);
      expect(latest(store).dt).toBe('2024-05-02');
    });
  });

  describe('a damaged history night', () => {
    it('is left out, and run.json, report.json and the HTML report say which night and why', async () => {
      const store = new MemoryResultStore();
      await runNight(config, '2024-04-25', deps(store, normalNight()), options);
      // Cut short mid-line, as a full disk or a killed copy leaves it.
      const text = store.text(metricsKey('2024-04-25'))!;
      store.objects.set(metricsKey('2024-04-25'), { body: text.slice(0, text.length - 5), contentType: 'application/x-ndjson' });
      const warned: string[] = [];
      const outcome = await runNight(config, '2024-05-02', { ...deps(store, normalNight()), warn: (l) => warned.push(l) }, options);
      expect(outcome.run.status).toBe('succeeded');
      const run = runJson(store, '2024-05-02');
      expect(run.history_unusable).toEqual(['2024-04-25']);
      expect(run.warnings).toEqual([
        expect.objectContaining({ code: 'history_unusable', dt: '2024-04-25', key: metricsKey('2024-04-25') }),
      ]);
      expect(JSON.parse(store.text(reportJsonKey('2024-05-02'))!).warnings).toEqual(run.warnings);
      expect(store.text(reportHtmlKey('2024-05-02'))).toContain('metrics/dt=2024-04-25/metrics.jsonl line 1 is not JSON');
      expect(warned).toHaveLength(1);
    });
  });

  describe('the order of writes', () => {
    it('writes every file of the night (alerts included) before latest.json, and latest.json once, last', async () => {
      const store = new MemoryResultStore();
      const outcome = await runNight(config, '2024-05-02', deps(store, emptyNight()), options);
      expect(outcome.alertsSent.map((a) => a.kind)).toEqual(['data_incomplete']);
      const puts = store.calls.filter((c) => c.startsWith('put ')).map((c) => c.slice('put '.length));
      const nightFiles = [
        metricsKey('2024-05-02'),
        alertsKey('2024-05-02'),
        reportJsonKey('2024-05-02'),
        reportHtmlKey('2024-05-02'),
        runKey('2024-05-02'),
      ];
      for (const key of nightFiles) expect(puts, key).toContain(key);
      expect(puts.filter((k) => k === LATEST_KEY)).toHaveLength(1);
      expect(puts.at(-1)).toBe(LATEST_KEY);
      // The index of nights goes with latest.json, after the night's own files.
      expect(puts.filter((k) => k === LATEST_HTML_KEY)).toHaveLength(1);
      expect(puts.at(-2)).toBe(LATEST_HTML_KEY);
      // run.json, the record that the night succeeded, is the last file of the night itself.
      expect(puts.at(-3)).toBe(runKey('2024-05-02'));
    });
  });

  describe('a failed night', () => {
    it('records run.json as failed (no counts) and rethrows the error, leaving latest.json where it was', async () => {
      const store = new MemoryResultStore();
      await runNight(config, '2024-05-01', deps(store, normalNight()), options);
      const error = new QueryError(METRICS_QUERY, 'HIVE_BAD_DATA: bad field', 'q-123');
      const engine = new FixedEngine({}, error);

      await expect(runNight(config, '2024-05-02', deps(store, engine), { ...options, runId: 'failing-run' })).rejects.toBe(error);
      const run = runJson(store, '2024-05-02');
      expect(run).toMatchObject({
        dt: '2024-05-02',
        run_id: 'failing-run',
        status: 'failed',
        engine: 'fixed',
        day_events: null,
        partition_missing: null,
        queries: [],
        alerts_sent: 0,
      });
      expect(run.error).toBe(error.message);
      expect(run.error).toContain('q-123');
      expect(Date.parse(run.finished_at)).toBeGreaterThan(Date.parse(run.started_at));
      expect(store.text(metricsKey('2024-05-02'))).toBeUndefined();
      expect(latest(store).dt).toBe('2024-05-01');
    });

    it('keeps the queries that ran when a later step fails (an alert not delivered)', async () => {
      const store = new MemoryResultStore();
      const refusing = new RecordingNotifier(() => new NotifyError('x', 'SNS said no'));
      await expect(runNight(config, '2024-05-02', deps(store, emptyNight(), refusing), options)).rejects.toThrow('SNS said no');
      const run = runJson(store, '2024-05-02');
      expect(run.status).toBe('failed');
      expect(run.queries.map((q) => q.name)).toEqual([METRICS_QUERY]);
      expect(run.error).toContain('SNS said no');
      expect(store.text(LATEST_KEY)).toBeUndefined();
    });

    it('says how to recover when a state file fails: run.json and the error both name the way out', async () => {
      const store = new MemoryResultStore();
      const cause = new QueryError(
        METRICS_QUERY,
        'IO Error: No files found that match the pattern "/results/state/daily/dt=2024-05-01/data.parquet"',
      );
      const failed = runNight(config, '2024-05-02', deps(store, new FixedEngine({}, cause)), options);
      await expect(failed).rejects.toThrow(
        /data\.parquet.*\(the incremental state is a cache: delete that day's folder under memory:\/\/results\/state\//,
      );
      await expect(failed).rejects.toMatchObject({ cause });
      expect(runJson(store, '2024-05-02').error).toContain('or all of state/, and run the night again');
    });

    it('rethrows the original error when even run.json cannot be written', async () => {
      const store = new MemoryResultStore();
      store.failWhen = (op, key) => op === 'put' && key.startsWith('runs/');
      const error = new QueryError(METRICS_QUERY, 'timed out');
      const failed = runNight(config, '2024-05-02', deps(store, new FixedEngine({}, error)), options);
      await expect(failed).rejects.toBe(error);
      await expect(failed).rejects.not.toBeInstanceOf(StoreError);
    });
  });
});
