/**
 * The benchmark's lakes: the demo generator's team-messaging lake (`functions/demo/`) at a 1×
 * history (~4.5M events, 230 days) and a 2× history (twice the days, about twice the events, so
 * that the daily volume stays the same), each as gzip JSON Lines and as Parquet. Lakes are cached
 * under `.bench/lakes/<key>/` keyed by their parameters and a hash of the generator's source, and
 * reused until `--fresh`; `manifest.json` is written last, so a half-built lake is never reused.
 *
 * The generator grows sign-ups 3× from the first to the last day of whatever length it is given,
 * so a 460-day lake at 2× the events is not exactly the 230-day lake with 230 more days before it:
 * its last weeks come out a few percent lighter. `ensureDoubleHistoryLake` therefore matches the
 * mean events per day over the last 28 days of both lakes (see there).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { listLakeFiles } from '../functions/adapters/lake-files';
import { quoteString } from '../functions/core/sql/quote';
import { generateDemoLake } from '../functions/demo/generate-lake';
import { nextTarget } from './next-target';

/** The demo lake's columns (see functions/demo/event-line.ts), and their Parquet types. */
export const DEMO_LAKE_COLUMNS = ['user_id', 'account_id', 'country', 'app_version', 'event_name', 'event_time', 'duration_ms'] as const;
const PARQUET_SELECT =
  // Text stays text (the JSON lake is read as VARCHAR too); call durations become BIGINT, with the
  // lake's garbage strings ("n/a") as NULL, as a typed Parquet table would hold them.
  'user_id, account_id, country, app_version, event_name, event_time, TRY_CAST(duration_ms AS BIGINT) AS duration_ms, dt';

export const DEFAULT_END_DAY = '2024-06-30';
export const LAKE_SEED = 20_240_601;
/** Window over which the 2× lake's daily volume is matched to the 1× lake's. */
export const MATCH_DAYS = 28;
const MATCH_TOLERANCE = 0.02;
const MATCH_ATTEMPTS = 4;

export interface LakeManifest {
  readonly key: string;
  readonly history: number;
  readonly days: number;
  readonly startDay: string;
  readonly endDay: string;
  /** Total passed to the generator (after matching, for the 2× lake). */
  readonly requestedEvents: number;
  readonly events: number;
  readonly users: number;
  /** Events per partition day. */
  readonly perDay: Readonly<Record<string, number>>;
  /** Mean events per day over the last MATCH_DAYS days. */
  readonly recentMeanPerDay: number;
  readonly json: { readonly dir: string; readonly bytes: number; readonly files: number };
  readonly parquet: { readonly dir: string; readonly bytes: number; readonly files: number } | null;
  readonly generateMs: number;
  readonly note?: string;
}

/** Files of functions/demo/ that do not shape the lake (the demo command and its config). */
const NOT_GENERATOR = new Set(['run-demo.ts', 'demo-config.ts']);

/** Hash of the generator's source: a changed generator means different lakes. */
export async function generatorHash(repoRoot: string): Promise<string> {
  const dir = join(repoRoot, 'functions', 'demo');
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ts') && !NOT_GENERATOR.has(n)).sort()) {
    hash.update(name).update(await readFile(join(dir, name)));
  }
  hash.update(PARQUET_SELECT);
  return hash.digest('hex').slice(0, 10);
}

export const lakeKey = (days: number, events: number, endDay: string, genHash: string) =>
  `d${days}-e${events}-s${LAKE_SEED}-${endDay}-g${genHash}`;

/** Sum of the sizes of every file below `dir` and their count. */
export async function folderSize(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
    files++;
  }
  return { bytes, files };
}

async function readManifest(root: string): Promise<LakeManifest | null> {
  const text = await readFile(join(root, 'manifest.json'), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as LakeManifest);
}

/** Events per partition day of a JSON lake, counted by DuckDB. */
async function eventsPerDay(jsonDir: string): Promise<Record<string, number>> {
  const files = await listLakeFiles(jsonDir, 'dt', 'json');
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      `SELECT dt, count(*) AS n FROM read_json([${files.map(quoteString).join(', ')}], format = 'newline_delimited', ` +
        `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, columns = {'event_name': 'VARCHAR'}) GROUP BY dt ORDER BY dt`,
    );
    connection.closeSync();
    return Object.fromEntries(reader.getRowObjects().map((r) => [String(r.dt), Number(r.n)]));
  } finally {
    instance.closeSync();
  }
}

const recentMean = (perDay: Readonly<Record<string, number>>) => {
  const days = Object.keys(perDay).sort().slice(-MATCH_DAYS);
  return days.reduce((s, d) => s + perDay[d]!, 0) / Math.max(1, days.length);
};

/** Writes `<root>/parquet/dt=…/data_0.parquet` from the JSON lake (DuckDB COPY … PARTITION_BY). */
async function convertToParquet(root: string, jsonDir: string): Promise<{ dir: string; bytes: number; files: number }> {
  const target = join(root, 'parquet');
  const partial = `${target}.partial`;
  await rm(partial, { recursive: true, force: true });
  const files = await listLakeFiles(jsonDir, 'dt', 'json');
  const schema = DEMO_LAKE_COLUMNS.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ');
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT ${PARQUET_SELECT} FROM read_json([${files.map(quoteString).join(', ')}], format = 'newline_delimited', ` +
        `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, columns = {${schema}})) ` +
        `TO ${quoteString(partial)} (FORMAT parquet, PARTITION_BY (dt))`,
    );
    connection.closeSync();
  } finally {
    instance.closeSync();
  }
  await rm(target, { recursive: true, force: true });
  await rename(partial, target);
  return { dir: target, ...(await folderSize(target)) };
}

export interface LakeRequest {
  readonly benchDir: string;
  readonly repoRoot: string;
  readonly days: number;
  readonly events: number;
  readonly endDay: string;
  readonly parquet: boolean;
  readonly fresh: boolean;
  readonly log: (line: string) => void;
}

async function generateJson(root: string, days: number, events: number, endDay: string) {
  const started = performance.now();
  const summary = await generateDemoLake({ dir: join(root, 'json'), endDay, days, events, seed: LAKE_SEED });
  return { summary, ms: performance.now() - started };
}

/**
 * Removes lakes (and their deployments) built with the same parameters by an earlier version of
 * the generator: they will never be reused, and each full-size pair takes ~400 MiB.
 */
async function pruneStale(benchDir: string, key: string): Promise<void> {
  const stem = (k: string) => k.replace(/-g[0-9a-f]+/, '-g*');
  for (const sub of ['lakes', 'deploy']) {
    const dir = join(benchDir, sub);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const lake = sub === 'deploy' ? name.replace(/-(json|parquet)$/, '') : name;
      if (lake !== key && stem(lake) === stem(key)) await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}

async function finish(root: string, manifest: LakeManifest, parquet: boolean, log: (line: string) => void): Promise<LakeManifest> {
  await pruneStale(dirname(dirname(root)), manifest.key);
  let result = manifest;
  if (parquet && !manifest.parquet) {
    log(`  converting ${manifest.key} to Parquet…`);
    result = { ...manifest, parquet: await convertToParquet(root, manifest.json.dir) };
  }
  await writeFile(join(root, 'manifest.json'), JSON.stringify(result, null, 2));
  return result;
}

/** The 1× lake: generated (or reused) with `events` over `days`. */
export async function ensureBaseLake(req: LakeRequest): Promise<LakeManifest> {
  const key = lakeKey(req.days, req.events, req.endDay, await generatorHash(req.repoRoot));
  const root = join(req.benchDir, 'lakes', key);
  const cached = req.fresh ? null : await readManifest(root);
  if (cached && (!req.parquet || cached.parquet)) return cached;
  if (cached) return finish(root, cached, req.parquet, req.log);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  req.log(`  generating ${key} (${req.events.toLocaleString('en-US')} events, ${req.days} days)…`);
  const { summary, ms } = await generateJson(root, req.days, req.events, req.endDay);
  const perDay = await eventsPerDay(summary.dir);
  const manifest: LakeManifest = {
    key,
    history: 1,
    days: req.days,
    startDay: summary.startDay,
    endDay: summary.endDay,
    requestedEvents: req.events,
    events: summary.events,
    users: summary.users,
    perDay,
    recentMeanPerDay: recentMean(perDay),
    json: { dir: summary.dir, ...(await folderSize(summary.dir)) },
    parquet: null,
    generateMs: Math.round(ms),
  };
  return finish(root, manifest, req.parquet, req.log);
}

/**
 * The 2× lake: twice the days of `base`, with the total chosen so that the mean events per day
 * over the last MATCH_DAYS days matches `base` within 2%. A different total draws a different
 * population (the generator's randomness follows the sign-up rate), so the match is searched by
 * proportional correction over at most MATCH_ATTEMPTS generations, keeping the closest.
 */
export async function ensureDoubleHistoryLake(req: LakeRequest, base: LakeManifest): Promise<LakeManifest> {
  const days = base.days * 2;
  const key = `${lakeKey(days, base.requestedEvents * 2, req.endDay, await generatorHash(req.repoRoot))}-x2`;
  const root = join(req.benchDir, 'lakes', key);
  const cached = req.fresh ? null : await readManifest(root);
  if (cached && (!req.parquet || cached.parquet)) return cached;
  if (cached) return finish(root, cached, req.parquet, req.log);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });

  interface Attempt {
    target: number;
    dir: string;
    summary: Awaited<ReturnType<typeof generateDemoLake>>;
    perDay: Record<string, number>;
    mean: number;
    ms: number;
  }
  const attempts: Attempt[] = [];
  const off = (a: Attempt) => Math.abs(a.mean / base.recentMeanPerDay - 1);
  let target = base.requestedEvents * 2;
  for (let k = 1; k <= MATCH_ATTEMPTS; k++) {
    req.log(`  generating ${key} try ${k} (${target.toLocaleString('en-US')} events, ${days} days)…`);
    const dir = join(root, `try-${k}`);
    await mkdir(dir);
    const started = performance.now();
    const summary = await generateDemoLake({ dir: join(dir, 'json'), endDay: req.endDay, days, events: target, seed: LAKE_SEED });
    const perDay = await eventsPerDay(summary.dir);
    const attempt: Attempt = { target, dir, summary, perDay, mean: recentMean(perDay), ms: performance.now() - started };
    attempts.push(attempt);
    req.log(`    last ${MATCH_DAYS} days: ${Math.round(attempt.mean)} events/day (1×: ${Math.round(base.recentMeanPerDay)})`);
    if (off(attempt) <= MATCH_TOLERANCE) break;
    target = nextTarget(attempts, base.recentMeanPerDay);
  }
  const best = attempts.reduce((a, b) => (off(b) < off(a) ? b : a));
  await rename(join(best.dir, 'json'), join(root, 'json'));
  for (const a of attempts) await rm(a.dir, { recursive: true, force: true });
  const jsonDir = join(root, 'json');
  const note =
    `daily volume matched to the 1× lake over the last ${MATCH_DAYS} days within ${(off(best) * 100).toFixed(1)}% ` +
    `(${attempts.length} generation${attempts.length === 1 ? '' : 's'}; total ${best.target.toLocaleString('en-US')} requested)`;
  const manifest: LakeManifest = {
    key,
    history: 2,
    days,
    startDay: best.summary.startDay,
    endDay: best.summary.endDay,
    requestedEvents: best.target,
    events: best.summary.events,
    users: best.summary.users,
    perDay: best.perDay,
    recentMeanPerDay: best.mean,
    json: { dir: jsonDir, ...(await folderSize(jsonDir)) },
    parquet: null,
    generateMs: Math.round(attempts.reduce((s, a) => s + a.ms, 0)),
    note,
  };
  return finish(root, manifest, req.parquet, req.log);
}
