/**
 * Issue 16, finding 5, through real `nsm run` processes (test/support/fault-harness.ts): a state
 * file copied over another day's (`state/daily/…` of D-3 over D-2, both reused by night D) once
 * changed three metrics with exit 0. Now the piece fails its manifest's check, is rebuilt from the
 * lake, and run.json says so; the night's results are those of an undamaged store.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../functions/core/dates';
import {
  BACKFILL_FROM,
  digestDifferences,
  expectOk,
  LAST_NIGHT,
  makeProject,
  NEXT_TO_LAST,
  resultsDigest,
  runNsm,
  runRecord,
  swapStateFile,
} from '../support/fault-harness';

describe('a swapped state file', () => {
  it("is rebuilt from the lake: the night's results are unchanged, and run.json says so", async () => {
    const p = makeProject('nsm-swapped-state-');
    expectOk(await runNsm(['run', '--config', p.config, '--from', BACKFILL_FROM, '--to', NEXT_TO_LAST]), 'backfill');
    expectOk(await runNsm(['run', '--config', p.config, '--date', LAST_NIGHT]), 'night');
    const before = resultsDigest(p.results);
    swapStateFile(p.results, 'daily', addDays(LAST_NIGHT, -3), addDays(LAST_NIGHT, -2));
    expectOk(await runNsm(['run', '--config', p.config, '--date', LAST_NIGHT]), 'the night over a swapped state file');
    expect(digestDifferences(resultsDigest(p.results), before)).toEqual([]);
    expect(runRecord(p.results, LAST_NIGHT).warnings.map((w) => [w.code, w.dt])).toContainEqual(['state_rebuilt', addDays(LAST_NIGHT, -2)]);
  }, 240_000);
});
