/**
 * Turns the `candidates` query's counts into the rows of `candidates.jsonl` (docs/design.md §2, §3):
 * rates, share, lift with its Katz CI, Student and Welch t tests, phi, Benjamini–Hochberg q-values
 * over the night's actions (from Welch's p), verdict and rank. Pure: counts in, rows out.
 */
import type { CandidatesConfig } from '../config/types';
import { NsmError } from '../errors';
import type { CandidateRow } from '../results/rows';
import { benjaminiHochberg } from '../stats/benjamini-hochberg';
import { katzLiftCi } from '../stats/katz-lift-ci';
import { lift as liftOf } from '../stats/lift';
import { phiCoefficient } from '../stats/phi-coefficient';
import { proportion } from '../stats/proportion';
import { share as shareOf } from '../stats/share';
import { studentTTest } from '../stats/student-t-test';
import { checkTwoByTwo } from '../stats/two-by-two';
import { welchTTest } from '../stats/welch-t-test';
import type { DayRange } from './cohort';
import type { CandidateCounts } from './counts';
import { rankCandidates } from './rank';
import { candidateVerdict } from './verdict';

/**
 * One row per configured action, sorted by rank (1 = the best candidate).
 *
 * The BH family is this night's actions that have a Welch p-value; an action without one (a group
 * under 2 users, or no variance at all) gets `q_value: null` and does not enlarge the family.
 *
 * @param counts one entry per action of `config.actions` (any order; see `parseCandidateCounts`)
 * @param dt the night D
 * @param cohort the entry days of D's cohort (`cohortWindow(dt, config)`), copied into each row
 * @throws NsmError when an action has no counts or the counts are not a 2×2 table (a bug upstream)
 */
export function evaluateCandidates(counts: CandidateCounts[], config: CandidatesConfig, dt: string, cohort: DayRange): CandidateRow[] {
  const byId = new Map(counts.map((c) => [c.candidate_id, c]));
  const measured = config.actions.map((action) => {
    const c = byId.get(action.id);
    if (!c) throw new NsmError(`candidates: no counts for action ${JSON.stringify(action.id)}`);
    const table = checkTwoByTwo({ n_hit: c.n_hit, retained_hit: c.retained_hit, n_miss: c.n_miss, retained_miss: c.retained_miss });
    const student = studentTTest(table);
    const welch = welchTTest(table);
    const ci = katzLiftCi(table);
    return {
      action,
      table,
      lift: liftOf(table),
      ci,
      student,
      welch,
    };
  });

  const withP = measured.flatMap((m, i) => (m.welch.p === null ? [] : [{ i, p: m.welch.p }]));
  const qs = benjaminiHochberg(withP.map((x) => x.p));
  const qByIndex = new Map(withP.map((x, k) => [x.i, qs[k]!]));

  const rows = measured.map((m, i) => {
    const q = qByIndex.get(i) ?? null;
    const { table } = m;
    return {
      dt,
      candidate_id: m.action.id,
      event: m.action.event,
      within_days: m.action.within_days,
      cohort_start: cohort.start,
      cohort_end: cohort.end,
      n_hit: table.n_hit,
      n_miss: table.n_miss,
      retained_hit: table.retained_hit,
      retained_miss: table.retained_miss,
      rate_hit: proportion(table.retained_hit, table.n_hit),
      rate_miss: proportion(table.retained_miss, table.n_miss),
      share: shareOf(table),
      lift: m.lift,
      lift_ci_low: m.ci?.low ?? null,
      lift_ci_high: m.ci?.high ?? null,
      t_student: m.student.t,
      p_student: m.student.p,
      t_welch: m.welch.t,
      df_welch: m.welch.df,
      p_welch: m.welch.p,
      q_value: q,
      phi: phiCoefficient(table),
      verdict: candidateVerdict(table, m.lift, q, config),
    };
  });
  return rankCandidates(rows);
}
