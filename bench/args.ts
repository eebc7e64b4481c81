/**
 * Command-line options of `npm run bench` (package.json runs `bench/run.ts`; pass options after
 * `--`: `npm run bench -- --quick`). Pure: argv in, options out, so it is unit-tested.
 */

export interface BenchOptions {
  /** Small lakes (200k events) and a short check of the harness itself. */
  readonly quick: boolean;
  /** Regenerate lakes and re-prepare deployments even when cached. */
  readonly fresh: boolean;
  /** Timed repetitions of each measured thing (interleaved), >= 1. */
  readonly reps: number;
  /** Events of the 1× lake. */
  readonly events: number;
  /** Days of the 1× lake; the 2× lake has twice as many (and about twice the events). */
  readonly days: number;
  /** Nights already run before the measured night, as in a real deployment. */
  readonly prepareNights: number;
  /** Lake formats to measure. */
  readonly formats: ReadonlyArray<'json' | 'parquet'>;
  /** History multiples to measure (1 and/or 2). */
  readonly histories: readonly number[];
  /** Skip the pandas method (it is the slowest part). */
  readonly skipSeed: boolean;
  /** Skip the strace run that measures bytes read. */
  readonly skipTrace: boolean;
  /** Skip the first night (night D against an empty results folder: all state built from the lake). */
  readonly skipFirstNight: boolean;
  /** Extra back-to-back JSON/Parquet steady-night pairs per history for target 5's sign test (0: none). */
  readonly formatPairs: number;
  /**
   * Back-to-back steady nights of the json 1× lake with `segments` off and on (two dimensions of 20
   * values), for the segments' cost (0: none).
   */
  readonly segmentPairs: number;
  /**
   * Back-to-back steady-night pairs of the json 1× deployment with the demo config's threshold sweep
   * (5 × 4 grid, 6 actions) and without it, for the sweep's cost (0: none).
   */
  readonly sweepPairs: number;
  /** Where the results table goes (markdown). */
  readonly out: string;
  /** Another nsm checkout to measure (its bin/nsm.js), e.g. an older commit; null = this repository. */
  readonly nsmDir: string | null;
  /**
   * A checkout to compare with (its bin/nsm.js, its bundle built): back-to-back json 1× steady
   * nights of it and of the measured nsm, from the same prepared state (null: none).
   */
  readonly baselineDir: string | null;
  /** How many such pairs (default 10 with --baseline, else 0). */
  readonly baselinePairs: number;
  /**
   * One config setting changed (`alerts.freshness.recheck_nights=0`): back-to-back json 1× steady
   * nights with the config as is and with the setting, for a feature's cost (null: none).
   */
  readonly setting: BenchSetting | null;
  /** How many such pairs (default 10 with --setting, else 0). */
  readonly settingPairs: number;
}

/** A config key (its path) and the value the other side of the pairs gives it. */
export interface BenchSetting {
  readonly path: string[];
  /** The value as YAML text (`0`, `off`, `[drop]`). */
  readonly value: string;
  /** As given: `alerts.freshness.recheck_nights=0`. */
  readonly text: string;
}

export const USAGE = `npm run bench -- [options]

  --quick             200k-event lakes, for checking the harness (under ~2 minutes)
  --fresh             regenerate the lakes and re-prepare the deployments
  --reps N            timed repetitions of each measurement, interleaved (default 5; --quick 2);
                      target 5's sign test needs 5 or more
  --events N          events in the 1x lake (default 4500000; --quick 200000)
  --days N            days in the 1x lake (default 230; the 2x lake has twice as many)
  --prepare-nights N  nights run before the measured one, outside the timing (default 28)
  --formats LIST      json,parquet (default both)
  --histories LIST    1,2 (default both)
  --skip-seed         do not run the pandas method
  --skip-trace        do not measure bytes read (needs strace)
  --skip-first-night  do not time night D against an empty results folder
  --format-pairs N    extra back-to-back json/parquet steady nights per history, for target 5
                      (default 20; --quick 4; 0 for none)
  --segment-pairs N   back-to-back steady nights of the json 1x lake with segments off and on
                      (country, app_version: 20 values each) (default 10; --quick 2; 0 for none)
  --sweep-pairs N     back-to-back json 1x steady nights with the demo's threshold sweep and without
                      it, for the sweep's cost (default 10; --quick 3; 0 for none)
  --out FILE          results table (default .bench/results.md; --quick: .bench/results-quick.md)
  --nsm DIR           measure the nsm checkout in DIR (e.g. an older commit) instead of this one;
                      lakes, floor and seed method stay this repository's
  --baseline DIR      back-to-back json 1x steady nights of the nsm checkout in DIR (its bundle
                      built: npm ci there) and of the measured one, for a change's cost
  --baseline-pairs N  how many (default 10 with --baseline)
  --setting PATH=V    back-to-back json 1x steady nights with the config as is and with one key
                      set to V (YAML), e.g. alerts.freshness.recheck_nights=0, for a feature's cost
  --setting-pairs N   how many (default 10 with --setting)
`;

const FULL = { events: 4_500_000, days: 230 } as const;
const QUICK = { events: 200_000, days: 230 } as const;

/** Parses `argv` (without node and the script). Throws an Error with a one-line message on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (BOOLEAN.has(name)) {
      if (inline !== undefined) throw new Error(`--${name} takes no value`);
      flags.set(name, true);
    } else if (VALUED.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new Error(`unknown option --${name}`);
    }
  }
  const quick = flags.get('quick') === true;
  const base = quick ? QUICK : FULL;
  const str = (name: string) => flags.get(name) as string | undefined;
  return {
    quick,
    fresh: flags.get('fresh') === true,
    reps: positiveInt(str('reps') ?? (quick ? '2' : '5'), '--reps'),
    events: positiveInt(str('events') ?? String(base.events), '--events'),
    days: positiveInt(str('days') ?? String(base.days), '--days'),
    prepareNights: positiveInt(str('prepare-nights') ?? '28', '--prepare-nights'),
    formats: list(str('formats') ?? 'json,parquet', '--formats', ['json', 'parquet'] as const),
    histories: list(str('histories') ?? '1,2', '--histories', ['1', '2'] as const).map(Number),
    skipSeed: flags.get('skip-seed') === true,
    skipTrace: flags.get('skip-trace') === true,
    skipFirstNight: flags.get('skip-first-night') === true,
    formatPairs: nonNegativeInt(str('format-pairs') ?? (quick ? '4' : '20'), '--format-pairs'),
    segmentPairs: nonNegativeInt(str('segment-pairs') ?? (quick ? '2' : '10'), '--segment-pairs'),
    sweepPairs: nonNegativeInt(str('sweep-pairs') ?? (quick ? '3' : '10'), '--sweep-pairs'),
    out: str('out') ?? (quick ? '.bench/results-quick.md' : '.bench/results.md'),
    nsmDir: str('nsm') ?? null,
    baselineDir: str('baseline') ?? null,
    baselinePairs: nonNegativeInt(str('baseline-pairs') ?? (str('baseline') ? '10' : '0'), '--baseline-pairs'),
    setting: str('setting') === undefined ? null : parseSetting(str('setting')!),
    settingPairs: nonNegativeInt(str('setting-pairs') ?? (str('setting') ? '10' : '0'), '--setting-pairs'),
  };
}

const BOOLEAN = new Set(['quick', 'fresh', 'skip-seed', 'skip-trace', 'skip-first-night', 'help']);
const VALUED = new Set([
  'format-pairs',
  'segment-pairs',
  'sweep-pairs',
  'reps',
  'events',
  'days',
  'prepare-nights',
  'formats',
  'histories',
  'out',
  'nsm',
  'baseline',
  'baseline-pairs',
  'setting',
  'setting-pairs',
]);

/** `a.b.c=V` → the path and V; the path's keys are config keys (letters, digits, `_`). */
function parseSetting(text: string): BenchSetting {
  const eq = text.indexOf('=');
  const path = eq < 0 ? [] : text.slice(0, eq).split('.');
  if (eq < 0 || path.some((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) || text.slice(eq + 1).trim() === '') {
    throw new Error(`--setting: expected KEY.PATH=VALUE (e.g. alerts.freshness.recheck_nights=0), got '${text}'`);
  }
  return { path, value: text.slice(eq + 1), text };
}

function positiveInt(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${what}: expected a positive integer, got '${text}'`);
  return Number(text);
}

function nonNegativeInt(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${what}: expected an integer >= 0, got '${text}'`);
  return Number(text);
}

function list<T extends string>(text: string, what: string, allowed: readonly T[]): T[] {
  const items = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const bad = items.find((s) => !(allowed as readonly string[]).includes(s));
  if (bad !== undefined || items.length === 0) throw new Error(`${what}: expected a comma list of ${allowed.join(', ')}, got '${text}'`);
  return allowed.filter((a) => items.includes(a));
}

/** True when `--help` was asked for (checked before parsing the rest). */
export const wantsHelp = (argv: readonly string[]) => argv.includes('--help') || argv.includes('-h');
