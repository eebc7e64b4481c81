import { describe, expect, it } from 'vitest';
import { floorSql, neededColumns } from '../../../bench/floor-sql';
import type { NsmConfig } from '../../../functions/core/config/types';

const lake = {
  location: '/lake',
  format: 'json' as const,
  partition: 'dt',
  columns: { user: 'user_id', account: 'account_id', event: 'event_name', time: 'event_time' },
  first_day: undefined,
  max_days_per_query: 31,
  athena: undefined,
};
const metrics = [
  { id: 'm', name: 'm', type: 'sum' as const, events: ['call_ended'], window_days: 1, property: 'duration_ms', scale: 1 },
  { id: 'n', name: 'n', type: 'count' as const, events: undefined, window_days: 7 },
] satisfies NsmConfig['metrics'];

describe('neededColumns', () => {
  it('is user, account, event and summed properties, not the time column', () => {
    expect(neededColumns({ lake, metrics })).toEqual({ text: ['user_id', 'account_id', 'event_name'], numeric: ['duration_ms'] });
  });
  it('leaves out an absent account column', () => {
    expect(neededColumns({ lake: { ...lake, columns: { ...lake.columns, account: undefined } }, metrics: [] })).toEqual({
      text: ['user_id', 'event_name'],
      numeric: [],
    });
  });
});

describe('floorSql', () => {
  const columns = { text: ['user_id', 'event_name'], numeric: ['duration_ms'] };

  it('reads JSON with every needed column as VARCHAR and aggregates each of them', () => {
    expect(floorSql('json', ['/l/dt=2024-01-01/a.jsonl.gz', "/l/dt=2024-01-02/o'b.jsonl"], columns, 'dt')).toBe(
      'SELECT\n  count(*) AS n_rows,\n  count(DISTINCT "dt") AS n_days,\n  count(DISTINCT "user_id") AS n_text_0,\n' +
        '  count(DISTINCT "event_name") AS n_text_1,\n  sum(TRY_CAST("duration_ms" AS DOUBLE)) AS sum_0\n' +
        "FROM read_json(['/l/dt=2024-01-01/a.jsonl.gz', '/l/dt=2024-01-02/o''b.jsonl'], format = 'newline_delimited', " +
        "hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, columns = {'user_id': 'VARCHAR', 'event_name': 'VARCHAR', 'duration_ms': 'VARCHAR'})",
    );
  });

  it('reads Parquet with its own types', () => {
    expect(floorSql('parquet', ['/l/dt=2024-01-01/data_0.parquet'], columns, 'dt')).toContain(
      "FROM read_parquet(['/l/dt=2024-01-01/data_0.parquet'], hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})",
    );
  });

  it('refuses an empty file list', () => {
    expect(() => floorSql('json', [], columns, 'dt')).toThrow('no files');
  });
});
