/**
 * The targets of docs/performance.md as checks on measured figures. Ratios use medians of interleaved repetitions
 * measured in the same run. `pass: null` means not judged: inputs missing, too few pairs, or a row shown only for context.
 */
import type { Verdict } from './agreement';
import { formatBytes, formatRatio } from './format';
import { median, pairedRatios, ratio, signTestP } from './stats';

export type Format = 'json' | 'parquet';

/** What one lake variant (format × history) measured; times in ms (medians), RSS in bytes. */
export interface VariantFigures {
  readonly format: Format;
  readonly history: number;
  readonly night: number | null;
  readonly nightRss: number | null;
  readonly floorAll: number | null;
  /** Bytes of lake + results files the night read (strace), or null. */
  readonly bytesRead: number | null;
  /** The steady night's wall time per round (index = round), for paired comparisons. */
  readonly nightRounds?: readonly (number | null)[];
  /** The first night's (empty results folder) wall time per round, or none when not measured. */
  readonly firstNightRounds?: readonly (number | null)[];
  /**
   * Per steady night (same indexes as `nightRounds`), the run.json ms of its lake-reading steps:
   * the `rollup <day>` queries, the only queries of a steady night that read the lake.
   */
  readonly lakeStepRounds?: readonly (number | null)[];
}

export interface SeedFigures {
  /** Median wall time of the pandas method on the json 1× lake. */
  readonly ms: number | null;
  readonly agreement: Verdict | null;
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly goal: string;
  /** null: not measured (or not valid, see note). */
  readonly pass: boolean | null;
  readonly note?: string;
}

/** 1 GB, read strictly as 10^9 bytes. */
export const RSS_LIMIT_BYTES = 1e9;
export const SEED_MIN_SPEEDUP = 10;
export const FLOOR_MAX_RATIO = 1.5;
export const HISTORY_MAX_GROWTH = 1.2;
/** Target 5 wants Parquet faster: a sign test over the paired rounds must make chance unlikely. */
export const FORMAT_SIGN_TEST_P = 0.05;

const label = (v: { format: Format; history: number }) => `${v.format} ${v.history}×`;

/** Every target check the figures allow, in issue order. */
export function checkTargets(variants: readonly VariantFigures[], seed: SeedFigures | null): TargetCheck[] {
  const find = (format: Format, history: number) => variants.find((v) => v.format === format && v.history === history);
  const checks: TargetCheck[] = [];

  const base = find('json', 1);
  if (seed && base) {
    const r = ratio(seed.ms, base.night);
    const valid = seed.agreement === 'agree' || seed.agreement === 'partial';
    checks.push({
      target: '1. seed method / night (json 1×)',
      measured: formatRatio(r),
      goal: `≥ ${SEED_MIN_SPEEDUP}×`,
      pass: r === null || !valid ? null : r >= SEED_MIN_SPEEDUP,
      ...(seed.agreement === 'disagree'
        ? { note: 'INVALID: results disagree' }
        : seed.agreement === 'partial'
          ? { note: 'metrics agree; nsm computed no candidates to compare' }
          : {}),
    });
  }
  for (const v of variants) {
    checks.push({
      target: `1. night peak RSS (${label(v)})`,
      measured: formatBytes(v.nightRss),
      goal: '≤ 1 GB',
      pass: v.nightRss === null ? null : v.nightRss <= RSS_LIMIT_BYTES,
    });
  }
  for (const v of variants) {
    const r = ratio(v.night, v.floorAll);
    checks.push({
      target: `2. night / floor (${label(v)})`,
      measured: formatRatio(r),
      goal: `≤ ${FLOOR_MAX_RATIO}×`,
      pass: r === null ? null : r <= FLOOR_MAX_RATIO,
    });
  }
  for (const format of ['json', 'parquet'] as const) {
    const one = find(format, 1);
    const two = find(format, 2);
    if (!one || !two) continue;
    const r = ratio(two.night, one.night);
    checks.push({
      target: `3. night 2× / night 1× (${format})`,
      measured: formatRatio(r),
      goal: `≤ ${HISTORY_MAX_GROWTH}×`,
      pass: r === null ? null : r <= HISTORY_MAX_GROWTH,
    });
  }
  for (const format of ['json', 'parquet'] as const) {
    const one = find(format, 1);
    const two = find(format, 2);
    if (!one || !two) continue;
    const r = ratio(two.bytesRead, one.bytesRead);
    checks.push({
      target: `4. bytes read 2× / 1× (${format})`,
      measured: r === null ? '—' : `${formatRatio(r)} (${formatBytes(one.bytesRead)} → ${formatBytes(two.bytesRead)})`,
      goal: 'flat (≈ 1×)',
      pass: null,
      note: 'no numeric target; flat means a night reads its own days plus compact state',
    });
  }
  for (const history of [1, 2]) {
    const json = find('json', history);
    const parquet = find('parquet', history);
    if (!json || !parquet) continue;
    if (json.firstNightRounds?.length && parquet.firstNightRounds?.length) {
      checks.push(formatCheck(`5. json / parquet, first night (${history}×)`, json.firstNightRounds, parquet.firstNightRounds));
    }
    if (json.lakeStepRounds?.length && parquet.lakeStepRounds?.length) {
      checks.push(formatCheck(`5. json / parquet, a steady night's lake reads (${history}×)`, json.lakeStepRounds, parquet.lakeStepRounds));
    }
    // The whole steady night is shown, not judged: it reads a few partitions of the lake, a small
    // share of its time, by design (target 3). Equal within noise is what that design predicts.
    if (json.nightRounds?.length && parquet.nightRounds?.length) {
      const steady = formatCheck(`5. json / parquet, whole steady night (${history}×)`, json.nightRounds, parquet.nightRounds);
      checks.push({
        ...steady,
        goal: 'none: shown for context',
        pass: null,
        note: 'not judged: a steady night reads only a few lake partitions (see the row above)',
      });
    }
  }
  return checks;
}

/**
 * Parquet faster than JSON, judged on per-pair ratios (the two nights of a pair run in the same
 * round, or back to back in the extra format pairs; their order alternates): the median ratio must exceed 1 and Parquet must win enough rounds that a sign test puts
 * the chance of that, were the formats equal, under {@link FORMAT_SIGN_TEST_P}. A difference of a
 * few percent on a noisy shared machine passes only when it is consistent.
 */
function formatCheck(target: string, json: readonly (number | null)[], parquet: readonly (number | null)[]): TargetCheck {
  const goal = `> 1× (parquet faster), sign test p < ${FORMAT_SIGN_TEST_P}`;
  const ratios = pairedRatios(json, parquet);
  if (ratios.length === 0) return { target, measured: '—', goal, pass: null };
  const wins = ratios.filter((r) => r > 1).length;
  const p = signTestP(wins, ratios.length);
  const m = median(ratios);
  const measured = `${formatRatio(m)} (parquet faster in ${wins}/${ratios.length} pairs, p = ${p.toPrecision(2)})`;
  // Too few rounds to ever reach the threshold: not judged, rather than failed.
  if (signTestP(ratios.length, ratios.length) >= FORMAT_SIGN_TEST_P) {
    return { target, measured, goal, pass: null, note: `${ratios.length} pairs cannot reach p < ${FORMAT_SIGN_TEST_P}: use 5 or more` };
  }
  return { target, measured, goal, pass: m > 1 && p < FORMAT_SIGN_TEST_P };
}

/** `pass` / `FAIL` / `n/a`. */
export const passLabel = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'pass' : 'FAIL');
