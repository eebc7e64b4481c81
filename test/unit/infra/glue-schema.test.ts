import { describe, expect, it } from 'vitest';
import type { LakeConfig, MetricConfig } from '../../../functions/core/config/types';
import type { AlertRow, CandidateRow, MetricRow, SegmentRow, SweepRow } from '../../../functions/core/results/rows';
import { athenaDialect } from '../../../functions/core/sql/dialects';
import { buildEntriesSelect, lakeEntryRows } from '../../../functions/core/sql/entries-query';
import { buildRollupSelect } from '../../../functions/core/sql/rollup-query';
import {
  ALERTS_COLUMNS,
  CANDIDATES_COLUMNS,
  eventColumns,
  METRICS_COLUMNS,
  SEGMENTS_COLUMNS,
  STATE_ENTRIES_COLUMNS,
  SWEEP_COLUMNS,
  stateDailyColumns,
} from '../../../infra/glue-schema';

const lake = (patch: Partial<LakeConfig> = {}): LakeConfig => ({
  location: 's3://lake/events',
  format: 'json',
  partition: 'dt',
  columns: { user: 'userId', account: undefined, event: 'event_name', time: 'ts' },
  first_day: undefined,
  max_days_per_query: 31,
  athena: undefined,
  ...patch,
});

const sum = (id: string, property: string): MetricConfig => ({
  id,
  name: id,
  type: 'sum',
  events: undefined,
  window_days: 1,
  property,
  scale: 1,
});

describe('eventColumns', () => {
  it('lists user, account, event, time and sum properties, lower-cased, without absent columns', () => {
    expect(eventColumns(lake(), [sum('revenue', 'Amount')])).toEqual([
      { name: 'userid', type: 'string' },
      { name: 'event_name', type: 'string' },
      { name: 'ts', type: 'string' },
      { name: 'amount', type: 'string' },
    ]);
  });

  it('adds the segment dimensions as text (an override types a Parquet column)', () => {
    expect(eventColumns(lake(), [], {}, ['Platform', 'country'])).toEqual([
      { name: 'userid', type: 'string' },
      { name: 'event_name', type: 'string' },
      { name: 'ts', type: 'string' },
      { name: 'platform', type: 'string' },
      { name: 'country', type: 'string' },
    ]);
    expect(eventColumns(lake({ format: 'parquet' }), [], { country: 'int' }, ['country'])).toContainEqual({ name: 'country', type: 'int' });
  });

  it('types sum properties as double for Parquet, whose files carry their own types', () => {
    expect(eventColumns(lake({ format: 'parquet' }), [sum('revenue', 'amount')])).toContainEqual({
      name: 'amount',
      type: 'double',
    });
  });

  it('declares a column once when two metrics sum it, and lets overrides replace types by any case', () => {
    const cols = eventColumns(lake(), [sum('a', 'amount'), sum('b', 'AMOUNT')], { Amount: 'decimal(18,2)', TS: 'timestamp' });
    expect(cols.filter((c) => c.name === 'amount')).toEqual([{ name: 'amount', type: 'decimal(18,2)' }]);
    expect(cols).toContainEqual({ name: 'ts', type: 'timestamp' });
  });

  it('rejects a column that is also the partition key', () => {
    expect(() => eventColumns(lake({ partition: 'DT' }), [sum('a', 'dt')])).toThrow('lake column "dt" is also the partition key "DT"');
  });
});

describe('results table columns', () => {
  // Typed samples: TypeScript fails to compile if a row type gains or loses a field, and the
  // assertions fail if the Glue columns drift from the row types (minus `dt`, the partition key).
  const metric: Required<MetricRow> = {
    dt: '',
    metric_id: '',
    name: '',
    type: 'count',
    value: null,
    is_north_star: false,
    parent_id: null,
    baseline: null,
    change_pct: null,
    robust_z: null,
    status: 'ok',
    contribution: null,
    contribution_pct: null,
    identity_residual_pct: null,
    incident_id: null,
  };
  const candidate: Required<CandidateRow> = {
    dt: '',
    candidate_id: '',
    event: '',
    within_days: 0,
    cohort_start: '',
    cohort_end: '',
    n_hit: 0,
    n_miss: 0,
    retained_hit: 0,
    retained_miss: 0,
    rate_hit: null,
    rate_miss: null,
    share: null,
    lift: null,
    lift_ci_low: null,
    lift_ci_high: null,
    t_student: null,
    p_student: null,
    t_welch: null,
    df_welch: null,
    p_welch: null,
    q_value: null,
    phi: null,
    verdict: 'weak',
    rank: 0,
  };
  const alert: Required<AlertRow> = {
    dt: '',
    kind: 'drop',
    metric_id: null,
    incident_id: null,
    night_of_incident: null,
    period: null,
    value: null,
    baseline: null,
    change_pct: null,
    robust_z: null,
    drivers: [],
    segments: [],
    subject: '',
    message: '',
    sms: '',
    late: false,
  };
  const segment: Required<SegmentRow> = {
    dt: '',
    metric_id: '',
    dimension: '',
    segment: '',
    value: 0,
    baseline: null,
    change: null,
    change_pct: null,
    share_pct: null,
    baseline_share_pct: null,
    contribution_pct: null,
    score: null,
    rank: null,
  };
  const sweep: Required<SweepRow> = {
    dt: '',
    candidate_id: '',
    event: '',
    min_count: 0,
    within_days: 0,
    n_hit: 0,
    n_miss: 0,
    retained_hit: 0,
    retained_miss: 0,
    rate_hit: null,
    rate_miss: null,
    share: null,
    lift: null,
    lift_ci_low: null,
    lift_ci_high: null,
    phi: null,
    ppv: null,
    npv: null,
    sensitivity: null,
    specificity: null,
    t_welch: null,
    df_welch: null,
    p_welch: null,
    q_value: null,
    best: false,
  };
  const withoutDt = (row: object) => Object.keys(row).filter((k) => k !== 'dt');

  it.each([
    ['metrics', METRICS_COLUMNS, metric],
    ['segments', SEGMENTS_COLUMNS, segment],
    ['candidates', CANDIDATES_COLUMNS, candidate],
    ['sweep', SWEEP_COLUMNS, sweep],
    ['alerts', ALERTS_COLUMNS, alert],
  ] as const)('%s columns are the row fields in order', (_name, columns, row) => {
    expect(columns.map((c) => c.name)).toEqual(withoutDt(row));
  });

  it('uses whole-number types for counts and rank, double for statistics, boolean for the flag', () => {
    const type = (cols: typeof CANDIDATES_COLUMNS, name: string) => cols.find((c) => c.name === name)?.type;
    expect(['n_hit', 'n_miss', 'retained_hit', 'retained_miss'].map((n) => type(CANDIDATES_COLUMNS, n))).toEqual([
      'bigint',
      'bigint',
      'bigint',
      'bigint',
    ]);
    expect(type(CANDIDATES_COLUMNS, 'rank')).toBe('int');
    expect(type(CANDIDATES_COLUMNS, 'p_welch')).toBe('double');
    expect(type(METRICS_COLUMNS, 'is_north_star')).toBe('boolean');
    expect(type(SEGMENTS_COLUMNS, 'rank')).toBe('int');
    expect(type(SEGMENTS_COLUMNS, 'value')).toBe('double');
  });
});

describe('state table columns', () => {
  const dialect = athenaDialect('db', 'events');
  /** The output column names of a SELECT, as Athena stores them (aliases, lower case). */
  const aliases = (select: string) => [...select.matchAll(/\sAS\s+"?(\w+)"?(?=,|\n)/g)].map((m) => m[1]!.toLowerCase());

  it('nsm_state_daily has the columns the rollup query writes, sums sorted by property and lower-cased', () => {
    const metrics = [sum('b', 'Zeta'), sum('a', 'amount'), sum('c', 'amount')];
    const columns = stateDailyColumns(metrics);
    expect(columns).toEqual([
      { name: 'nsm_day', type: 'string' },
      { name: 'nsm_user', type: 'string' },
      { name: 'nsm_account', type: 'string' },
      { name: 'nsm_event', type: 'string' },
      { name: 'nsm_n', type: 'bigint' },
      // JavaScript's default sort, as the rollup's: upper case before lower case.
      { name: 'p__zeta', type: 'double' },
      { name: 'p__amount', type: 'double' },
    ]);
    for (const account of ['account_id', undefined]) {
      const select = buildRollupSelect(
        dialect,
        { lake: lake({ columns: { ...lake().columns, account } }), metrics, segments: undefined },
        '2024-05-01',
      );
      expect(aliases(select)).toEqual(columns.map((c) => c.name));
    }
  });

  it('nsm_state_daily ends with the segment dimensions as text, in config order, as the rollup query writes them', () => {
    const metrics = [sum('a', 'amount')];
    const dimensions = ['Platform', 'country'];
    const columns = stateDailyColumns(metrics, dimensions);
    expect(columns.slice(-3)).toEqual([
      { name: 'p__amount', type: 'double' },
      { name: 'd__platform', type: 'string' },
      { name: 'd__country', type: 'string' },
    ]);
    const select = buildRollupSelect(dialect, { lake: lake(), metrics, segments: { dimensions, max_values: 20 } }, '2024-05-01');
    expect(aliases(select)).toEqual(columns.map((c) => c.name));
  });

  it('rejects sum properties that differ only in case (one column for Glue and Athena)', () => {
    expect(() => stateDailyColumns([sum('a', 'amount'), sum('b', 'AMOUNT')])).toThrow(
      'sum properties "AMOUNT" and "amount" differ only in case; Glue and Athena would fold both into column p__amount',
    );
  });

  it('nsm_state_entries has the columns the entries query writes', () => {
    const select = buildEntriesSelect(null, lakeEntryRows(dialect, { lake: lake() }, 'signed_up', '2024-04-01', '2024-05-01'));
    // The outer SELECT's list: a plain column, then an aliased aggregate.
    const outer = /^SELECT (.*)$/m
      .exec(select)![1]!
      .split(', ')
      .map((c) => /(?:AS )?(\w+)$/.exec(c)![1]);
    expect(outer).toEqual(STATE_ENTRIES_COLUMNS.map((c) => c.name));
    expect(STATE_ENTRIES_COLUMNS.map((c) => c.type)).toEqual(['string', 'string']);
  });
});
