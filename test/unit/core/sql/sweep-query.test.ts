import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import type { CandidatesConfig } from '../../../../functions/core/config/types';
import { NsmError } from '../../../../functions/core/errors';
import { athenaDialect, duckdbDialect } from '../../../../functions/core/sql/dialects';
import { buildSweepQuery, buildSweepStateQuery } from '../../../../functions/core/sql/sweep-query';
import { athenaSqlProblems } from '../../../support/athena-sql-validator';
import { lakeConfig } from '../../../support/config';

const HOSTILE = "x'); DROP TABLE events; --";
const D = '2026-06-30';
const CANDIDATES: CandidatesConfig = {
  cohort: { entry_event: 'signed_up', cohort_days: 28 },
  retention: { day: 90, window_days: 7 },
  min_lift: 2,
  max_p: 0.01,
  actions: [
    { id: 'posted_d7', event: 'message_posted', within_days: 7 },
    { id: 'hostile', event: HOSTILE, within_days: 3 },
  ],
  sweep: { min_count: [1, 3], within_days: [7, 14] },
};
const lake = lakeConfig('s3://lake/events');
const ATHENA = athenaDialect('product_events', 'events');

describe('buildSweepQuery', () => {
  const parser = new TrinoSQL();

  it('is valid Athena SQL over the lake and over the state tables, and named sweep', () => {
    const q = buildSweepQuery(ATHENA, lake, CANDIDATES, D);
    expect(q.name).toBe('sweep');
    expect(q.lakeDays).toEqual({ to: D });
    expect(athenaSqlProblems(q.sql, parser)).toEqual([]);
    const state = buildSweepStateQuery(ATHENA, CANDIDATES, D, '"product_events"."nsm_state_daily"', '"product_events"."nsm_state_entries"');
    expect(state.name).toBe('sweep');
    expect(state.lakeDays).toBeUndefined();
    expect(athenaSqlProblems(state.sql, parser)).toEqual([]);
  });

  it('lists every cell once, in cell order, with hostile ids and events kept single literals', () => {
    const q = buildSweepQuery(duckdbDialect(), lake, CANDIDATES, D);
    const literal = "'x''); DROP TABLE events; --'";
    expect(q.sql).toContain(`"event_name" = ${literal} THEN 1`);
    expect(q.sql).toContain(`(0, 0, 'posted_d7', 1, 7), (1, 1, 'posted_d7', 1, 14), (2, 0, 'posted_d7', 3, 7), (3, 1, 'posted_d7', 3, 14)`);
    expect(q.sql).toContain(`(4, 2, 'hostile', 1, 7), (5, 3, 'hostile', 1, 14)`);
    expect(q.sql.split("x'").length - 1).toBe(q.sql.split("x''").length - 1);
  });

  it("reads hit days up to the sweep's longest window (cut at D), not just the actions' own", () => {
    // Cohort 2026-03-05 … 2026-04-01 (by hand); longest k = 14: hits until 2026-04-01 + 13 = 2026-04-14.
    expect(buildSweepQuery(ATHENA, lake, CANDIDATES, D).sql).toContain(`"dt" BETWEEN '2026-03-05' AND '2026-04-14'`);
  });

  it('refuses a config without a sweep (a planner bug)', () => {
    expect(() => buildSweepQuery(ATHENA, lake, { ...CANDIDATES, sweep: undefined }, D)).toThrow(NsmError);
  });
});
