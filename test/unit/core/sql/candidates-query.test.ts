import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { parseCandidateCounts } from '../../../../functions/core/candidates/parse-counts';
import { candidateScanRanges } from '../../../../functions/core/candidates/scan-ranges';
import type { CandidatesConfig } from '../../../../functions/core/config/types';
import type { Row } from '../../../../functions/core/engine';
import { QueryError } from '../../../../functions/core/errors';
import { buildCandidatesQuery } from '../../../../functions/core/sql/candidates-query';
import { athenaDialect, duckdbDialect } from '../../../../functions/core/sql/dialects';
import { lakeConfig } from '../../../support/config';

const HOSTILE = "x'); DROP TABLE events; --";
const D = '2026-06-30';

const CANDIDATES: CandidatesConfig = {
  cohort: { entry_event: 'signed_up', cohort_days: 28 },
  retention: { day: 90, window_days: 7 },
  min_lift: 2,
  max_p: 0.01,
  actions: [
    { id: 'payment_completed_d7', event: 'payment_completed', within_days: 7 },
    { id: 'hostile_d3', event: HOSTILE, within_days: 3 },
  ],
};
// D = 2026-06-30, R = 90, C = 28, W = 7 (by hand): cohort 2026-03-05 … 2026-04-01,
// hit days 2026-03-05 … 2026-04-07 (cohort end + 7 − 1), outcome days 2026-05-28 … 2026-06-30.
const ATHENA = athenaDialect('product_events', 'events');
const lake = lakeConfig('s3://lake/events');

describe('buildCandidatesQuery', () => {
  const athena = buildCandidatesQuery(ATHENA, lake, CANDIDATES, D);
  const duck = buildCandidatesQuery(duckdbDialect(), lake, CANDIDATES, D);

  it('is named candidates', () => {
    expect(athena.name).toBe('candidates');
  });

  it('renders valid Trino SQL for Athena (and the DuckDB text parses too)', () => {
    expect(new TrinoSQL().validate(athena.sql)).toEqual([]);
    expect(new TrinoSQL().validate(duck.sql)).toEqual([]);
  });

  it('keeps a hostile event name a single literal', () => {
    const literal = "'x''); DROP TABLE events; --'";
    expect(athena.sql).toContain(`"event_name" = ${literal} THEN 1`);
    expect(athena.sql).toContain(`IN ('payment_completed', ${literal})`);
    // No raw, unescaped occurrence: every "x'" is followed by the doubled quote.
    expect(athena.sql.split("x'").length - 1).toBe(athena.sql.split("x''").length - 1);
    expect(new TrinoSQL().validate(athena.sql)).toEqual([]);
  });

  it('quotes hostile entry events and candidate ids too', () => {
    const q = buildCandidatesQuery(
      ATHENA,
      lake,
      { ...CANDIDATES, cohort: { entry_event: HOSTILE, cohort_days: 28 }, actions: [{ id: HOSTILE, event: 'e', within_days: 1 }] },
      D,
    );
    expect(q.sql).toContain(`"event_name" = 'x''); DROP TABLE events; --' AND`);
    expect(q.sql).toContain(`(0, 'x''); DROP TABLE events; --')`);
    expect(new TrinoSQL().validate(q.sql)).toEqual([]);
  });

  it('filters the raw partition column with string literals for each range it needs', () => {
    expect(athena.sql).toContain(
      `AND ("dt" <= '2026-04-01' OR "dt" BETWEEN '2026-03-05' AND '2026-04-07' OR "dt" BETWEEN '2026-05-28' AND '2026-06-30')`,
    );
    expect(athena.sql).toContain(`("event_name" = 'signed_up' AND "dt" <= '2026-04-01')`);
    expect(athena.sql).toContain(`AND "dt" BETWEEN '2026-03-05' AND '2026-04-07')`);
    // Nothing after D is ever named.
    const days = [...athena.sql.matchAll(/'(\d{4}-\d{2}-\d{2})'/g)].map((m) => m[1]!);
    expect(days.every((d) => d <= D)).toBe(true);
  });

  it('says which lake partitions it reads: all history up to the outcome window, which ends on D', () => {
    expect(athena.lakeDays).toEqual({ to: D });
  });

  it('reads the events table once (Athena inlines CTEs: two references would be two scans)', () => {
    expect(athena.sql.split('"product_events"."events"').length - 1).toBe(1);
    expect(duck.sql.match(/\bFROM events\b/g)).toHaveLength(1);
    for (const cte of ['scanned', 'facts', 'users', 'totals']) {
      expect(athena.sql.match(new RegExp(`(FROM|JOIN) ${cte}\\b`, 'g')), cte).toHaveLength(1);
    }
  });

  it('does day arithmetic on DATE values with each dialect', () => {
    expect(athena.sql).toContain(`CAST("dt" AS DATE) AS nsm_day`);
    expect(athena.sql).toContain(`date_add('day', 84, nsm_entry_day) AND date_add('day', 90, nsm_entry_day)`);
    expect(athena.sql).toContain(`nsm_day BETWEEN nsm_entry_day AND date_add('day', 6, nsm_entry_day)`);
    expect(duck.sql).toContain(`(nsm_entry_day + CAST(84 AS INTEGER)) AND (nsm_entry_day + CAST(90 AS INTEGER))`);
    expect(athena.sql).toContain(`nsm_entry_day BETWEEN DATE '2026-03-05' AND DATE '2026-04-01'`);
  });

  it('returns one row per action from a VALUES list, in config order', () => {
    expect(athena.sql).toContain(`FROM (VALUES (0, 'payment_completed_d7'), (1, 'hostile_d3')) AS a (nsm_idx, candidate_id)`);
    expect(athena.sql).toMatch(/ORDER BY a\.nsm_idx$/);
    for (const column of ['cohort_size', 'n_hit', 'n_miss', 'retained_hit', 'retained_miss']) {
      expect(athena.sql).toContain(` AS ${column}`);
    }
  });

  it('uses the configured partition and column names, quoted', () => {
    const custom = lakeConfig('s3://x', { partition: 'day', columns: { user: 'uid', account: undefined, event: 'name', time: undefined } });
    const q = buildCandidatesQuery(ATHENA, custom, CANDIDATES, D);
    expect(q.sql).toContain(`"uid" IS NOT NULL`);
    expect(q.sql).toContain(`GROUP BY "uid", "day"`);
    expect(q.sql).toContain(`"name" = 'signed_up'`);
    expect(q.sql).not.toContain('"dt"');
  });

  it('rejects a column that is not an identifier and an empty action list', () => {
    const bad = lakeConfig('s3://x', { partition: 'dt"; --' });
    expect(() => buildCandidatesQuery(ATHENA, bad, CANDIDATES, D)).toThrow(/identifier/);
    expect(() => buildCandidatesQuery(ATHENA, lake, { ...CANDIDATES, actions: [] }, D)).toThrow(/no actions/);
  });
});

describe('candidateScanRanges', () => {
  it('covers entry history up to the cohort end, hits and outcomes', () => {
    expect(candidateScanRanges(CANDIDATES, D)).toEqual({
      cohort: { start: '2026-03-05', end: '2026-04-01' },
      entryUntil: '2026-04-01',
      hits: { start: '2026-03-05', end: '2026-04-07' },
      outcome: { start: '2026-05-28', end: '2026-06-30' },
    });
  });

  it('never reaches past D, even for a hit window longer than R + 1 days', () => {
    const long = { ...CANDIDATES, retention: { day: 10, window_days: 3 }, actions: [{ id: 'a', event: 'a', within_days: 30 }] };
    expect(candidateScanRanges(long, D).hits).toEqual({ start: '2026-05-24', end: D });
  });
});

describe('parseCandidateCounts', () => {
  const row = (candidate_id: string, cells: Partial<Row> = {}): Row => ({
    candidate_id,
    cohort_size: 10,
    n_hit: 4,
    n_miss: 6,
    retained_hit: 3,
    retained_miss: 1,
    ...cells,
  });

  it('returns counts in config order, accepting BIGINT text', () => {
    const counts = parseCandidateCounts([row('hostile_d3', { n_hit: '4' }), row('payment_completed_d7')], CANDIDATES);
    expect(counts.map((c) => c.candidate_id)).toEqual(['payment_completed_d7', 'hostile_d3']);
    expect(counts[1]).toEqual({ candidate_id: 'hostile_d3', cohort_size: 10, n_hit: 4, n_miss: 6, retained_hit: 3, retained_miss: 1 });
  });

  it.each([
    ['a missing action', [row('payment_completed_d7')], /no row for candidate "hostile_d3"/],
    ['a null count', [row('payment_completed_d7'), row('hostile_d3', { n_hit: null })], /n_hit is not a count/],
    ['a negative count', [row('payment_completed_d7'), row('hostile_d3', { retained_miss: -1 })], /retained_miss is not a count/],
    ['more retained than users', [row('payment_completed_d7'), row('hostile_d3', { retained_hit: 5 })], /retained_hit 5 > n_hit 4/],
    ['groups that do not add up', [row('payment_completed_d7'), row('hostile_d3', { cohort_size: 11 })], /n_hit \+ n_miss != cohort_size/],
  ])('rejects %s with a QueryError', (_, rows, message) => {
    expect(() => parseCandidateCounts(rows, CANDIDATES)).toThrow(QueryError);
    expect(() => parseCandidateCounts(rows, CANDIDATES)).toThrow(message);
  });
});
