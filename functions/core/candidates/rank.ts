/** The `rank` of docs/design.md §2: candidates ordered by verdict, then by lift. */
import type { CandidateRow, Verdict } from '../results/rows';

const VERDICT_ORDER: Record<Verdict, number> = { strong: 0, weak: 1, insufficient_data: 2 };

/**
 * Returns the rows sorted by verdict (`strong` < `weak` < `insufficient_data`), then lift
 * descending with null lifts last, then in their given (config) order, with `rank` set to
 * 1, 2, … in that order. Ranks are distinct even for ties, so a reader can sort by rank alone.
 */
export function rankCandidates(rows: readonly Omit<CandidateRow, 'rank'>[]): CandidateRow[] {
  const order = rows
    .map((row, index) => ({ row, index }))
    .sort((x, y) => {
      const byVerdict = VERDICT_ORDER[x.row.verdict] - VERDICT_ORDER[y.row.verdict];
      if (byVerdict !== 0) return byVerdict;
      const a = x.row.lift;
      const b = y.row.lift;
      if (a !== b) {
        if (a === null) return 1;
        if (b === null) return -1;
        return b - a;
      }
      return x.index - y.index;
    });
  return order.map(({ row }, i) => ({ ...row, rank: i + 1 }));
}
