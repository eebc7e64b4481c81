/**
 * `npm run faults -- [--rounds N] [--kills K] [--seed S]`: a larger fault campaign than CI runs
 * (test/integration/fault-injection.test.ts), with the same harness. Each round builds a fresh
 * project and, against one reference project run without faults:
 *
 * - a backfill and then a night, each killed K times at random moments (SIGKILL), then finished;
 * - two overlapping ranges started together on one results folder.
 *
 * A round survives when its results are identical to the reference's, no alert is lost, none is
 * delivered twice, and no temporary file is left. The campaign prints faults injected and
 * survived, and how many kills fell between an alert's delivery and its marker — on SNS, which
 * keeps no delivery record a run could ask, each of those would be one duplicate (docs/operations.md).
 */
import { parseArgs } from 'node:util';
import { addDays } from '../functions/core/dates';
import {
  BACKFILL_FROM,
  compareAlerts,
  digestDifferences,
  expectOk,
  LAST_NIGHT,
  makeProject,
  NEXT_TO_LAST,
  outboxCounts,
  resultsDigest,
  runNsm,
  runWithKills,
  temporaryFiles,
} from '../test/support/fault-harness';
import { seededRandom } from '../test/support/random';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, kills: { type: 'string', default: '4' }, seed: { type: 'string', default: '1' } },
});
const rounds = Number(values.rounds);
const kills = Number(values.kills);
const seed = Number(values.seed);
const rnd = seededRandom(seed);
const backfill = (config: string) => ['run', '--config', config, '--from', BACKFILL_FROM, '--to', NEXT_TO_LAST];
const night = (config: string) => ['run', '--config', config, '--date', LAST_NIGHT];

const ref = makeProject('nsm-campaign-reference-');
const refBackfill = await runNsm(backfill(ref.config));
expectOk(refBackfill, 'reference backfill');
const refNight = await runNsm(night(ref.config));
expectOk(refNight, 'reference night');
const reference = resultsDigest(ref.results);
const referenceAlerts = outboxCounts(ref.results);
console.log(`reference: backfill ${refBackfill.ms} ms, night ${refNight.ms} ms, ${referenceAlerts.size} alerts`);

const totals = { kills: 0, killsSurvived: 0, concurrent: 0, concurrentSurvived: 0, cutBetweenSendAndMarker: 0, duplicates: 0, lost: 0 };

function survived(results: string): { ok: boolean; why: string } {
  const diff = digestDifferences(resultsDigest(results), reference);
  const alerts = compareAlerts(referenceAlerts, outboxCounts(results));
  const temporary = temporaryFiles(results);
  totals.duplicates += alerts.duplicates;
  totals.lost += alerts.lost.length;
  const ok =
    diff.length === 0 && alerts.lost.length === 0 && alerts.duplicates === 0 && alerts.unexpected.length === 0 && temporary.length === 0;
  return { ok, why: JSON.stringify({ diff, ...alerts, temporary }) };
}

for (let round = 1; round <= rounds; round++) {
  const p = makeProject('nsm-campaign-');
  const a = await runWithKills(backfill(p.config), kills, refBackfill.ms, rnd, p.results);
  const b = await runWithKills(night(p.config), kills, refNight.ms, rnd, p.results);
  const injected = a.injected + b.injected;
  const verdict = survived(p.results);
  totals.kills += injected;
  if (verdict.ok) totals.killsSurvived += injected;
  totals.cutBetweenSendAndMarker += a.cutBetweenSendAndMarker + b.cutBetweenSendAndMarker;

  const q = makeProject('nsm-campaign-concurrent-');
  const [wide, narrow] = await Promise.all([
    runNsm(backfill(q.config)),
    runNsm(['run', '--config', q.config, '--from', addDays(NEXT_TO_LAST, -3), '--to', NEXT_TO_LAST]),
  ]);
  expectOk(wide, 'wide range');
  expectOk(narrow, 'narrow range');
  expectOk(await runNsm(night(q.config)), 'night after the ranges');
  const concurrent = survived(q.results);
  totals.concurrent++;
  if (concurrent.ok) totals.concurrentSurvived++;
  console.log(
    `round ${round}: ${injected} kills ${verdict.ok ? 'survived' : `NOT survived ${verdict.why}`}; concurrent ranges ${concurrent.ok ? 'survived' : `NOT survived ${concurrent.why}`}`,
  );
}

console.log(
  `\nseed ${seed}: ${totals.kills + totals.concurrent} faults injected, ${totals.killsSurvived + totals.concurrentSurvived} survived` +
    ` (${totals.kills} SIGKILLs: ${totals.killsSurvived} survived; ${totals.concurrent} concurrent range pairs: ${totals.concurrentSurvived} survived);` +
    ` alerts lost ${totals.lost}, delivered twice ${totals.duplicates};` +
    ` kills between an alert's delivery and its marker (a duplicate on SNS): ${totals.cutBetweenSendAndMarker}`,
);
process.exitCode = totals.killsSurvived === totals.kills && totals.concurrentSurvived === totals.concurrent ? 0 : 1;
