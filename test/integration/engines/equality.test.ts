/**
 * The same nights through both of nsm's paths must give the same results, row for row:
 *
 * - the Athena path as the composition root opens it for `nsm run --engine athena`
 *   (functions/wiring/open-pipeline.ts): the Athena engine against the fake Athena executing on
 *   Trino over the Glue tables the stack creates, results in S3 and alerts through SNS, on moto;
 * - the DuckDB path as it opens it for `nsm run`: the embedded engine over the lake folder,
 *   results in a folder.
 *
 * Each case of equality-cases.ts is a generated lake and a config, run as a backfill of at least
 * 35 nights; every document of every night is compared (compare-results.ts: doubles within 1e-9
 * relative, everything else exactly). A difference is a bug in our SQL (or in the fake): the two
 * engines implement the same SQL semantics, so the SQL must be fixed until they agree.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAwsClients } from '../../../functions/adapters/aws-clients';
import { parseConfig } from '../../../functions/core/config/parse';
import { dayRange } from '../../../functions/core/dates';
import { runNights } from '../../../functions/core/pipeline/run-nights';
import { fromJsonLines } from '../../../functions/core/results/json-lines';
import { reportJsonKey, sweepKey } from '../../../functions/core/results/layout';
import type { SweepRow } from '../../../functions/core/results/rows';
import type { ResultStore } from '../../../functions/core/results/store';
import { openPipeline } from '../../../functions/wiring/open-pipeline';
import { RESULTS_TABLES } from '../../../infra/pipeline-settings';
import { diffNight } from '../../support/engines/compare-results';
import {
  createBuckets,
  createTopic,
  MOTO_CREDENTIALS,
  motoEndpoint,
  type SuiteCatalog,
  s3Client,
  suiteCatalog,
  type TestTopic,
  uniqueSuffix,
  uploadFolder,
} from '../../support/engines/services';
import { writeSyntheticLake } from '../../support/engines/synthetic-lake';
import { trinoResponder } from '../../support/engines/trino-athena';
import { JsonNumber, type TrinoValue } from '../../support/engines/trino-client';
import { FakeAthenaServer } from '../../support/fake-athena-server';
import { tempDir } from '../../support/lake';
import { EQUALITY_CASES } from './equality-cases';

/**
 * The backfill of both paths runs in beforeAll: about 240 Trino statements (with the sweep), 0.2 s
 * each on an idle machine but 5–6 s at load 30 (measured: the first 22 nights' 144 statements took
 * 810–911 s), beyond the engines project's 20 minutes.
 */
const BACKFILL_TIMEOUT_MS = 2_700_000;

const ATHENA = { database: 'product_events', table: 'events', workgroup: 'nsm', bytes_scanned_cutoff_gb: 10 };

for (const [index, testCase] of EQUALITY_CASES.entries()) {
  describe(`engine equality: ${testCase.name}`, () => {
    const suffix = uniqueSuffix();
    const lakeBucket = `nsm-eq-lake-${suffix}`;
    const resultsBucket = `nsm-eq-results-${suffix}`;
    const nights = testCase.runs.flatMap(([from, to]) => dayRange(from, to));
    let dir: string;
    let athena: FakeAthenaServer;
    let topic: TestTopic;
    let catalog: SuiteCatalog;
    const stores: { athena?: ResultStore; duckdb?: ResultStore } = {};
    const closers: (() => Promise<void> | void)[] = [];

    /** The case's config for one path (locations filled in), through the real config parser. */
    const configFor = (lake: string, results: string, cloud?: { athena: typeof ATHENA; topic: string }) => {
      const raw = testCase.config as { lake: Record<string, unknown>; alerts?: Record<string, unknown> };
      const doc = {
        ...raw,
        lake: { ...raw.lake, location: lake, first_day: testCase.lake.firstDay, ...(cloud ? { athena: cloud.athena } : {}) },
        results: { location: results },
        ...(cloud ? { alerts: { ...raw.alerts, sns_topic_arn: cloud.topic } } : {}),
      };
      return parseConfig(JSON.stringify(doc), `<equality case ${index + 1}>`);
    };

    beforeAll(async () => {
      dir = tempDir('nsm-equality-');
      const lakeDir = writeSyntheticLake(join(dir, 'lake'), testCase.lake);
      mkdirSync(join(dir, 'results'));
      const s3 = s3Client();
      await createBuckets(s3, [lakeBucket, resultsBucket]);
      await uploadFolder(s3, lakeDir, lakeBucket, 'events');
      s3.destroy();
      topic = await createTopic('us-east-1', `nsm-eq-${suffix}`);
      closers.push(() => topic.close());

      const cloud = configFor(`s3://${lakeBucket}/events`, `s3://${resultsBucket}/nsm`, { athena: ATHENA, topic: topic.arn });
      catalog = await suiteCatalog(`equality_${index}`, cloud);
      athena = await FakeAthenaServer.start();
      athena.fallback(trinoResponder(catalog.trino, { catalog: catalog.name }));
      closers.push(() => athena.close());

      const env = {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
        AWS_ENDPOINT_URL_S3: motoEndpoint(),
        AWS_ENDPOINT_URL_SNS: motoEndpoint(),
      };
      const clients = buildAwsClients(env);
      for (const c of [clients.athena, clients.s3, clients.sns]) c.config.credentials = async () => MOTO_CREDENTIALS;
      closers.push(() => {
        for (const c of [clients.athena, clients.s3, clients.sns]) c.destroy();
      });
      const common = {
        log: () => undefined,
        warn: (line: string) => {
          throw new Error(`unexpected warning: ${line}`);
        },
        now: () => new Date(),
      };
      // As `nsm run --engine athena` opens it, polling fast (the fake answers in milliseconds).
      const viaAthena = await openPipeline(cloud, {
        ...common,
        engine: 'athena',
        env,
        clients,
        athena: { pollInitialMs: 5, pollMaxMs: 50 },
      });
      closers.push(() => viaAthena.close());
      stores.athena = viaAthena.deps.store;
      // As `nsm run` opens it: DuckDB over the folder, results in a folder, alerts to the console.
      const local = configFor(lakeDir, join(dir, 'results'));
      const viaDuckDb = await openPipeline(local, { ...common, engine: 'duckdb', env: {}, print: () => undefined });
      closers.push(() => viaDuckDb.close());
      stores.duckdb = viaDuckDb.deps.store;

      for (const [from, to] of testCase.runs) {
        const range = dayRange(from, to);
        const t0 = Date.now();
        await runNights(local, range, viaDuckDb.deps);
        const t1 = Date.now();
        const before = athena.executions.length;
        await runNights(cloud, range, viaAthena.deps);
        const statements = athena.executions.length - before;
        console.log(
          `${from}..${to}: ${range.length} nights, DuckDB ${t1 - t0} ms, Athena on Trino ${Date.now() - t1} ms (${statements} statements)`,
        );
      }
    }, BACKFILL_TIMEOUT_MS);

    afterAll(async () => {
      for (const close of closers.reverse()) await close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`runs at least 35 nights through both paths (${nights.length})`, () => {
      expect(nights.length).toBeGreaterThanOrEqual(35);
      // The Athena path really ran on Trino: rollups, metrics and candidates of every night.
      expect(athena.executions.filter((e) => e.sql.startsWith('UNLOAD')).length).toBeGreaterThan(nights.length);
      expect(athena.executions.every((e) => e.reported.at(-1) === 'SUCCEEDED')).toBe(true);
    });

    it('writes the same results for every night, row for row', async () => {
      const differences: string[] = [];
      for (const dt of nights) differences.push(...(await diffNight(stores.athena!, stores.duckdb!, dt)).map((d) => `${dt} ${d}`));
      expect(differences).toEqual([]);
    });

    it('found something to compare: metrics, candidate lifts and alerts of both kinds', async () => {
      const last = nights.at(-1)!;
      expect(await stores.athena!.get(`metrics/dt=${last}/metrics.jsonl`)).toContain('"metric_id":"posting_teams_weekly"');
      expect(await stores.athena!.get(`candidates/dt=${last}/candidates.jsonl`)).toContain('"candidate_id":"invited_d3"');
      // The sweep: every cell of every action, some with hits and some without (9 cells × 4 actions).
      const sweep = fromJsonLines<SweepRow>((await stores.athena!.get(sweepKey(last)))!);
      expect(sweep).toHaveLength(36);
      expect(sweep.some((r) => r.n_hit > 0 && r.q_value !== null)).toBe(true);
      const report = JSON.parse((await stores.athena!.get(reportJsonKey(last)))!) as { north_star_check?: { verdict: string } };
      expect(report.north_star_check?.verdict).toBe('insufficient_history');
      // Segments of both dimensions, with values beyond max_values as (other) and users without a country as (none).
      const segments = (await stores.athena!.get(`segments/dt=${last}/segments.jsonl`)) ?? '';
      for (const text of ['"dimension":"plan"', '"segment":"(other)"', '"segment":"(none)"']) expect(segments).toContain(text);
      const alerts = (await Promise.all(nights.map((dt) => stores.athena!.get(`alerts/dt=${dt}/alerts.jsonl`)))).join('');
      expect(alerts).toContain('"kind":"data_incomplete"');
      // A missing partition and an empty one are told apart (the Athena path lists S3 for it).
      const run = async (dt: string) => JSON.parse((await stores.athena!.get(`runs/dt=${dt}/run.json`))!) as Record<string, unknown>;
      for (const day of testCase.lake.missingDays ?? []) {
        expect(await run(day)).toMatchObject({ day_events: 0, partition_missing: true, partition_empty: false });
      }
      for (const day of testCase.lake.emptyDays ?? []) {
        expect(await run(day)).toMatchObject({ day_events: 0, partition_missing: false, partition_empty: true });
      }
      expect(alerts).toContain('"kind":"drop"');
      // A range that follows a data_incomplete night re-checks it first (late data): on Trino too.
      const rechecks = async (store: ResultStore) =>
        (
          await Promise.all(
            nights.map(async (dt) => {
              const text = await store.get(`runs/dt=${dt}/run.json`);
              return text === null ? [] : (JSON.parse(text) as { queries: { name: string }[] }).queries.map((q) => `${dt} ${q.name}`);
            }),
          )
        )
          .flat()
          .filter((q) => / recheck /.test(q));
      const recheckedOnTrino = await rechecks(stores.athena!);
      expect(recheckedOnTrino.length).toBeGreaterThan(0);
      expect(recheckedOnTrino).toEqual(await rechecks(stores.duckdb!));
      // Each alert written was published through SNS (moto delivered it to the queue).
      expect((await topic.delivered()).length).toBe(alerts.split('\n').filter((l) => l.trim()).length);
    });

    it("reads the night's sweep.jsonl through the stack's Glue table nsm_sweep on Trino", async () => {
      const last = nights.at(-1)!;
      const file = fromJsonLines<SweepRow>((await stores.athena!.get(sweepKey(last)))!);
      const table = await catalog.trino.query(
        `SELECT candidate_id, min_count, within_days, n_hit, q_value, best FROM "${catalog.name}"."${ATHENA.database}"."${RESULTS_TABLES.sweep}" WHERE dt = '${last}'`,
      );
      const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
      // The client keeps Trino's numbers as their JSON text (JsonNumber).
      const num = (v: TrinoValue | undefined) => (v instanceof JsonNumber ? Number(v.text) : v);
      expect(sorted(table.rows.map((r) => [r[0], num(r[1]), num(r[2]), num(r[3]), num(r[4]), r[5]]))).toEqual(
        sorted(file.map((r) => [r.candidate_id, r.min_count, r.within_days, r.n_hit, r.q_value, r.best])),
      );
    });

    /**
     * The other results tables CDK declares, read back as the sweep is above: one night's rows
     * through the Glue table on Trino (count and a typed read of some columns of each Hive type
     * the table has) against the JSON Lines file, so a column type or SerDe setting that does not
     * fit the written lines fails here rather than in Athena.
     */
    const READ_BACK: {
      table: keyof typeof RESULTS_TABLES;
      night: (text: (key: string) => Promise<string | null>) => Promise<string>;
      select: string[];
      fromFile: (r: Record<string, unknown>) => unknown[];
    }[] = [
      {
        table: 'metrics',
        night: async () => nights.at(-1)!,
        select: ['metric_id', 'value', 'is_north_star', 'baseline', 'status'],
        fromFile: (r) => [r.metric_id, r.value, r.is_north_star, r.baseline, r.status],
      },
      {
        table: 'segments',
        night: async () => nights.at(-1)!,
        select: ['metric_id', 'dimension', 'segment', 'value', 'share_pct', 'rank'],
        fromFile: (r) => [r.metric_id, r.dimension, r.segment, r.value, r.share_pct, r.rank],
      },
      {
        table: 'candidates',
        night: async () => nights.at(-1)!,
        select: ['candidate_id', 'within_days', 'cohort_start', 'n_hit', 'lift', 'q_value', 'rank'],
        fromFile: (r) => [r.candidate_id, r.within_days, r.cohort_start, r.n_hit, r.lift, r.q_value, r.rank],
      },
      {
        table: 'alerts',
        // A night with a drop: its alert has drivers and segments (arrays of structs).
        night: async (text) => {
          for (const dt of nights) if ((await text(`alerts/dt=${dt}/alerts.jsonl`))?.includes('"kind":"drop"')) return dt;
          throw new Error('no night with a drop alert');
        },
        select: ['kind', 'metric_id', 'night_of_incident', 'value', 'change_pct', 'late', 'cardinality(drivers)', 'cardinality(segments)'],
        fromFile: (r) => [r.kind, r.metric_id, r.night_of_incident, r.value, r.change_pct, r.late, length(r.drivers), length(r.segments)],
      },
    ];
    const length = (v: unknown) => (Array.isArray(v) ? v.length : null);

    for (const { table, night, select, fromFile } of READ_BACK) {
      it(`reads a night's ${table}.jsonl through the stack's Glue table ${RESULTS_TABLES[table]} on Trino`, async () => {
        const store = stores.athena!;
        const dt = await night((key) => store.get(key));
        const file = fromJsonLines<Record<string, unknown>>((await store.get(`${table}/dt=${dt}/${table}.jsonl`))!);
        expect(file.length).toBeGreaterThan(0);
        const from = `"${catalog.name}"."${ATHENA.database}"."${RESULTS_TABLES[table]}" WHERE dt = '${dt}'`;
        const count = await catalog.trino.query(`SELECT count(*) FROM ${from}`);
        const num = (v: TrinoValue | undefined) => (v instanceof JsonNumber ? Number(v.text) : v);
        expect(num(count.rows[0]?.[0])).toBe(file.length);
        const rows = await catalog.trino.query(`SELECT ${select.join(', ')} FROM ${from}`);
        const sorted = (rs: unknown[][]) => rs.map((r) => JSON.stringify(r)).sort();
        // The client keeps Trino's numbers as their JSON text (JsonNumber); a field a line leaves out reads as NULL.
        expect(sorted(rows.rows.map((r) => r.map(num)))).toEqual(sorted(file.map((r) => fromFile(r).map((v) => v ?? null))));
      });
    }
  });
}
