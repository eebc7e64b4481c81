/**
 * Issue 16, leftover of finding 8, on the local engine: lake files that begin with a UTF-8 byte
 * order mark read as if the mark were not there, as Athena reads them (its line reader skips a
 * BOM at the start of a file; engines/lake-bom.test.ts runs the same lake on Trino). DuckDB's own
 * JSON reader skipped it only when it scanned several files at once: a file scanned alone lost
 * its first event (counted as malformed), and failed the night before `ignore_errors`. Expected
 * values are the events written (test/support/bom-lake.ts). The day-by-day reads fail without the
 * BOM-less copies (lake-bom.ts); the nights happen to read these days several files at a time and
 * agree either way, so they check the night's own counts only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb-engine';
import type { NightOutcome } from '../../functions/core/pipeline/run-night';
import { runNights } from '../../functions/core/pipeline/run-nights';
import { lakeColumnsUsed } from '../../functions/core/sql/lake-columns';
import { loadConfig } from '../../functions/wiring/load-config';
import { BOM_CONFIG, BOM_NIGHT, BOM_ONLY_NIGHT, bomExpected, writeBomLake } from '../support/bom-lake';
import { tempDir } from '../support/lake';
import { MemoryResultStore } from '../support/memory-store';

let written: ReturnType<typeof writeBomLake>;
let engine: DuckDbEngine;
let nights: NightOutcome[];

beforeAll(async () => {
  const dir = tempDir('nsm-bom-local-');
  written = writeBomLake(join(dir, 'lake'));
  writeFileSync(join(dir, 'nsm.config.yaml'), BOM_CONFIG);
  const config = await loadConfig(join(dir, 'nsm.config.yaml'), {});
  engine = await DuckDbEngine.open(config.lake, lakeColumnsUsed(config));
  const deps = {
    engine,
    store: new MemoryResultStore(),
    notifier: { publish: async () => undefined },
    log: () => undefined,
    warn: () => undefined,
    now: () => new Date(),
  };
  // A first night (state built from the lake, one rollup per day), then the next one over the state.
  nights = await runNights(config, [BOM_NIGHT, BOM_ONLY_NIGHT], deps);
});

afterAll(async () => {
  await engine?.close();
});

const values = (o: NightOutcome) => Object.fromEntries(o.report.metrics.map((m) => [m.metric_id, m.value]));

describe('lake files that begin with a UTF-8 BOM, on DuckDB', () => {
  it('read as their events only, day by day as a rollup reads them (one partition, its files alone)', async () => {
    for (const day of [...Object.keys(written.events), BOM_ONLY_NIGHT].sort()) {
      const { rows } = await engine.run({
        name: `day ${day}`,
        sql: `SELECT count(*) AS lake_rows, count(event_name) AS events FROM events WHERE dt = '${day}'`,
        lakeDays: { from: day, to: day },
      });
      const n = written.events[day] ?? 0;
      expect(
        rows.map((r) => [Number(r.lake_rows), Number(r.events)]),
        day,
      ).toEqual([[n, n]]);
    }
  });

  it('count every event as written and none as malformed, whether the file is alone in its partition or not', () => {
    // Not vacuous: the counts are what was written.
    expect(bomExpected(written)).toEqual({ events: 5, events_4d: 17, users_4d: 17 });
    expect(values(nights[0]!)).toEqual(bomExpected(written));
    expect(nights[0]!.run.malformed_rows).toBe(0);
    expect(nights[0]!.run.warnings).toEqual([]);
  });

  it('make a partition whose only file is a BOM an empty partition, not a failed night nor a malformed row', () => {
    const run = nights[1]!.run;
    expect(run.status).toBe('succeeded');
    expect([run.day_events, run.partition_empty, run.partition_missing, run.malformed_rows]).toEqual([0, true, false, 0]);
  });
});
