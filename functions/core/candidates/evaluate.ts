/**
 * Turns the `candidates` query's counts into the rows of `candidates.jsonl` (docs/design.md §2, §3):
 * rates, share, lift with its Katz CI, Student and Welch t tests, phi, Benjamini–Hochberg q-values
 * over the night's actions (from Welch's p), verdict and rank. Pure: counts in, rows out.
 */
import type { CandidatesConfig } from '../config/types';
import { NsmError } from '../errors';
import type { CandidateRow } from '../results/rows';
import { benjaminiHochberg } from '../stats/benjamini-hochberg';
import { studentTTest } from '../stats/student-t-test';
import { checkTwoByTwo } from '../stats/two-by-two';
import type { DayRange } from './cohort';
import type { CandidateCounts } from './counts';
import { rankCandidates } from './rank';
import { tableStatistics } from './table-statistics';
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
    return { action, table, stats: tableStatistics(table), student: studentTTest(table) };
  });

  const withP = measured.flatMap((m, i) => (m.stats.p_welch === null ? [] : [{ i, p: m.stats.p_welch }]));
  const qs = benjaminiHochberg(withP.map((x) => x.p));
  const qByIndex = new Map(withP.map((x, k) => [x.i, qs[k]!]));

  const rows = measured.map((m, i) => {
    const q = qByIndex.get(i) ?? null;
    const { table, stats } = m;
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
      rate_hit: stats.rate_hit,
      rate_miss: stats.rate_miss,
      share: stats.share,
      lift: stats.lift,
      lift_ci_low: stats.lift_ci_low,
      lift_ci_high: stats.lift_ci_high,
      t_student: m.student.t,
      p_student: m.student.p,
      t_welch: stats.t_welch,
      df_welch: stats.df_welch,
      p_welch: stats.p_welch,
      q_value: q,
      phi: stats.phi,
      verdict: candidateVerdict(table, stats.lift, q, config),
    };
  });
  return rankCandidates(rows);
}
