/**
 * inspectLake's failure handling with a scripted engine: the look back for event names is advice,
 * so its failure is a warning and never fails the night; a backfill step (eventNames: false) does
 * not look at all; a deadline still stops it; the look back reads no more days than
 * lake.max_days_per_query allows.
 */
import { describe, expect, it } from 'vitest';
import type { Query, QueryEngine, QueryResult, Row } from '../../../../functions/core/engine';
import { inspectLake } from '../../../../functions/core/pipeline/inspect-lake';
import { duckdbDialect } from '../../../../functions/core/sql/dialects';
import { lakeConfig, testConfig } from '../../../support/config';

const D = '2024-05-10';
const config = testConfig({
  lake: lakeConfig('/lake', { max_days_per_query: 14 }),
  results: '/results',
  metrics: [{ id: 'posts', name: 'posts', type: 'count', events: ['posted', 'weekly_digest_opened'], window_days: 1 }],
  north_star: 'posts',
});

/** Answers the night's events query with `posted` only (every configured column present); fails a look back when told. */
class ScriptedEngine implements QueryEngine {
  readonly name = 'scripted';
  readonly dialect = duckdbDialect();
  readonly ran: Query[] = [];
  constructor(private readonly failLookBack: boolean) {}
  async run(query: Query): Promise<QueryResult> {
    this.ran.push(query);
    const range = query.lakeDays ?? { from: D, to: D };
    if (range.from !== range.to && this.failLookBack) throw new Error('TOO_MANY_REQUESTS: rate exceeded');
    const row: Row = {
      nsm_event: 'posted',
      nsm_n: 3,
      nsm_first: range.from ?? range.to,
      nsm_last: range.to,
      nsm_has_0: 3,
      nsm_has_1: 3,
      nsm_has_2: 3,
    };
    return { rows: [row], stats: { name: query.name, query_id: null, ms: 1, bytes_scanned: null, rows: 1 } };
  }
  async hasLakePartition(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

describe('inspectLake', () => {
  it('a failed look back for event names is a lake_check_failed warning, not a failed night', async () => {
    const engine = new ScriptedEngine(true);
    const { warnings } = await inspectLake(config, D, engine);
    expect(warnings).toEqual([
      {
        code: 'lake_check_failed',
        message: 'the look for configured event names over 14 days failed (TOO_MANY_REQUESTS: rate exceeded); the night ran without it',
        dt: D,
        key: null,
      },
    ]);
  });

  it('looks back no further than lake.max_days_per_query, and warns of a name unseen there', async () => {
    const engine = new ScriptedEngine(false);
    const { warnings } = await inspectLake(config, D, engine);
    expect(engine.ran.map((q) => q.lakeDays)).toEqual([
      { from: D, to: D },
      { from: '2024-04-27', to: D },
    ]);
    expect(warnings.map((w) => w.message)).toEqual(["metrics[0].events[1]: 'weekly_digest_opened' not seen in the last 14 days"]);
  });

  it('a backfill step (eventNames: false) checks the columns on the night only', async () => {
    const engine = new ScriptedEngine(true);
    expect(await inspectLake(config, D, engine, { eventNames: false })).toMatchObject({ warnings: [] });
    expect(engine.ran).toHaveLength(1);
  });

  it('past the deadline, the failure is the night’s (the deadline stops it)', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(inspectLake(config, D, new ScriptedEngine(true), { signal: controller.signal })).rejects.toThrow('TOO_MANY_REQUESTS');
  });
});
