/**
 * `npm run bench`: the measuring instrument of docs/performance.md. Builds (or reuses) the benchmark lakes,
 * prepares a deployment per lake (previous nights already run), then times — interleaved, each
 * repetition in turn — one night of `nsm run`, the floor (one bare DuckDB pass over the needed
 * columns of every partition, and of the partitions the night actually reads), the seed's pandas
 * method, and `nsm validate` as a start-up probe. Checks that nsm and the seed method agree,
 * measures the bytes a night reads (strace), and prints the table with the targets of docs/performance.md.
 *
 * It measures whatever the pipeline does when it runs: nothing here knows the pipeline's plan.
 * See docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { listLakeFiles } from '../functions/adapters/lake-files';
import { fromJsonLines } from '../functions/core/results/json-lines';
import { candidatesKey, metricsKey, runKey, segmentsKey } from '../functions/core/results/layout';
import type { CandidateRow, MetricRow, RunRecord, SegmentRow } from '../functions/core/results/rows';
import { loadConfig } from '../functions/wiring/load-config';
import { type Agreement, compareNsmNights, compareResults, type NsmNight, type SeedOutput } from './agreement';
import { type BenchOptions, parseBenchArgs, USAGE, wantsHelp } from './args';
import { ensureBundle, type Runner } from './bundle';
import { expectSuccess, measureChild, rssMethod } from './child';
import { type Deployment, pipelineHash, prepareDeployment, readRunFile, resetRunResults, withSetting } from './deployment';
import { floorSql, neededColumns } from './floor-sql';
import { formatMs } from './format';
import { DEFAULT_END_DAY, ensureBaseLake, ensureDoubleHistoryLake, folderSize, type LakeManifest } from './lakes';
import { describeMachine, machineInfo } from './machine';
import { lakeStepMs } from './query-groups';
import {
  type BaselinePair,
  type FloorSample,
  floorAllSummary,
  maxRss,
  type NightSample,
  nightSummary,
  renderReport,
  type SeedSample,
  type SweepPair,
  type VariantResult,
} from './report';
import { checkSegments, type SegmentPairs } from './segments';
import { median } from './stats';
import { checkTargets } from './targets';
import { straceAvailable, traceNight } from './trace-night';

const REPO = resolve(import.meta.dirname, '..');
const BENCH_DIR = join(REPO, '.bench');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const log = (line: string) => process.stdout.write(`${line}\n`);

interface MutableVariant extends VariantResult {
  nights: NightSample[];
  firstNights: NightSample[];
  pairNights: NightSample[];
  floorAll: FloorSample[];
  floorNight: FloorSample[];
}

async function main(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(USAGE);
    return 0;
  }
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(argv);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const NSM = opts.nsmDir ? resolve(opts.nsmDir) : REPO;
  if (!existsSync(join(NSM, 'bin', 'nsm.js'))) throw new Error(`--nsm ${NSM}: no bin/nsm.js there`);
  const pipelineAtStart = await pipelineHash(NSM);
  const machine = await machineInfo(REPO);
  log(
    `nsm-nightly benchmark${opts.quick ? ' (quick)' : ''}\nnsm measured: ${NSM === REPO ? 'this repository' : NSM}\nmachine: ${describeMachine(machine)}`,
  );
  await mkdir(BENCH_DIR, { recursive: true });

  // 1. Lakes.
  log('lakes:');
  const wantParquet = opts.formats.includes('parquet');
  const lakeReq = { benchDir: BENCH_DIR, repoRoot: REPO, endDay: DEFAULT_END_DAY, parquet: wantParquet, fresh: opts.fresh, log };
  const base = await ensureBaseLake({ ...lakeReq, days: opts.days, events: opts.events });
  const lakes = new Map<number, LakeManifest>([[1, base]]);
  if (opts.histories.includes(2)) lakes.set(2, await ensureDoubleHistoryLake({ ...lakeReq, days: opts.days, events: opts.events }, base));
  for (const l of lakes.values()) {
    log(
      `  ${l.history}×: ${l.events.toLocaleString('en-US')} events, ${l.days} days, ${Math.round(l.recentMeanPerDay)} events/day over the last 28 days${l.note ? ` (${l.note})` : ''}`,
    );
  }

  // The CLI's bundle, rebuilt (untimed) whenever other edits made it stale, as `npm ci` would.
  const runners = new Set<Runner>();
  let rebuilds = 0;
  const bundle = async () => {
    const b = await ensureBundle(NSM);
    runners.add(b.runner);
    if (b.rebuilt) rebuilds++;
  };

  // 2. Deployments, prepared outside the timing.
  log(`deployments (${opts.prepareNights} nights before D run once, cached while the pipeline is unchanged):`);
  const variants: MutableVariant[] = [];
  for (const format of opts.formats) {
    for (const history of opts.histories) {
      const lake = lakes.get(history)!;
      const lakeDir = format === 'json' ? lake.json.dir : lake.parquet!.dir;
      // Another checkout (--nsm) keeps its own prepared results: its state may differ from ours.
      const deployRoot = NSM === REPO ? join(BENCH_DIR, 'deploy') : join(BENCH_DIR, 'deploy-other', NSM.replace(/[^A-Za-z0-9._-]+/g, '_'));
      const dir = join(deployRoot, `${lake.key}-${format}`);
      const dep: Deployment = {
        name: `${format}-${history}x`,
        format,
        history,
        lakeDir,
        dir,
        configPath: join(dir, 'nsm.config.yaml'),
        noSweepConfigPath: join(dir, 'nsm.no-sweep.config.yaml'),
        runResults: join(dir, 'run', 'results'),
        preparedResults: join(dir, 'prepared', 'results'),
        night: lake.endDay,
      };
      await bundle();
      const { ms } = await prepareDeployment(dep, {
        nsmDir: NSM,
        pipeline: pipelineAtStart,
        nights: opts.prepareNights,
        fresh: opts.fresh,
        log,
      });
      if (ms !== null) log(`  ${dep.name}: prepared in ${formatMs(ms)}`);
      const dayDir = join(lakeDir, `dt=${dep.night}`);
      const dayPartitionBytes = existsSync(dayDir) ? (await folderSize(dayDir)).bytes : null;
      variants.push({
        dep,
        lake,
        nights: [],
        firstNights: [],
        pairNights: [],
        floorAll: [],
        floorNight: [],
        reads: null,
        dayPartitionBytes,
        prepareMs: ms,
      });
    }
  }

  // The segments-on twin of the json 1× deployment (same lake, same prepared nights, config with
  // `segments`), for the on/off pairs below.
  const segmentsBase = variants.find((v) => v.dep.format === 'json' && v.dep.history === 1);
  let segmentsOn: Deployment | null = null;
  if (opts.segmentPairs > 0 && segmentsBase) {
    const dir = `${segmentsBase.dep.dir}-segments`;
    segmentsOn = {
      ...segmentsBase.dep,
      name: `${segmentsBase.dep.name}-segments`,
      dir,
      configPath: join(dir, 'nsm.config.yaml'),
      runResults: join(dir, 'run', 'results'),
      preparedResults: join(dir, 'prepared', 'results'),
      segments: true,
    };
    await bundle();
    const { ms } = await prepareDeployment(segmentsOn, {
      nsmDir: NSM,
      pipeline: pipelineAtStart,
      nights: opts.prepareNights,
      fresh: opts.fresh,
      log,
    });
    if (ms !== null) log(`  ${segmentsOn.name}: prepared in ${formatMs(ms)}`);
  }

  // 3. Bytes read: one untimed run per deployment under strace (also warms caches).
  const notes: string[] = [];
  if (!opts.skipTrace && straceAvailable()) {
    log('bytes read (one untimed night per lake under strace):');
    for (const v of variants) {
      await bundle();
      const reads = await traceNight(v.dep, NSM);
      (v as { reads: VariantResult['reads'] }).reads = reads;
      log(`  ${v.dep.name}: ${reads.partitions.length} partitions, lake ${reads.lakeBytes} B, results/state ${reads.resultsBytes} B`);
    }
  } else {
    notes.push(
      opts.skipTrace
        ? 'Bytes read not measured (--skip-trace).'
        : 'Bytes read not measured: strace is not installed (apt-get install strace).',
    );
    log(`  ${notes[notes.length - 1]}`);
  }

  // Floor specs: every partition, and the partitions the night read (from the JSON lake's trace of
  // the same history: the plan does not depend on the format, while Parquet footers are read for
  // every file whenever DuckDB binds a multi-file scan).
  const config = await loadConfig(variants[0]!.dep.configPath, {});
  const columns = neededColumns(config);
  const specs = new Map<string, { all: string; night: string | null }>();
  for (const v of variants) {
    const files = await listLakeFiles(v.dep.lakeDir, 'dt', v.dep.format);
    const allPath = join(v.dep.dir, 'floor-all.json');
    await writeFile(allPath, JSON.stringify({ sql: floorSql(v.dep.format, files, columns, 'dt') }));
    const json = variants.find((x) => x.dep.format === 'json' && x.dep.history === v.dep.history);
    const partitions = (json ?? v).reads?.partitions ?? null;
    let nightPath: string | null = null;
    if (partitions?.length) {
      const wanted = partitions.map((p) => `/dt=${p}/`);
      const nightFiles = files.filter((f) => wanted.some((w) => f.includes(w)));
      nightPath = join(v.dep.dir, 'floor-night.json');
      await writeFile(nightPath, JSON.stringify({ sql: floorSql(v.dep.format, nightFiles, columns, 'dt') }));
    }
    specs.set(v.dep.name, { all: allPath, night: nightPath });
  }

  // Seed method inputs: the json 1× deployment's config (YAML when PyYAML is there, else JSON).
  const seedVariant = opts.skipSeed ? undefined : variants.find((v) => v.dep.format === 'json' && v.dep.history === 1);
  let seedConfig: string | null = null;
  if (seedVariant) {
    const hasYaml = (await measureChild(PYTHON, ['-c', 'import yaml'])).code === 0;
    if (hasYaml) {
      seedConfig = seedVariant.dep.configPath;
    } else {
      seedConfig = join(seedVariant.dep.dir, 'nsm.config.json');
      const { parse } = await import('yaml');
      await writeFile(seedConfig, JSON.stringify(parse(await readFile(seedVariant.dep.configPath, 'utf8'))));
      notes.push('PyYAML missing: the seed method read the config as JSON.');
    }
  } else if (!opts.skipSeed) {
    notes.push('Seed method not run: it needs the json 1× lake (--formats json --histories 1).');
  }

  // 4. Timed rounds, interleaved: A B C … A B C …
  const seed: SeedSample[] = [];
  const startup: number[] = [];
  let seedOutput: SeedOutput | null = null;
  const nsmNights = new Map<string, NsmNight>();
  const firstNightResults = new Map<string, NsmNight>();
  for (let round = 1; round <= opts.reps; round++) {
    log(`round ${round}/${opts.reps}:`);
    // Every other round in reverse, so that no format always runs first (target 5 pairs a round's
    // JSON and Parquet nights; the extra format pairs below alternate for the same reason).
    for (const v of round % 2 === 1 ? variants : [...variants].reverse()) {
      await resetRunResults(v.dep);
      await bundle();
      v.nights.push(await timeNight(v.dep, NSM));
      if (!nsmNights.has(v.dep.name)) nsmNights.set(v.dep.name, await readNight(v.dep));
      const spec = specs.get(v.dep.name)!;
      const all = await runFloor(spec.all);
      v.floorAll.push(all);
      let nightFloor = '';
      if (spec.night) {
        const f = await runFloor(spec.night);
        v.floorNight.push(f);
        nightFloor = `, floor(night) ${formatMs(f.wallMs)}`;
      }
      // The first night: night D against an empty results folder, as on a first `nsm run` or after
      // a config change that reshapes the state. It builds the state from the lake, so it reads
      // the lake's history once: where the lake's format shows.
      let firstNight = '';
      if (!opts.skipFirstNight) {
        await rm(v.dep.runResults, { recursive: true, force: true });
        const f = await timeNight(v.dep, NSM);
        v.firstNights.push(f);
        if (!firstNightResults.has(v.dep.name)) firstNightResults.set(v.dep.name, await readNight(v.dep));
        firstNight = `, first night ${formatMs(f.wallMs)}`;
      }
      const night = v.nights[v.nights.length - 1]!;
      log(
        `  ${v.dep.name}: night ${formatMs(night.wallMs)} (in-process ${formatMs(night.pipelineMs)})${firstNight}, floor(all) ${formatMs(all.wallMs)}${nightFloor}`,
      );
    }
    const probe = variants[0]!;
    await bundle();
    startup.push(
      expectSuccess(
        'nsm validate',
        await measureChild(process.execPath, ['bin/nsm.js', 'validate', '--config', probe.dep.configPath], { cwd: NSM }),
      ).wallMs,
    );
    if (seedVariant && seedConfig) {
      const r = expectSuccess(
        'seed method',
        await measureChild(PYTHON, ['bench/seed_method.py', '--config', seedConfig, '--date', seedVariant.dep.night], { cwd: REPO }),
      );
      const output = JSON.parse(r.stdout) as SeedOutput;
      seedOutput ??= output;
      seed.push({
        wallMs: r.wallMs,
        rssBytes: r.maxRssBytes,
        loadS: output.timings_s.load ?? 0,
        computeS: (output.timings_s.metrics ?? 0) + (output.timings_s.candidates ?? 0),
      });
      log(`  seed method: ${formatMs(r.wallMs)} (load ${formatMs((output.timings_s.load ?? 0) * 1000)})`);
    }
  }

  // Target 5 on steady nights: the formats differ only in the few partitions a night reads, a few
  // percent of its time, so a sign test needs more pairs than the rounds give. A fixed number of
  // back-to-back pairs per history, the order alternating so neither format always goes first.
  for (const history of opts.histories) {
    const json = variants.find((v) => v.dep.format === 'json' && v.dep.history === history);
    const parquet = variants.find((v) => v.dep.format === 'parquet' && v.dep.history === history);
    if (!json || !parquet || opts.formatPairs === 0) continue;
    log(`format pairs (${history}×): ${opts.formatPairs} back-to-back steady nights of each format`);
    for (let i = 0; i < opts.formatPairs; i++) {
      for (const v of i % 2 === 0 ? [json, parquet] : [parquet, json]) {
        await resetRunResults(v.dep);
        await bundle();
        v.pairNights.push(await timeNight(v.dep, NSM));
      }
    }
  }

  // A steady night from the prepared state, as the pairs below time it (of this nsm, or of `nsmDir`).
  const steadyNight = async (dep: Deployment, configPath?: string, nsmDir = NSM) => {
    await resetRunResults(dep);
    if (nsmDir === NSM) await bundle();
    return timeNight(dep, nsmDir, configPath);
  };

  // Segments on vs off: back-to-back steady nights of the json 1× lake, the order alternating.
  let segmentPairs: SegmentPairs | null = null;
  if (segmentsOn && segmentsBase) {
    log(`segments pairs: ${opts.segmentPairs} back-to-back steady nights with segments off and on`);
    const { a: off, b: on } = await alternatingNights(
      opts.segmentPairs,
      { label: 'off', dep: segmentsBase.dep },
      { label: 'on', dep: segmentsOn },
      steadyNight,
    );
    const offNight = await readNight(segmentsBase.dep);
    const onNight = await readNight(segmentsOn);
    const lines = fromJsonLines<SegmentRow>((await readRunFile(segmentsOn, segmentsKey(segmentsOn.night))) ?? '');
    const metricDiffs = offNight.metrics
      .filter((m) => {
        const o = onNight.metrics.find((x) => x.metric_id === m.metric_id);
        return !o || o.value !== m.value;
      })
      .map((m) => m.metric_id);
    segmentPairs = { off, on, segmentLines: lines.length, metricDiffs };
  }

  // The threshold sweep's cost: json 1× steady nights with the demo config's sweep and
  // without it, back to back from the same prepared state, the order alternating.
  const sweepPairs: SweepPair[] = [];
  const sweepVariant = variants.find((v) => v.dep.format === 'json' && v.dep.history === 1) ?? variants[0]!;
  if (opts.sweepPairs > 0) {
    log(`sweep pairs (${sweepVariant.dep.name}): ${opts.sweepPairs} back-to-back steady nights with and without the threshold sweep`);
    const { a: withSweep, b: without } = await alternatingNights(
      opts.sweepPairs,
      { label: 'with', dep: sweepVariant.dep },
      { label: 'without', dep: sweepVariant.dep, configPath: sweepVariant.dep.noSweepConfigPath },
      steadyNight,
    );
    sweepPairs.push(...withSweep.map((w, i) => ({ withSweep: w, without: without[i]! })));
  }

  // A change's cost: json 1× steady nights of this nsm and of a baseline checkout, back to back
  // from the same prepared state, the order alternating.
  const baselinePairs: BaselinePair[] = [];
  if (opts.baselineDir && opts.baselinePairs > 0) {
    const baselineDir = resolve(opts.baselineDir);
    log(`baseline pairs (${sweepVariant.dep.name}): ${opts.baselinePairs} back-to-back steady nights of this nsm and of ${baselineDir}`);
    const { a: measured, b: baseline } = await alternatingNights(
      opts.baselinePairs,
      { label: 'measured', dep: sweepVariant.dep },
      { label: 'baseline', dep: sweepVariant.dep, nsmDir: baselineDir },
      steadyNight,
    );
    baselinePairs.push(...measured.map((m, i) => ({ measured: m, baseline: baseline[i]! })));
  }

  // A feature's cost by its config: json 1× steady nights with the config as is and with one
  // setting changed (a feature off), back to back from the same prepared state.
  const settingPairs: BaselinePair[] = [];
  if (opts.setting && opts.settingPairs > 0) {
    const { dep } = sweepVariant;
    const settingConfig = join(dep.dir, 'nsm.setting.config.yaml');
    await writeFile(settingConfig, withSetting(await readFile(dep.configPath, 'utf8'), opts.setting.path, opts.setting.value));
    log(`setting pairs (${dep.name}): ${opts.settingPairs} back-to-back steady nights as configured and with ${opts.setting.text}`);
    const { a: asIs, b: changed } = await alternatingNights(
      opts.settingPairs,
      { label: 'as is', dep },
      { label: opts.setting.text, dep, configPath: settingConfig },
      steadyNight,
    );
    settingPairs.push(...asIs.map((m, i) => ({ measured: m, baseline: changed[i]! })));
  }

  // 5. Agreement, checks, report.
  let agreement: Agreement | null = null;
  if (seedVariant && seedOutput) {
    agreement = compareResults(nsmNights.get(seedVariant.dep.name)!, seedOutput, config.candidates !== undefined);
  }
  const nightComparisons = compareNsmNights(
    variants.map((v) => ({
      name: v.dep.name,
      format: v.dep.format,
      history: v.dep.history,
      steady: nsmNights.get(v.dep.name),
      first: firstNightResults.get(v.dep.name),
    })),
  );
  const targets = checkTargets(
    variants.map((v) => ({
      format: v.dep.format,
      history: v.dep.history,
      night: nightSummary(v)?.median ?? null,
      nightRss: maxRss([...v.nights, ...v.firstNights, ...v.pairNights]),
      floorAll: floorAllSummary(v)?.median ?? null,
      bytesRead: v.reads ? v.reads.lakeBytes + v.reads.resultsBytes : null,
      nightRounds: [...v.nights, ...v.pairNights].map((n) => n.wallMs),
      lakeStepRounds: [...v.nights, ...v.pairNights].map((n) => lakeStepMs(n.queries)),
      firstNightRounds: v.firstNights.map((n) => n.wallMs),
    })),
    seedVariant ? { ms: seed.length ? median(seed.map((s) => s.wallMs)) : null, agreement: agreement?.verdict ?? null } : null,
  );
  if (segmentPairs) targets.push(checkSegments(segmentPairs));
  notes.push(
    runners.has('bundle') && !runners.has('tsx')
      ? `nsm ran from its bundle (dist/nsm.mjs), as after \`npm ci\`${rebuilds ? `; rebuilt ${rebuilds} time(s) during the run, outside the timing, because sources changed` : ''}.`
      : runners.has('bundle')
        ? 'nsm ran partly from its bundle and partly through tsx: start-up times are mixed.'
        : 'nsm ran through tsx (this checkout has no bin/build-cli.js bundle): start-up includes compiling TypeScript, about 1 s.',
  );
  if ((await pipelineHash(NSM)) !== pipelineAtStart) {
    notes.push(
      'WARNING: the pipeline source (functions/, bin/) changed while the benchmark ran; the nights may mix two versions. Run it again on a quiet tree.',
    );
  }
  notes.push(
    'The machine is shared (2 cores, other agents running): compare ratios measured in the same run, and read the min beside each median as the least-disturbed figure.',
  );
  const report = renderReport({
    title: `nsm-nightly benchmark${opts.quick ? ' (quick)' : ''}`,
    revision: NSM === REPO ? gitRevision() : `at ${NSM}`,
    when: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: describeMachine(machine),
    loadAfter: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
    rssMethod: rssMethod(),
    reps: opts.reps,
    variants,
    seed,
    seedLake: seedVariant ? `${seedVariant.lake.events.toLocaleString('en-US')}-event json 1× lake, night ${seedVariant.dep.night}` : null,
    startup,
    agreement,
    nightComparisons,
    targets,
    segments: segmentPairs,
    sweep: sweepPairs.length ? { lake: sweepVariant.dep.name, pairs: sweepPairs } : null,
    baseline: baselinePairs.length ? { lake: sweepVariant.dep.name, dir: resolve(opts.baselineDir!), pairs: baselinePairs } : null,
    setting: settingPairs.length ? { lake: sweepVariant.dep.name, setting: opts.setting!.text, pairs: settingPairs } : null,
    totalMs: performance.now() - started,
    notes,
  });
  const out = resolve(REPO, opts.out);
  await writeFile(out, report);
  await writeFile(
    `${out.replace(/\.md$/, '')}.json`,
    JSON.stringify(
      {
        options: opts,
        machine,
        variants,
        seed,
        startup,
        agreement,
        targets,
        segments: segmentPairs,
        sweepPairs,
        baselinePairs,
        settingPairs,
      },
      null,
      2,
    ),
  );
  process.stdout.write(`\n${report}\nwritten to ${out}\n`);
  return agreement?.verdict === 'disagree' || nightComparisons.some((c) => c.diff.length > 0) ? 1 : 0;
}

/** `abc1234` or `abc1234 + uncommitted changes in functions/`, or `unknown` outside git. */
function gitRevision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'functions', 'bin'], { cwd: REPO, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in functions/ or bin/` : head;
  } catch {
    return 'unknown';
  }
}

/** Times `nsm run --date D` of `dep` (its config, or `configPath`) as a child process; the run folder must be set up already. */
/** One side of {@link alternatingNights}: a deployment and the config its night runs with. */
interface PairSide {
  readonly label: string;
  readonly dep: Deployment;
  readonly configPath?: string;
  /** The nsm checkout to run (default: the measured one). */
  readonly nsmDir?: string;
}

/**
 * `n` back-to-back pairs of steady nights, side `a` and side `b`, each from the same prepared state,
 * the order alternating (a-b, b-a, …) so that drift in the machine's load falls on both sides alike.
 */
async function alternatingNights(
  n: number,
  a: PairSide,
  b: PairSide,
  steadyNight: (dep: Deployment, configPath?: string, nsmDir?: string) => Promise<NightSample>,
): Promise<{ a: NightSample[]; b: NightSample[] }> {
  const out = { a: [] as NightSample[], b: [] as NightSample[] };
  for (let i = 0; i < n; i++) {
    for (const side of i % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      const { dep, configPath, nsmDir } = side === 'a' ? a : b;
      out[side].push(await steadyNight(dep, configPath, nsmDir));
    }
    log(`  pair ${i + 1}: ${a.label} ${formatMs(out.a.at(-1)!.wallMs)}, ${b.label} ${formatMs(out.b.at(-1)!.wallMs)}`);
  }
  return out;
}

async function timeNight(dep: Deployment, nsmDir: string, configPath = dep.configPath): Promise<NightSample> {
  const r = expectSuccess(
    `nsm run (${dep.name})`,
    await measureChild(process.execPath, ['bin/nsm.js', 'run', '--config', configPath, '--date', dep.night], { cwd: nsmDir }),
  );
  const run = JSON.parse((await readRunFile(dep, runKey(dep.night))) ?? 'null') as RunRecord | null;
  return {
    wallMs: r.wallMs,
    rssBytes: r.maxRssBytes,
    pipelineMs: run?.ms ?? null,
    queries: (run?.queries ?? []).map((q) => ({ name: q.name, ms: q.ms })),
  };
}

async function runFloor(specPath: string): Promise<FloorSample> {
  const r = expectSuccess('floor', await measureChild(process.execPath, ['bench/floor.mjs', specPath], { cwd: REPO }));
  const { ms } = JSON.parse(r.stdout) as { ms: number };
  return { wallMs: r.wallMs, queryMs: ms, rssBytes: r.maxRssBytes };
}

/** The night's metrics and candidates as nsm wrote them (candidates null when no file). */
async function readNight(dep: Deployment): Promise<NsmNight> {
  const candidates = await readRunFile(dep, candidatesKey(dep.night));
  return {
    metrics: fromJsonLines<MetricRow>((await readRunFile(dep, metricsKey(dep.night))) ?? ''),
    candidates: candidates === null ? null : fromJsonLines<CandidateRow>(candidates),
  };
}

const code = await main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
});
process.exitCode = code;
