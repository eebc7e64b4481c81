import { describe, expect, it } from 'vitest';
import { SMS_MAX, SUBJECT_MAX } from '../../../../functions/core/alerts/alert-text';
import { buildDigest, type DigestInput, digestContent, digestPeriod } from '../../../../functions/core/alerts/digest';
import { evaluateNight } from '../../../../functions/core/alerts/evaluate-night';
import { alertId, alertIdentity } from '../../../../functions/core/alerts/marker';
import type { CandidateRow, MetricRow } from '../../../../functions/core/results/rows';
import { history, nightConfig, values } from './night-fixture';

describe('digestPeriod', () => {
  it('weekly: closes with the night before the weekday (the run of that morning reports on it), covering seven nights', () => {
    // 2024-05-19 is a Sunday: the Monday-morning run reports on it.
    expect(digestPeriod({ every: 'weekly', weekday: 'mon' }, '2024-05-19')).toEqual({
      every: 'weekly',
      from: '2024-05-13',
      to: '2024-05-19',
      key: 'weekly:2024-05-13..2024-05-19',
    });
    for (const dt of ['2024-05-13', '2024-05-14', '2024-05-15', '2024-05-16', '2024-05-17', '2024-05-18']) {
      expect(digestPeriod({ every: 'weekly', weekday: 'mon' }, dt)).toBeNull();
    }
    expect(digestPeriod({ every: 'weekly', weekday: 'fri' }, '2024-05-16')?.key).toBe('weekly:2024-05-10..2024-05-16');
  });

  it('daily: every night is a period; off: none', () => {
    expect(digestPeriod({ every: 'daily', weekday: 'mon' }, '2024-05-15')).toEqual({
      every: 'daily',
      from: '2024-05-15',
      to: '2024-05-15',
      key: 'daily:2024-05-15',
    });
    expect(digestPeriod({ every: 'off', weekday: 'mon' }, '2024-05-19')).toBeNull();
  });

  it('is sent once per period: its id is the period, whatever else the row says', async () => {
    const a = { dt: '2024-05-19', kind: 'digest' as const, metric_id: null, period: 'weekly:2024-05-13..2024-05-19' };
    expect(alertIdentity(a)).toEqual({ dt: '2024-05-19', kind: 'digest', key: 'weekly:2024-05-13..2024-05-19' });
    expect(await alertId(alertIdentity({ ...a, period: 'daily:2024-05-19' }))).not.toBe(await alertId(alertIdentity(a)));
  });
});

const DT = '2024-03-31'; // a Sunday
const night = (dt: string, changes: Record<string, number> = {}, earlier: MetricRow[] = []) =>
  evaluateNight({
    config: nightConfig(),
    dt,
    values: values(changes),
    dayEvents: 10_000,
    partitionMissing: false,
    partitionEmpty: false,
    history: history(dt),
    earlier: { rows: earlier, unusable: [] },
    reportUri: `/results/reports/dt=${dt}/report.html`,
  }).metrics;

const candidate = (candidate_id: string, verdict: CandidateRow['verdict'], lift = 2.5): CandidateRow =>
  ({ candidate_id, verdict, lift, q_value: 0.004 }) as CandidateRow;

function input(over: Partial<DigestInput> = {}): DigestInput {
  // A week ago the north star was 900; yesterday new_teams began an incident that lasts tonight.
  const weekAgo = night('2024-03-24', { posting_teams: 900 });
  const yesterday = night('2024-03-30', { new_teams: 100 });
  const tonight = night(DT, { new_teams: 90, signups: 440 }, [...weekAgo, ...yesterday]);
  return {
    config: nightConfig(),
    period: digestPeriod({ every: 'weekly', weekday: 'mon' }, DT)!,
    metrics: tonight,
    earlier: [...weekAgo, ...yesterday],
    candidates: [candidate('paid_d7', 'strong'), candidate('shared_d7', 'weak', 1.1), candidate('new_d7', 'weak')],
    candidatesBefore: [candidate('paid_d7', 'weak'), candidate('shared_d7', 'weak', 1.2)],
    reportUri: '/results/reports/dt=2024-03-31/report.html',
    ...over,
  };
}

describe('digestContent', () => {
  it("says the NSM and its change on the period, the tree's largest moves, the open incidents, the verdicts that changed", () => {
    const c = digestContent(input());
    expect(c.nsm).toMatchObject({ id: 'posting_teams', value: 1000, before: 900 });
    // The tree below the NSM by |change|: new_teams 90 vs ~200 first, signups +10% next; the NSM and `unrelated` are not listed.
    expect(c.moves.map((m) => m.metric_id).slice(0, 2)).toEqual(['new_teams', 'signups']);
    expect(c.moves.some((m) => m.metric_id === 'posting_teams' || m.metric_id === 'unrelated')).toBe(false);
    expect(c.incidents).toEqual([
      expect.objectContaining({ id: 'new_teams:2024-03-30', onset: '2024-03-30', lastDrop: DT, name: 'New teams' }),
    ]);
    // new_d7 has no verdict the week before: not a change.
    expect(c.verdicts).toEqual([{ candidate_id: 'paid_d7', before: 'weak', now: 'strong', lift: 2.5, q_value: 0.004 }]);
  });

  it('leaves the verdicts out without candidates the night before the period, and has no incident once it recovered', () => {
    const tonight = night(DT, {}, night('2024-03-30', { new_teams: 100 }));
    const c = digestContent(input({ metrics: tonight, candidatesBefore: null }));
    expect(c.verdicts).toBeNull();
    expect(c.incidents).toEqual([]);
  });
});

describe('buildDigest', () => {
  it('is one digest row keyed by its period, with texts within the limits', () => {
    const row = buildDigest(input());
    expect(row).toMatchObject({ dt: DT, kind: 'digest', metric_id: null, period: 'weekly:2024-03-25..2024-03-31', value: 1000 });
    expect(row.subject).toBe('[nsm] Weekly digest 2024-03-31: Weekly active teams with 3+ members posting 1k (+11.1%)');
    expect(row.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(row.sms.length).toBeLessThanOrEqual(SMS_MAX);
    expect(row.message).toContain('Weekly digest, week 2024-03-25 to 2024-03-31.');
    expect(row.message).toContain('  New teams (new_teams:2024-03-30): 2 days, worst ');
    expect(row.message).toContain('  paid_d7: weak -> strong (lift 2.5, q 0.004)');
    expect(row.message).toContain('Report: /results/reports/dt=2024-03-31/report.html');
  });
});
