/**
 * The lake checks (functions/core/pipeline/inspect-lake.ts) on the Athena path as `nsm run
 * --engine athena` opens it: the Athena engine against the fake Athena executing on Trino over the
 * Glue tables the stack creates, the lake on moto's S3.
 *
 * The stack builds the events table from the config's own columns, so the table always has every
 * configured column: a column the lake's files lack reads as NULL there, and only the night's
 * rows can tell. These tests put a lake whose user column is `uid` under a config that says
 * `user_id` — a Parquet lake and a JSON Lines one — and expect the same one-line
 * config error as on DuckDB; with the column right, an event name with a typo is a warning with
 * the closest name.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAwsClients } from '../../../functions/adapters/aws-clients';
import { parseConfig } from '../../../functions/core/config/parse';
import type { NsmConfig } from '../../../functions/core/config/types';
import { dayRange } from '../../../functions/core/dates';
import { ConfigError } from '../../../functions/core/errors';
import { inspectLake } from '../../../functions/core/pipeline/inspect-lake';
import { openPipeline } from '../../../functions/wiring/open-pipeline';
import { athenaSqlProblems } from '../../support/athena-sql-validator';
import {
  createBuckets,
  MOTO_CREDENTIALS,
  motoEndpoint,
  s3Client,
  suiteCatalog,
  uniqueSuffix,
  uploadFolder,
} from '../../support/engines/services';
import { trinoResponder } from '../../support/engines/trino-athena';
import { FakeAthenaServer } from '../../support/fake-athena-server';
import { tempDir, writeJsonLake, writeParquetLake } from '../../support/lake';

const DAYS = dayRange('2024-01-01', '2024-01-10');
const D = '2024-01-10';
const ATHENA = { database: 'product_events', table: 'events', workgroup: 'nsm', bytes_scanned_cutoff_gb: 10 };
const SOURCE = '<lake checks on Athena>';

/** A cloud config over `lake` (format, user column) with one event-name typo when `typo`. */
function cloudConfig(lake: string, results: string, format: 'json' | 'parquet', user: string, typo = false): NsmConfig {
  const doc = {
    version: 1,
    lake: {
      location: lake,
      format,
      first_day: DAYS[0],
      columns: { user, account: 'account_id', event: 'event_name' },
      athena: ATHENA,
    },
    results: { location: results },
    metrics: [
      { id: 'posts', type: 'count', events: [typo ? 'Message posted' : 'Message Posted'] },
      { id: 'users', type: 'distinct_users', window_days: 7 },
      { id: 'revenue', type: 'sum', property: 'amount', events: ['Purchase'] },
    ],
    north_star: 'users',
  };
  return parseConfig(JSON.stringify(doc), SOURCE);
}

for (const format of ['parquet', 'json'] as const) {
  describe(`lake checks on Athena (Trino), ${format} lake`, () => {
    const suffix = uniqueSuffix();
    const lakeBucket = `nsm-lc-lake-${suffix}`;
    const resultsBucket = `nsm-lc-results-${suffix}`;
    const lake = `s3://${lakeBucket}/events`;
    const results = `s3://${resultsBucket}/nsm`;

    /**
     * The checks of night D on the Athena path for `config`, with the statements they sent, over
     * the Glue tables the stack creates for that config (deployed with it).
     */
    async function check(config: NsmConfig) {
      const catalog = await suiteCatalog(`lake_checks_${format}`, config);
      const athena = await FakeAthenaServer.start();
      athena.fallback(trinoResponder(catalog.trino, { catalog: catalog.name }));
      const env = {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
        AWS_ENDPOINT_URL_S3: motoEndpoint(),
        AWS_ENDPOINT_URL_SNS: motoEndpoint(),
      };
      const clients = buildAwsClients(env);
      for (const c of [clients.athena, clients.s3, clients.sns]) c.config.credentials = async () => MOTO_CREDENTIALS;
      const pipeline = await openPipeline(config, {
        log: () => undefined,
        warn: () => undefined,
        now: () => new Date(),
        engine: 'athena',
        env,
        clients,
        athena: { pollInitialMs: 5, pollMaxMs: 50 },
      });
      try {
        const outcome = await inspectLake(config, D, pipeline.deps.engine).then(
          (r) => ({ warnings: r.warnings, error: null }),
          (e: unknown) => ({ warnings: [], error: e }),
        );
        return { ...outcome, sent: athena.executions.map((e) => e.sql) };
      } finally {
        await pipeline.close();
        for (const c of [clients.athena, clients.s3, clients.sns]) c.destroy();
        await athena.close();
      }
    }

    beforeAll(async () => {
      const dir = tempDir('nsm-lake-checks-athena-');
      let lakeDir: string;
      if (format === 'parquet') {
        lakeDir = await writeParquetLake(
          join(dir, 'lake'),
          Object.fromEntries(
            DAYS.map((dt, i) => [
              dt,
              `SELECT * FROM (VALUES ('u1', 'a1', 'Message Posted', NULL::DOUBLE), ('u2', 'a1', 'Purchase', ${10 + i}::DOUBLE), ('u3', 'a2', 'Réunion créée', NULL::DOUBLE)) t(uid, account_id, event_name, amount)`,
            ]),
          ),
        );
      } else {
        lakeDir = writeJsonLake(
          join(dir, 'lake'),
          DAYS.flatMap((dt, i) => [
            { dt, uid: 'u1', account_id: 'a1', event_name: 'Message Posted' },
            { dt, uid: 'u2', account_id: 'a1', event_name: 'Purchase', amount: 10 + i },
            { dt, uid: 'u3', account_id: 'a2', event_name: 'Réunion créée' },
          ]),
        );
      }
      const s3 = s3Client();
      await createBuckets(s3, [lakeBucket, resultsBucket]);
      await uploadFolder(s3, lakeDir, lakeBucket, 'events');
      s3.destroy();
    });

    it('a configured column the files lack is a config error naming the field, from valid Athena SQL', async () => {
      const { error, sent } = await check(cloudConfig(lake, results, format, 'user_id'));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`${SOURCE}: lake.columns.user: no event of dt=${D} has 'user_id' (3 events read)`);
      expect(sent.length).toBeGreaterThan(0);
      for (const sql of sent) expect(athenaSqlProblems(sql)).toEqual([]);
    });

    it('with the column right: no error, and an event-name typo is an event_not_seen warning with the closest name', async () => {
      const clean = await check(cloudConfig(lake, results, format, 'uid'));
      expect(clean.error).toBeNull();
      expect(clean.warnings).toEqual([]);
      const typo = await check(cloudConfig(lake, results, format, 'uid', true));
      expect(typo.error).toBeNull();
      expect(typo.warnings).toEqual([
        {
          code: 'event_not_seen',
          message: "metrics[0].events[0]: 'Message posted' not seen in the last 28 days; did you mean 'Message Posted'?",
          dt: D,
          key: null,
        },
      ]);
    });
  });
}
