/**
 * Do nsm and the seed method compute the same thing for the night? A speed ratio between two
 * programs means something only when they agree, so the benchmark checks, before it
 * reports `seed/night`: every metric value (exactly, or within 1e-9 relative for doubles) and, per
 * candidate action, `n_hit, n_miss, retained_hit, retained_miss` (exactly) and `p_student`
 * (within 1e-6 relative: two independent implementations of the t distribution).
 */
import type { CandidateRow, MetricRow } from '../functions/core/results/rows';

/** The seed method's output (bench/seed_method.py). */
export interface SeedOutput {
  readonly dt: string;
  readonly rows: number;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly candidates: readonly SeedCandidate[];
  readonly timings_s: Readonly<Record<string, number>>;
  readonly max_rss_kb: number;
}

/** The fields of a candidate row that are compared, as nsm's `candidates.jsonl` names them. */
export type ComparedCandidate = Pick<CandidateRow, 'candidate_id' | 'n_hit' | 'n_miss' | 'retained_hit' | 'retained_miss' | 'p_student'>;

export interface SeedCandidate extends ComparedCandidate {
  readonly [field: string]: unknown;
}

/** The fields of nsm's results that are compared (a subset of MetricRow / CandidateRow). */
export interface NsmNight {
  readonly metrics: ReadonlyArray<Pick<MetricRow, 'metric_id' | 'value'>>;
  /** null: nsm wrote no candidates file for the night. */
  readonly candidates: readonly ComparedCandidate[] | null;
}

export interface Check {
  readonly what: string;
  readonly nsm: number | null | undefined;
  readonly seed: number | null | undefined;
  readonly ok: boolean;
}

export type Verdict = 'agree' | 'disagree' | 'partial';

export interface Agreement {
  /** `partial`: everything compared agrees, but nsm produced no candidates to compare. */
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly notes: readonly string[];
}

export const METRIC_REL_TOL = 1e-9;
export const P_REL_TOL = 1e-6;

/** `a` and `b` equal within `rel` of the larger magnitude; two nulls are equal, a null and a number are not. */
export function closeEnough(a: number | null | undefined, b: number | null | undefined, rel: number): boolean {
  const na = a === null || a === undefined || Number.isNaN(a);
  const nb = b === null || b === undefined || Number.isNaN(b);
  if (na || nb) return na && nb;
  if (a === b) return true;
  return Math.abs(a! - b!) <= rel * Math.max(Math.abs(a!), Math.abs(b!));
}

const COUNT_FIELDS = ['n_hit', 'n_miss', 'retained_hit', 'retained_miss'] as const;

/** Compares nsm's night with the seed method's output. `expectCandidates`: the config has candidates. */
export function compareResults(nsm: NsmNight, seed: SeedOutput, expectCandidates: boolean): Agreement {
  const checks: Check[] = [];
  const notes: string[] = [];
  const nsmMetrics = new Map(nsm.metrics.map((m) => [m.metric_id, m.value]));
  for (const [id, value] of Object.entries(seed.metrics)) {
    const mine = nsmMetrics.get(id);
    checks.push({ what: `metric ${id}`, nsm: mine, seed: value, ok: nsmMetrics.has(id) && closeEnough(mine, value, METRIC_REL_TOL) });
  }
  for (const id of nsmMetrics.keys()) {
    if (!(id in seed.metrics))
      checks.push({ what: `metric ${id} (absent from the seed)`, nsm: nsmMetrics.get(id), seed: undefined, ok: false });
  }

  let candidatesCompared = false;
  if (expectCandidates && nsm.candidates === null) {
    notes.push('nsm wrote no candidates.jsonl for the night: candidate tests not compared');
  } else if (nsm.candidates !== null) {
    candidatesCompared = true;
    const mine = new Map(nsm.candidates.map((c) => [c.candidate_id, c]));
    for (const s of seed.candidates) {
      const c = mine.get(s.candidate_id);
      if (!c) {
        checks.push({ what: `candidate ${s.candidate_id} (absent from nsm)`, nsm: undefined, seed: s.n_hit, ok: false });
        continue;
      }
      for (const f of COUNT_FIELDS) checks.push({ what: `candidate ${s.candidate_id} ${f}`, nsm: c[f], seed: s[f], ok: c[f] === s[f] });
      checks.push({
        what: `candidate ${s.candidate_id} p_student`,
        nsm: c.p_student,
        seed: s.p_student,
        ok: closeEnough(c.p_student, s.p_student, P_REL_TOL),
      });
    }
    for (const id of mine.keys()) {
      if (!seed.candidates.some((s) => s.candidate_id === id)) {
        checks.push({ what: `candidate ${id} (absent from the seed)`, nsm: mine.get(id)!.n_hit, seed: undefined, ok: false });
      }
    }
  }
  const allOk = checks.every((c) => c.ok);
  const verdict: Verdict = !allOk ? 'disagree' : expectCandidates && !candidatesCompared ? 'partial' : 'agree';
  return { verdict, checks, notes };
}

/** One line per failed check, for the report. */
export function describeDisagreements(a: Agreement): string[] {
  return a.checks.filter((c) => !c.ok).map((c) => `${c.what}: nsm ${String(c.nsm)} vs seed ${String(c.seed)}`);
}

/**
 * Differences between two nsm runs of the same night (say JSON vs Parquet, or a first night that
 * built its state from the lake vs a steady night over incremental state): every metric value
 * within {@link METRIC_REL_TOL} and every candidate's four counts exactly. Empty when they agree.
 */
export function diffNights(a: NsmNight, b: NsmNight): string[] {
  const out: string[] = [];
  const aMetrics = new Map(a.metrics.map((m) => [m.metric_id, m.value]));
  const bMetrics = new Map(b.metrics.map((m) => [m.metric_id, m.value]));
  for (const id of unionOfKeys(aMetrics, bMetrics)) {
    const [x, y] = [aMetrics.get(id), bMetrics.get(id)];
    if (!aMetrics.has(id) || !bMetrics.has(id) || !closeEnough(x, y, METRIC_REL_TOL))
      out.push(`metric ${id} ${shown(aMetrics, id)} vs ${shown(bMetrics, id)}`);
  }
  if ((a.candidates === null) !== (b.candidates === null)) out.push('candidates written by one run only');
  const counts = (c: ComparedCandidate) => COUNT_FIELDS.map((f) => c[f]).join('/');
  const aCands = new Map((a.candidates ?? []).map((c) => [c.candidate_id, counts(c)]));
  const bCands = new Map((b.candidates ?? []).map((c) => [c.candidate_id, counts(c)]));
  for (const id of unionOfKeys(aCands, bCands)) {
    if (aCands.get(id) !== bCands.get(id)) out.push(`candidate ${id} ${shown(aCands, id)} vs ${shown(bCands, id)}`);
  }
  return out;
}

/** The keys of both maps, `a`'s first, each once. */
const unionOfKeys = <K>(a: ReadonlyMap<K, unknown>, b: ReadonlyMap<K, unknown>): K[] => [...new Set([...a.keys(), ...b.keys()])];
/** A map's value for a message, `missing` when the key is absent. */
const shown = <K>(m: ReadonlyMap<K, unknown>, key: K) => (m.has(key) ? String(m.get(key)) : 'missing');

/** The nights of one benchmark lake as nsm wrote them (absent when not run). */
export interface LakeNights {
  readonly name: string;
  readonly format: 'json' | 'parquet';
  readonly history: number;
  /** The steady night (previous nights already run, incremental state in place). */
  readonly steady?: NsmNight | undefined;
  /** The first night (empty results folder: the state built from the lake). */
  readonly first?: NsmNight | undefined;
}

/** One comparison of two nsm nights that must agree; `diff` is empty when they do. */
export interface NightComparison {
  readonly what: string;
  readonly diff: readonly string[];
  readonly metrics: number;
  readonly candidates: number | null;
}

/**
 * The comparisons between nsm's own nights: the JSON and Parquet steady nights of each history,
 * and each lake's first night against its steady night (state from the lake vs incremental state).
 */
export function compareNsmNights(lakes: readonly LakeNights[]): NightComparison[] {
  const out: NightComparison[] = [];
  const compare = (what: string, a: NsmNight, b: NsmNight) =>
    out.push({ what, diff: diffNights(a, b), metrics: a.metrics.length, candidates: a.candidates?.length ?? null });
  for (const history of new Set(lakes.map((l) => l.history))) {
    const json = lakes.find((l) => l.format === 'json' && l.history === history)?.steady;
    const parquet = lakes.find((l) => l.format === 'parquet' && l.history === history)?.steady;
    if (json && parquet) compare(`json and parquet nights at ${history}×`, json, parquet);
  }
  for (const l of lakes) {
    if (l.steady && l.first) compare(`${l.name} first night (state from the lake) and steady night (incremental state)`, l.first, l.steady);
  }
  return out;
}
