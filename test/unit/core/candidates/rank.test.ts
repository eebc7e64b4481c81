import { describe, expect, it } from 'vitest';
import { rankCandidates } from '../../../../functions/core/candidates/rank';
import type { CandidateRow, Verdict } from '../../../../functions/core/results/rows';

const row = (candidate_id: string, verdict: Verdict, lift: number | null) =>
  ({ candidate_id, verdict, lift }) as unknown as Omit<CandidateRow, 'rank'>;

describe('rankCandidates', () => {
  it('orders by verdict, then lift descending with nulls last, ranks from 1', () => {
    const ranked = rankCandidates([
      row('weak-null', 'weak', null),
      row('insufficient', 'insufficient_data', 50),
      row('weak-3', 'weak', 3),
      row('strong-2.5', 'strong', 2.5),
      row('strong-9', 'strong', 9),
      row('weak-0.5', 'weak', 0.5),
    ]);
    expect(ranked.map((r) => [r.candidate_id, r.rank])).toEqual([
      ['strong-9', 1],
      ['strong-2.5', 2],
      ['weak-3', 3],
      ['weak-0.5', 4],
      ['weak-null', 5],
      ['insufficient', 6],
    ]);
  });

  it('breaks ties by config order and gives distinct ranks', () => {
    const ranked = rankCandidates([row('b', 'weak', 1), row('a', 'weak', 1), row('c', 'weak', null), row('d', 'weak', null)]);
    expect(ranked.map((r) => r.candidate_id)).toEqual(['b', 'a', 'c', 'd']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
  });

  it('returns [] for no candidates', () => {
    expect(rankCandidates([])).toEqual([]);
  });
});
