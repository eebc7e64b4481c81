/**
 * A deployment as the benchmark measures it: one lake (format × history), its `nsm.config.yaml`
 * (the demo config, pointing at the lake) and a results folder in which the previous nights have
 * already run — so that baselines, and any incremental state the pipeline keeps, exist as they
 * would in production. The prepared folder is built once (outside any timing) and cached while
 * the pipeline's source is unchanged; every timed night starts from a fresh copy of it, so that
 * each repetition does the same work (a re-run of a night would otherwise find its alerts sent).
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { addDays } from '../functions/core/dates';
import { demoConfigYaml } from '../functions/demo/demo-config';
import { expectSuccess, measureChild } from './child';
import type { Format } from './targets';

export interface Deployment {
  /** `json-1x`, `parquet-2x`, … */
  readonly name: string;
  readonly format: Format;
  readonly history: number;
  /** The lake folder of this format. */
  readonly lakeDir: string;
  readonly dir: string;
  /** Config of the timed nights: results in `<dir>/run/results`. */
  readonly configPath: string;
  /** The same without the threshold sweep, same results folder (the sweep pair's other side). */
  readonly noSweepConfigPath: string;
  readonly runResults: string;
  readonly preparedResults: string;
  /** The measured night D (the lake's last day). */
  readonly night: string;
  /** The config breaks the watched metrics down by {@link BENCH_SEGMENTS}. */
  readonly segments?: boolean;
}

/** The segments of the segments-on deployment: the demo lake's two columns of 20 values each. */
export const BENCH_SEGMENTS = { dimensions: ['country', 'app_version'], max_values: 20 } as const;

/** Hash of the pipeline's source (functions/, bin/ of a checkout): prepared results are rebuilt when it changes. */
export async function pipelineHash(repoRoot: string): Promise<string> {
  const hash = createHash('sha256');
  for (const top of ['functions', 'bin']) {
    const entries = await readdir(join(repoRoot, top), { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
    for (const f of files) hash.update(f.slice(repoRoot.length)).update(await readFile(f));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The demo config for `lakeDir` in `format`, results in `resultsDir` (absolute paths). With
 * `segments`, also broken down by {@link BENCH_SEGMENTS}. With `sweep: false` the candidates block
 * loses its threshold sweep (the demo's 5 × 4 grid over 6 actions), everything else equal: the pair
 * measures what the sweep costs a night.
 */
export function benchConfigYaml(
  lakeDir: string,
  resultsDir: string,
  format: Format,
  options: { segments?: boolean; sweep?: boolean } = {},
): string {
  const doc = parseDocument(demoConfigYaml({ lakeDir, resultsDir }));
  doc.setIn(['lake', 'format'], format);
  if (options.segments)
    doc.set('segments', doc.createNode({ ...BENCH_SEGMENTS, dimensions: [...BENCH_SEGMENTS.dimensions] }, { flow: true }));
  const withoutSweep = options.sweep === false;
  if (withoutSweep && !doc.deleteIn(['candidates', 'sweep'])) throw new Error('the demo config has no candidates.sweep to leave out');
  const what = `${options.segments ? ', with segments' : ''}${withoutSweep ? ', without its threshold sweep' : ''}`;
  return `# Written by bench/run.ts for the benchmark (the demo config, on the ${format} lake${what}).\n${doc.toString()}`;
}

/** `configYaml` with the key at `path` set to `valueYaml` (parsed as YAML), for `--setting`. */
export function withSetting(configYaml: string, path: readonly string[], valueYaml: string): string {
  const doc = parseDocument(configYaml);
  doc.setIn(path, doc.createNode(parseDocument(valueYaml).toJS()));
  return `# bench --setting ${path.join('.')}=${valueYaml}\n${doc.toString()}`;
}

export interface PrepareOptions {
  /** The nsm checkout whose `bin/nsm.js` runs the nights. */
  readonly nsmDir: string;
  /** {@link pipelineHash} taken once when the benchmark started, so every deployment is stamped alike. */
  readonly pipeline: string;
  readonly nights: number;
  readonly fresh: boolean;
  readonly log: (line: string) => void;
}

/** Writes the configs and, unless cached, runs nights D-n … D-1 into the prepared results folder. */
export async function prepareDeployment(dep: Deployment, opts: PrepareOptions): Promise<{ ms: number | null }> {
  await mkdir(dep.dir, { recursive: true });
  await writeFile(dep.configPath, benchConfigYaml(dep.lakeDir, dep.runResults, dep.format, { segments: dep.segments }));
  await writeFile(
    dep.noSweepConfigPath,
    benchConfigYaml(dep.lakeDir, dep.runResults, dep.format, { segments: dep.segments, sweep: false }),
  );
  const prepConfig = join(dep.dir, 'prepare.config.yaml');
  await writeFile(prepConfig, benchConfigYaml(dep.lakeDir, dep.preparedResults, dep.format, { segments: dep.segments }));
  const from = addDays(dep.night, -opts.nights);
  const to = addDays(dep.night, -1);
  const stamp = JSON.stringify({ pipeline: opts.pipeline, lake: dep.lakeDir, from, to });
  const stampPath = join(dep.dir, 'prepared.stamp.json');
  if (!opts.fresh && (await readFile(stampPath, 'utf8').catch(() => null)) === stamp) return { ms: null };

  await rm(stampPath, { force: true });
  await rm(dep.preparedResults, { recursive: true, force: true });
  opts.log(`  ${dep.name}: running nights ${from} … ${to} (outside the timing)…`);
  const r = expectSuccess(
    `nsm run --from ${from} --to ${to} (${dep.name})`,
    await measureChild(process.execPath, ['bin/nsm.js', 'run', '--config', prepConfig, '--from', from, '--to', to], { cwd: opts.nsmDir }),
  );
  await writeFile(stampPath, stamp);
  return { ms: r.wallMs };
}

/** Replaces the run folder by a fresh copy of the prepared results (not timed). */
export async function resetRunResults(dep: Deployment): Promise<void> {
  await rm(dep.runResults, { recursive: true, force: true });
  await cp(dep.preparedResults, dep.runResults, { recursive: true });
}

/** The night's file from the run folder, or null when it was not written. */
export async function readRunFile(dep: Deployment, key: string): Promise<string | null> {
  return readFile(join(dep.runResults, ...key.split('/')), 'utf8').catch(() => null);
}
