/**
 * Fault injection over the tool as users run it: real `nsm run` processes on a small
 * generated lake (`test/support/fault-harness.ts`), against a reference project that ran the same
 * commands without faults. Each scenario must end with results identical to the reference (every
 * night's metrics, candidates and alerts files, latest.json), no alert lost, and no alert sent
 * twice (the local notifier's outbox lets a run reconcile a killed run's delivery, so the
 * documented duplicates here are zero; on SNS see docs/operations.md).
 *
 * - random SIGKILLs over a backfill, then over a night (each kill followed by a re-run);
 * - two overlapping ranges started at the same moment on one results folder;
 * - a history night cut short (a warning naming it; identical again once it is re-run);
 *
 * The figures (faults injected, survived) are printed; `npm run faults` runs a larger campaign.
 * The seed is NSM_FAULT_SEED (default 16), so a failure can be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../functions/core/dates';
import {
  BACKFILL_FROM,
  compareAlerts,
  cutHistoryFile,
  digestDifferences,
  expectOk,
  LAST_NIGHT,
  makeProject,
  NEXT_TO_LAST,
  outboxCounts,
  resultsDigest,
  runNsm,
  runRecord,
  runWithKills,
  temporaryFiles,
} from '../support/fault-harness';
import { seededRandom } from '../support/random';

const SEED = Number(process.env.NSM_FAULT_SEED ?? 16);
const rnd = seededRandom(SEED);
const backfill = (config: string) => ['run', '--config', config, '--from', BACKFILL_FROM, '--to', NEXT_TO_LAST];
const night = (config: string, dt = LAST_NIGHT) => ['run', '--config', config, '--date', dt];

/** What the reference run produced, and how long its commands took (the range for random kill times). */
let reference: { digest: Map<string, string>; alerts: Map<string, number>; backfillMs: number; nightMs: number };
const figures: { fault: string; injected: number; survived: number }[] = [];

/** Asserts the project's results equal the reference's, with no alert lost or doubled, and records the fault as survived. */
function expectSurvived(results: string, fault: string, injected: number) {
  expect(digestDifferences(resultsDigest(results), reference.digest), fault).toEqual([]);
  const alerts = compareAlerts(reference.alerts, outboxCounts(results));
  expect(alerts, fault).toEqual({ lost: [], duplicates: 0, unexpected: [] });
  expect(temporaryFiles(results), `${fault}: temporary files left behind`).toEqual([]);
  figures.push({ fault, injected, survived: injected });
}

beforeAll(async () => {
  const p = makeProject('nsm-faults-reference-');
  const b = await runNsm(backfill(p.config));
  expectOk(b, 'reference backfill');
  const n = await runNsm(night(p.config));
  expectOk(n, 'reference night');
  reference = { digest: resultsDigest(p.results), alerts: outboxCounts(p.results), backfillMs: b.ms, nightMs: n.ms };
  // The reference itself is worth checking: both planted drops alerted, once each, and the sharers'
  // one-night incident of the night before the last recovered on the last night (one recovered alert);
  // the last night is a Sunday, so the weekly digest (default: Monday mornings) goes out with it.
  expect([...reference.alerts.keys()].map((id) => id.replace(/-[0-9a-f]{16}$/, '')).sort()).toEqual([
    'digest',
    'drop',
    'drop',
    'drop',
    'recovered',
  ]);
}, 240_000);

afterAll(() => {
  const total = figures.reduce((s, f) => s + f.injected, 0);
  const lines = figures.map((f) => `  ${f.fault}: ${f.injected} injected, ${f.survived} survived`);
  console.log(`fault injection (seed ${SEED}): ${total} faults\n${lines.join('\n')}`);
});

describe('fault injection', () => {
  it('random kills over a backfill and over a night: identical results, no alert lost or doubled', async () => {
    const p = makeProject();
    const range = await runWithKills(backfill(p.config), 3, reference.backfillMs, rnd, p.results);
    const last = await runWithKills(night(p.config), 2, reference.nightMs, rnd, p.results);
    expect(range.injected + last.injected).toBeGreaterThan(0);
    expectSurvived(p.results, 'SIGKILL at a random moment', range.injected + last.injected);
  }, 600_000);

  it('two overlapping ranges started together on one results folder: one waits for the other', async () => {
    const p = makeProject();
    const [wide, narrow] = await Promise.all([
      runNsm(backfill(p.config)),
      runNsm(['run', '--config', p.config, '--from', addDays(NEXT_TO_LAST, -3), '--to', NEXT_TO_LAST]),
    ]);
    expectOk(wide, 'the wide range');
    expectOk(narrow, 'the narrow range');
    // One of them waited for the other's lease (and said so), instead of writing beside it.
    expect(`${wide.stdout}${narrow.stdout}`).toContain('waiting up to 600 s for the results lease');
    expectOk(await runNsm(night(p.config)), 'the last night');
    expectSurvived(p.results, 'two concurrent ranges', 1);
  }, 600_000);

  describe('damaged files', () => {
    let p: ReturnType<typeof makeProject>;
    beforeAll(async () => {
      p = makeProject();
      expectOk(await runNsm(backfill(p.config)), 'backfill');
      expectOk(await runNsm(night(p.config)), 'night');
    }, 240_000);

    it('a history night cut short: left out with a warning naming it; re-running it restores identical results', async () => {
      const damaged = addDays(LAST_NIGHT, -7);
      cutHistoryFile(p.results, damaged);
      expectOk(await runNsm(night(p.config)), 'the night over damaged history');
      const run = runRecord(p.results, LAST_NIGHT);
      expect(run.status).toBe('succeeded');
      expect(run.history_unusable).toEqual([damaged]);
      expect(run.warnings.map((w) => [w.code, w.dt])).toContainEqual(['history_unusable', damaged]);
      // The repair the warning names, then the night again.
      expectOk(await runNsm(night(p.config, damaged)), 'the repair');
      expectOk(await runNsm(night(p.config)), 'the night after the repair');
      expect(runRecord(p.results, LAST_NIGHT).history_unusable).toEqual([]);
      expectSurvived(p.results, 'a damaged history file', 1);
    }, 240_000);
  });
});
