/**
 * The digest (docs/alerts.md "The digest"): one e-mail-only message per period that brings the
 * night's report to people — the NSM and its change over the period, the tree's largest moves
 * tonight, the incidents still open, the candidate verdicts that changed, and the report link.
 *
 * A period closes with one night: a daily digest with every night, a weekly one with the night
 * before `weekday` (the scheduled run of that morning reports on it), covering the seven nights
 * up to it. Its exactly-once key is the period (`weekly:2024-05-13..2024-05-19`), so re-runs and
 * concurrent runs send it once, through the same claim-and-marker protocol as the alerts.
 */

import type { NsmConfig } from '../config/types';
import { WEEKDAYS } from '../config/types';
import { addDays, weekday } from '../dates';
import type { AlertRow, CandidateRow, MetricRow } from '../results/rows';
import { formatDigest } from './format-digest';
import { incidentBefore } from './incidents';

/** The period a digest is about. */
export interface DigestPeriod {
  readonly every: 'weekly' | 'daily';
  /** Its first and last night (the same night for a daily digest). */
  readonly from: string;
  readonly to: string;
  /** `weekly:<from>..<to>` or `daily:<to>`: the digest's exactly-once key. */
  readonly key: string;
}

/** The period night `dt` closes, or null when no digest goes out with it. */
export function digestPeriod(digest: NsmConfig['alerts']['digest'], dt: string): DigestPeriod | null {
  if (digest.every === 'daily') return { every: 'daily', from: dt, to: dt, key: `daily:${dt}` };
  if (digest.every !== 'weekly' || WEEKDAYS[weekday(addDays(dt, 1))] !== digest.weekday) return null;
  const from = addDays(dt, -6);
  return { every: 'weekly', from, to: dt, key: `weekly:${from}..${dt}` };
}

/** The night before the period: what "the change over the period" and "verdicts that changed" compare with. */
export function nightBefore(period: DigestPeriod): string {
  return addDays(period.from, -1);
}

/** One of the tree's moves tonight. */
export interface DigestMove {
  readonly metric_id: string;
  readonly name: string;
  readonly value: number | null;
  readonly change_pct: number;
  readonly status: MetricRow['status'];
}

/** An incident still open after the period's last night. */
export interface DigestIncident {
  readonly id: string;
  readonly name: string;
  readonly onset: string;
  readonly lastDrop: string;
  readonly worstChangePct: number | null;
  /** Tonight's change of the metric. */
  readonly change_pct: number | null;
}

/** A candidate whose verdict is not what it was the night before the period. */
export interface DigestVerdict {
  readonly candidate_id: string;
  readonly before: CandidateRow['verdict'];
  readonly now: CandidateRow['verdict'];
  readonly lift: number | null;
  readonly q_value: number | null;
}

/** Everything the digest says, ready for the formatter. */
export interface DigestContent {
  readonly period: DigestPeriod;
  readonly nsm: {
    readonly id: string;
    readonly name: string;
    readonly value: number | null;
    readonly baseline: number | null;
    readonly change_pct: number | null;
    /** The NSM on the night before the period (null when that night has no value). */
    readonly before: number | null;
  };
  /** The tree's metrics (the NSM left out) by the size of tonight's change, largest first, at most {@link DIGEST_MOVES}. */
  readonly moves: readonly DigestMove[];
  readonly incidents: readonly DigestIncident[];
  /** Null when there is nothing to compare (no candidates, or none recorded the night before the period). */
  readonly verdicts: readonly DigestVerdict[] | null;
  /** The night's data was incomplete: its changes were not judged. */
  readonly dataIncomplete: boolean;
  readonly reportUri: string;
  readonly consoleUrl?: string | undefined;
}

/** How many of the tree's moves a digest lists. */
export const DIGEST_MOVES = 5;

/** What {@link buildDigest} needs. */
export interface DigestInput {
  readonly config: NsmConfig;
  readonly period: DigestPeriod;
  /** Tonight's (the period's last night's) metric rows. */
  readonly metrics: readonly MetricRow[];
  /** Earlier nights' metric rows (the report's 90 nights). */
  readonly earlier: readonly MetricRow[];
  /** Tonight's candidate rows; null without candidates. */
  readonly candidates: readonly CandidateRow[] | null;
  /** The candidate rows of the night before the period; null when it has none. */
  readonly candidatesBefore: readonly CandidateRow[] | null;
  readonly reportUri: string;
  readonly consoleUrl?: string | undefined;
}

/** What the digest of `input.period` says (pure). */
export function digestContent(input: DigestInput): DigestContent {
  const { config, period, metrics } = input;
  const rows = new Map(metrics.map((r) => [r.metric_id, r]));
  const ns = rows.get(config.north_star);
  const before = input.earlier.find((r) => r.metric_id === config.north_star && r.dt === nightBefore(period));
  const inTree = new Set([...Object.keys(config.tree), ...Object.values(config.tree).flat()]);
  const moves = metrics
    .filter((r) => inTree.has(r.metric_id) && r.metric_id !== config.north_star && typeof r.change_pct === 'number')
    .map((r) => ({ metric_id: r.metric_id, name: r.name, value: r.value, change_pct: r.change_pct as number, status: r.status }))
    .sort((a, b) => Math.abs(b.change_pct) - Math.abs(a.change_pct))
    .slice(0, DIGEST_MOVES);
  // Open after tonight: the same derivation as the alerts, one night further on.
  const history = { rows: [...input.earlier, ...metrics], unusable: [] };
  const incidents = config.alerts.watch.flatMap((id): DigestIncident[] => {
    const open = incidentBefore(id, addDays(period.to, 1), history).open;
    const row = rows.get(id);
    if (!open) return [];
    return [
      {
        id: open.id,
        name: row?.name ?? id,
        onset: open.onset,
        lastDrop: open.lastDrop,
        worstChangePct: open.worstChangePct,
        change_pct: row?.change_pct ?? null,
      },
    ];
  });
  return {
    period,
    nsm: {
      id: config.north_star,
      name: ns?.name ?? config.north_star,
      value: ns?.value ?? null,
      baseline: ns?.baseline ?? null,
      change_pct: ns?.change_pct ?? null,
      before: typeof before?.value === 'number' ? before.value : null,
    },
    moves,
    incidents,
    verdicts: changedVerdicts(input.candidates, input.candidatesBefore),
    dataIncomplete: metrics.some((r) => r.status === 'data_incomplete'),
    reportUri: input.reportUri,
    consoleUrl: input.consoleUrl,
  };
}

function changedVerdicts(now: readonly CandidateRow[] | null, before: readonly CandidateRow[] | null): DigestVerdict[] | null {
  if (now === null || before === null) return null;
  const earlier = new Map(before.map((c) => [c.candidate_id, c.verdict]));
  return now
    .filter((c) => earlier.has(c.candidate_id) && earlier.get(c.candidate_id) !== c.verdict)
    .map((c) => ({ candidate_id: c.candidate_id, before: earlier.get(c.candidate_id)!, now: c.verdict, lift: c.lift, q_value: c.q_value }));
}

/** The digest as a row to send (kind `digest`, keyed by its period) and to record in `alerts.jsonl`. */
export function buildDigest(input: DigestInput): AlertRow {
  const content = digestContent(input);
  return {
    dt: input.period.to,
    kind: 'digest',
    metric_id: null,
    incident_id: null,
    night_of_incident: null,
    period: input.period.key,
    value: content.nsm.value,
    baseline: content.nsm.baseline,
    change_pct: content.nsm.change_pct,
    robust_z: null,
    drivers: [],
    segments: [],
    // A digest is about its period, sent once when the period ends; never a late re-judgement.
    late: false,
    ...formatDigest(content),
  };
}
