/**
 * `nsm demo` end to end: writes the synthetic lake (`<dir>/lake`) and its config
 * (`<dir>/nsm.config.yaml`), backfills enough nights for the drop baselines, runs the last night
 * (the planted drop's day) through the same pipeline as `nsm run`, and says where the report is.
 *
 * Everything a re-run would clobber is checked first: the lake, config and results folders must
 * be absent or earlier demo output, so pointing `--dir` at a real project fails before anything
 * is written. Results of an earlier demo are cleared, so its alert markers cannot silence the
 * alerts of this run.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { addDays, dayRange, parseIsoDay, yesterdayInZone } from '../core/dates';
import { InputError } from '../core/errors';
import { runNights } from '../core/pipeline/run-nights';
import { formatLift } from '../core/report/format';
import { LATEST_HTML_KEY, LATEST_KEY, RESULTS_FOLDERS, reportHtmlKey, reportJsonKey } from '../core/results/layout';
import { configSchemaPathFrom } from '../wiring/config-schema-file';
import { loadConfig } from '../wiring/load-config';
import { openPipeline } from '../wiring/open-pipeline';
import { demoConfigYaml } from './demo-config';
import { generateDemoLake, type DemoLakeSummary } from './generate-lake';

export interface RunDemoOptions {
  /** The demo folder; created if needed. */
  readonly dir: string;
  /** Approximate number of events in the lake. */
  readonly events: number;
  /** One progress line (no newline). */
  readonly log: (line: string) => void;
  /**
   * Last day of the lake and the night reported on; default yesterday (UTC), so that a later
   * `nsm run --config <dir>/nsm.config.yaml` without `--date` reports on a day the lake has.
   */
  readonly endDay?: string;
  /** Generator seed; default the generator's. */
  readonly seed?: number;
  /** Clock for the default `endDay` and the pipeline; default the system clock. */
  readonly now?: () => Date;
}

export interface RunDemoResult {
  /** Absolute path of the written config. */
  readonly configPath: string;
  /** Absolute path of the results folder. */
  readonly resultsDir: string;
  /** The last night's report: `report.html` when the pipeline wrote one, else `report.json`. */
  readonly reportPath: string;
  /** What the generator wrote and planted (the answers the report should reproduce). */
  readonly lake: DemoLakeSummary;
}

const CONFIG_FILE = 'nsm.config.yaml';
/** First line of every config the demo writes: how a re-run recognises its own file. */
const CONFIG_MARK = '# nsm-nightly demo config, written by `nsm demo`';
/** What a results folder written by the pipeline may contain (docs/design.md §3). */
const RESULTS_ENTRIES = new Set<string>([...Object.values(RESULTS_FOLDERS), LATEST_KEY, LATEST_HTML_KEY]);

/** Runs the whole demo; see the module comment. */
export async function runDemo(opts: RunDemoOptions): Promise<RunDemoResult> {
  const now = opts.now ?? (() => new Date());
  const dir = resolve(opts.dir);
  const endDay = opts.endDay === undefined ? yesterdayInZone(now(), 'UTC') : parseIsoDay(opts.endDay, 'endDay');
  const configPath = join(dir, CONFIG_FILE);
  const resultsDir = join(dir, 'results');
  // A folder with our own config is an earlier demo: its results are ours to clear, whatever the
  // pipeline keeps there. Without one, only a results folder of known layout entries is cleared.
  const earlierDemo = await checkOwnConfig(configPath);
  if (!earlierDemo) await checkOwnResults(resultsDir);

  await mkdir(dir, { recursive: true });
  opts.log(`Writing a synthetic lake of about ${opts.events.toLocaleString('en-US')} events to ${join(dir, 'lake')} …`);
  const started = performance.now();
  const summary = await generateDemoLake({ dir: join(dir, 'lake'), endDay, events: opts.events, seed: opts.seed });
  const seconds = (performance.now() - started) / 1000;
  opts.log(
    `  ${summary.events.toLocaleString('en-US')} events, ${summary.users.toLocaleString('en-US')} users, ` +
      `${summary.teams.toLocaleString('en-US')} teams, ${summary.startDay} … ${summary.endDay} (${seconds.toFixed(1)} s)`,
  );

  const schemaPath = configSchemaPathFrom(dir);
  await writeAtomically(configPath, demoConfigYaml({ lakeDir: './lake', resultsDir: './results', schemaPath, firstDay: summary.startDay }));
  opts.log(`Wrote ${configPath}`);
  // No environment: a topic ARN left in the shell must not send the demo's alerts through SNS.
  const config = await loadConfig(configPath, {});

  await rm(resultsDir, { recursive: true, force: true });
  // Enough earlier nights for every same-weekday baseline of the last night, then the last night.
  const nights = dayRange(addDays(endDay, -7 * config.alerts.baseline_weeks), endDay);
  opts.log(`Backfilling ${nights.length - 1} nights (${nights[0]} … ${addDays(endDay, -1)}), then running ${endDay}:`);
  const warn = (line: string) => opts.log(`warning: ${line}`);
  const pipeline = await openPipeline(config, { engine: 'duckdb', env: {}, log: opts.log, warn, now });
  try {
    await runNights(config, nights, pipeline.deps);
  } finally {
    await pipeline.close();
  }

  logPlanted(opts.log, summary);
  const html = join(resultsDir, ...reportHtmlKey(endDay).split('/'));
  const reportPath = (await stat(html).catch(() => null)) ? html : join(resultsDir, ...reportJsonKey(endDay).split('/'));
  return { configPath, resultsDir, reportPath, lake: summary };
}

/** What was planted, so the reader knows what the report should show. */
function logPlanted(log: (line: string) => void, s: DemoLakeSummary): void {
  const drop = s.planted.drop;
  const c = s.planted.retention.last_night;
  log('');
  log(`Planted in the lake (what the report should find):`);
  log(
    `  drop: ${drop.event} on ${drop.day}: ${drop.events_on_day.toLocaleString('en-US')} vs ` +
      `${Math.round(drop.same_weekday_mean).toLocaleString('en-US')} on the same weekday before (${drop.story})`,
  );
  log(`  retention, cohort ${c.start} … ${c.end} (${c.users} users, ${c.retained} retained at day ${s.planted.retention.day}):`);
  for (const a of c.actions) {
    const planted = a.planted_multiplier === null ? 'not planted' : a.planted_multiplier === 1 ? 'null action' : `planted ${a.planted_multiplier}x`;
    const lift = formatLift(a.lift);
    log(`    ${a.id.padEnd(26)} lift ${lift.padStart(6)}  (${planted}; ${a.n_hit} of ${a.n_hit + a.n_miss} did it)`);
  }
}

/** Refuses to replace a config the demo did not write; true when there is one the demo wrote. */
async function checkOwnConfig(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new InputError(`${path}: cannot read it (${err.code ?? err.message}); refusing to overwrite it`, { cause: err });
  });
  if (text !== null && !text.startsWith(CONFIG_MARK)) {
    throw new InputError(`${path}: exists and was not written by nsm demo; refusing to overwrite it (use another --dir)`);
  }
  return text !== null;
}

/** Refuses to clear a results folder holding anything the pipeline does not write. */
async function checkOwnResults(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new InputError(`${dir}: exists and is not a folder; refusing to use it for demo results`);
  const foreign = (await readdir(dir)).filter((name) => !RESULTS_ENTRIES.has(name));
  if (foreign.length > 0) {
    throw new InputError(`${dir}: holds ${foreign[0]}, which nsm does not write; refusing to clear it (use another --dir)`);
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}
