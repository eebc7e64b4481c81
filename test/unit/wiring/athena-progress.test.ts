import { describe, expect, it } from 'vitest';
import { athenaProgress } from '../../../functions/wiring/athena-progress';

describe('athenaProgress', () => {
  it.each([
    [
      { type: 'started', query: 'metrics', queryId: 'q-1', attempt: 0 } as const,
      'info',
      'athena query started',
      { query: 'metrics', query_id: 'q-1', attempt: 0 },
      'athena  metrics  started q-1',
    ],
    [
      { type: 'started', query: 'metrics', queryId: 'q-2', attempt: 1 } as const,
      'info',
      'athena query started',
      { query: 'metrics', query_id: 'q-2', attempt: 1 },
      'athena  metrics  started q-2 (attempt 2)',
    ],
    [
      { type: 'succeeded', query: 'candidates', queryId: 'q-3', ms: 812, bytesScanned: 52_428_800, rows: 6 } as const,
      'info',
      'athena query succeeded',
      { query: 'candidates', query_id: 'q-3', ms: 812, bytes_scanned: 52_428_800, rows: 6 },
      'athena  candidates  q-3  812 ms  52428800 bytes scanned',
    ],
    [
      { type: 'succeeded', query: 'entries', queryId: 'q-4', ms: 5, bytesScanned: null, rows: 0 } as const,
      'info',
      'athena query succeeded',
      { query: 'entries', query_id: 'q-4', ms: 5, bytes_scanned: null, rows: 0 },
      'athena  entries  q-4  5 ms  ? bytes scanned',
    ],
    [
      { type: 'retry', query: 'metrics', queryId: null, reason: 'ThrottlingException: slow down', delayMs: 250 } as const,
      'warn',
      'athena retry',
      { query: 'metrics', query_id: null, reason: 'ThrottlingException: slow down', delay_ms: 250 },
      'athena  metrics  retry in 250 ms: ThrottlingException: slow down',
    ],
    [
      { type: 'stopped', query: 'metrics', queryId: 'q-5', reason: 'timed out after 600000 ms' } as const,
      'warn',
      'athena query stopped',
      { query: 'metrics', query_id: 'q-5', reason: 'timed out after 600000 ms' },
      'athena  metrics  stopped q-5: timed out after 600000 ms',
    ],
  ])('%j', (event, level, message, fields, line) => {
    expect(athenaProgress(event)).toEqual({ level, message, fields, line });
  });
});
