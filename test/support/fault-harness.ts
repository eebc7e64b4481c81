/**
 * A fault-injection harness for the whole tool as users run it: real `nsm run`
 * processes (`bin/nsm.js`, DuckDB, a results folder, the local notifier's outbox) on a small
 * generated lake, killed with SIGKILL at random moments, run side by side on one results folder,
 * and given damaged files. Used by `test/integration/fault-injection.test.ts` (a few faults, in
 * CI) and by `bench/fault-campaign.ts` (as many as you like, reported as figures).
 *
 * What "survived" means is decided against a reference project that ran the same commands without
 * faults: every night's `metrics.jsonl`, `candidates.jsonl` and `alerts.jsonl` and `latest.json`
 * byte for byte the same, every alert of the reference in the outbox (none lost), and no alert in
 * the outbox more often than the documented duplicates allow (none, for the local notifier).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { addDays, dayRange, weekday } from '../../functions/core/dates';
import { type LakeEvent, tempDir, writeJsonLake } from './lake';
import { seededRandom } from './random';

/** The lake's days: eight weeks. */
export const LAKE_FROM = '2024-01-01';
export const LAST_NIGHT = '2024-02-25';
/** The backfill's first night: the last two nights have two same-weekday weeks of history in it. */
export const BACKFILL_FROM = '2024-02-10';
/** The night before the last: a planted drop of sharers (alerted by the backfill, its newest night). */
export const NEXT_TO_LAST = addDays(LAST_NIGHT, -1);

const REPO = join(import.meta.dirname, '..', '..');
const SEASON = [0.6, 1, 1.05, 1.03, 1, 0.9, 0.55];

const CONFIG = `version: 1
lake:
  location: ./lake
  columns: { user: user_id, account: account_id, event: event_name }
results:
  location: ./results
metrics:
  - { id: active_teams, type: active_accounts, events: [message_posted, file_shared], min_users: 2, window_days: 7 }
  - { id: posters, type: distinct_users, events: [message_posted], window_days: 1 }
  - { id: sharers, type: distinct_users, events: [file_shared], window_days: 1 }
  - { id: messages, type: count, events: [message_posted], window_days: 1 }
  - { id: messages_per_poster, type: ratio, numerator: messages, denominator: posters }
north_star: active_teams
tree:
  active_teams: [posters, sharers, messages_per_poster]
  messages_per_poster: [messages]
candidates:
  cohort: { entry_event: signed_up, cohort_days: 7 }
  retention: { day: 14, window_days: 7 }
  actions:
    - { id: posted_early, event: message_posted, within_days: 3 }
    - { id: shared_early, event: file_shared, within_days: 3 }
alerts:
  baseline_weeks: 2
  min_drop_pct: 10
  min_robust_z: 3.5
`;

/**
 * One day of events: posters and sharers are separate people, a few sign up each day. On
 * NEXT_TO_LAST almost nobody shares, on LAST_NIGHT about half the usual posters post: two planted
 * drops (the second small enough that the night's events stay above the freshness guard).
 */
function dayEvents(dt: string, rnd: () => number): LakeEvent[] {
  const events: LakeEvent[] = [];
  const scale = SEASON[weekday(dt)]!;
  const n = (base: number) => Math.round(base * scale * (0.97 + 0.06 * rnd()));
  const day = dayRange(LAKE_FROM, dt).length;
  const posters = Math.round(n(60) * (dt === LAST_NIGHT ? 0.55 : 1));
  const sharers = dt === NEXT_TO_LAST ? 3 : n(30);
  for (let i = 0; i < posters; i++) {
    const user = `p${i}`;
    const account = `t${i % 20}`;
    for (let k = 0; k < 1 + (i % 3); k++) events.push({ dt, user_id: user, account_id: account, event_name: 'message_posted' });
  }
  for (let i = 0; i < sharers; i++) events.push({ dt, user_id: `s${i}`, account_id: `t${i % 20}`, event_name: 'file_shared' });
  for (let i = 0; i < 3; i++) {
    const user = `new${day}_${i}`;
    events.push({ dt, user_id: user, account_id: null, event_name: 'signed_up' });
    if ((day + i) % 2 === 0) events.push({ dt, user_id: user, account_id: null, event_name: 'message_posted' });
  }
  return events;
}

/** A folder with the lake and `nsm.config.yaml`; the same lake for the same seed. */
export function makeProject(prefix = 'nsm-faults-'): { dir: string; config: string; results: string } {
  const dir = tempDir(prefix);
  const rnd = seededRandom(16);
  writeJsonLake(
    join(dir, 'lake'),
    dayRange(LAKE_FROM, LAST_NIGHT).flatMap((dt) => dayEvents(dt, rnd)),
  );
  const config = join(dir, 'nsm.config.yaml');
  writeFileSync(config, CONFIG);
  return { dir, config, results: join(dir, 'results') };
}

/** How one `nsm` process ended. */
export interface NsmExit {
  readonly code: number | null;
  /** `SIGKILL` when the harness killed it before it ended. */
  readonly signal: NodeJS.Signals | null;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `nsm <args>` as a process; with `killAfterMs`, sends it SIGKILL after that long (if it still runs). */
export function runNsm(args: readonly string[], options: { killAfterMs?: number } = {}): Promise<NsmExit> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(REPO, 'bin', 'nsm.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started, stdout, stderr });
    });
  });
}

/** Fails with the process's output when it did not exit 0. */
export function expectOk(exit: NsmExit, what: string): void {
  if (exit.code !== 0) throw new Error(`${what}: exit ${exit.code ?? exit.signal}\n${exit.stderr}\n${exit.stdout.slice(-2000)}`);
}

/**
 * Every file of the results that must be identical to the reference: each night's rows and
 * latest.json. The project's own folder (alert texts name the report's path) reads `<project>`.
 */
export function resultsDigest(results: string): Map<string, string> {
  const digest = new Map<string, string>();
  const project = dirname(results);
  for (const folder of ['metrics', 'candidates', 'alerts']) {
    const root = join(results, folder);
    if (!existsSync(root)) continue;
    for (const night of readdirSync(root).sort()) {
      for (const file of readdirSync(join(root, night))) {
        digest.set(`${folder}/${night}/${file}`, readFileSync(join(root, night, file), 'utf8').replaceAll(project, '<project>'));
      }
    }
  }
  const latest = join(results, 'latest.json');
  if (existsSync(latest)) digest.set('latest.json', readFileSync(latest, 'utf8'));
  return digest;
}

/** The keys whose content differs between two digests (or exist in one only). */
export function digestDifferences(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((k) => a.get(k) !== b.get(k));
}

/** How often each alert went out, by `alert_id`, from the local notifier's outbox. */
export function outboxCounts(results: string): Map<string, number> {
  const counts = new Map<string, number>();
  const path = join(results, 'outbox', 'alerts.jsonl');
  if (!existsSync(path)) return counts;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const id = (JSON.parse(line) as { alert_id: string }).alert_id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Alerts of the reference missing from `counts`, and extra deliveries beyond one each (and alerts the reference never sent). */
export function compareAlerts(reference: ReadonlyMap<string, number>, counts: ReadonlyMap<string, number>) {
  const lost = [...reference.keys()].filter((id) => !counts.has(id));
  const duplicates = [...counts].reduce((sum, [, n]) => sum + Math.max(0, n - 1), 0);
  const unexpected = [...counts.keys()].filter((id) => !reference.has(id));
  return { lost, duplicates, unexpected };
}

/**
 * Claims a killed run left without a marker (`alerts-sent/dt=D/<id>.claim-N`, no `<id>.json`), split
 * by whether the outbox holds that attempt: `delivered` ones are what SNS — which keeps no such
 * record — would send twice; `undelivered` ones are simply sent by the next run.
 */
export function pendingClaims(results: string): { delivered: number; undelivered: number } {
  const root = join(results, 'alerts-sent');
  const outbox = join(results, 'outbox', 'alerts.jsonl');
  const sent = existsSync(outbox) ? readFileSync(outbox, 'utf8') : '';
  let delivered = 0;
  let undelivered = 0;
  if (!existsSync(root)) return { delivered, undelivered };
  for (const night of readdirSync(root)) {
    const names = readdirSync(join(root, night));
    // The newest claim of each alert without a marker: the attempt that was cut off.
    const newest = new Map<string, string>();
    for (const name of names) {
      const m = /^(.+)\.claim-(\d+)$/.exec(name);
      if (!m || names.includes(`${m[1]}.json`)) continue;
      const seen = newest.get(m[1]!);
      if (!seen || Number(seen.slice(seen.lastIndexOf('-') + 1)) < Number(m[2])) newest.set(m[1]!, name);
    }
    for (const claim of newest.values()) {
      if (sent.includes(`"attempt":${JSON.stringify(`alerts-sent/${night}/${claim}`)}`)) delivered++;
      else undelivered++;
    }
  }
  return { delivered, undelivered };
}

/** Files anywhere under `dir` whose names say they are temporary (a killed write's leftovers). */
export function temporaryFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.tmp') || /\.partial-\d+$/.test(name)) found.push(relative(dir, path));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

/** The data files of `kind`'s state for `day`, whatever the state layout names its folder (`dt=D`, `D.<build>`). */
export function stateFiles(results: string, kind: 'daily' | 'entries', day: string): string[] {
  const root = join(results, 'state', kind);
  if (!existsSync(root)) return [];
  const folders = readdirSync(root).filter((name) => name === `dt=${day}` || name.startsWith(`${day}.`));
  return folders.flatMap((f) =>
    readdirSync(join(root, f))
      .filter((name) => name.endsWith('.parquet'))
      .map((name) => join(root, f, name)),
  );
}

/** Copies `from`'s state file over `to`'s (the one a day's manifest names): the swapped-file fault. */
export function swapStateFile(results: string, kind: 'daily' | 'entries', from: string, to: string): void {
  const [source] = stateFiles(results, kind, from);
  const targets = stateFiles(results, kind, to);
  if (!source || targets.length === 0) throw new Error(`no state files for ${kind} ${from} or ${to} under ${results}`);
  for (const target of targets) copyFileSync(source, target);
}

/** Cuts `metrics/dt=D/metrics.jsonl` short mid-line (as a full disk or a killed copy leaves it). */
export function cutHistoryFile(results: string, dt: string): void {
  const path = join(results, 'metrics', `dt=${dt}`, 'metrics.jsonl');
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
}

/** The night's run.json. */
export function runRecord(
  results: string,
  dt: string,
): { status: string; warnings: { code: string; dt: string | null }[]; history_unusable: string[] } {
  return JSON.parse(readFileSync(join(results, 'runs', `dt=${dt}`, 'run.json'), 'utf8'));
}

/**
 * Runs `args` with `kills` SIGKILLs at random moments in (0.15·typicalMs, typicalMs), each followed
 * by another attempt, and finally one attempt left to finish. Returns how many kills hit a live
 * process (a process that ended before its kill was not faulted), the final exit, and (given the
 * results folder) how many kills fell between an alert's delivery and its marker.
 */
export async function runWithKills(
  args: readonly string[],
  kills: number,
  typicalMs: number,
  rnd: () => number,
  results?: string,
): Promise<{ injected: number; final: NsmExit; cutBetweenSendAndMarker: number }> {
  let injected = 0;
  let cutBetweenSendAndMarker = 0;
  for (let i = 0; i < kills; i++) {
    const at = Math.round(typicalMs * (0.15 + 0.85 * rnd()));
    const exit = await runNsm(args, { killAfterMs: at });
    if (exit.signal === 'SIGKILL') {
      injected++;
      if (results) cutBetweenSendAndMarker += pendingClaims(results).delivered;
    } else expectOk(exit, `${args.join(' ')} (meant to be killed at ${at} ms, it ended first)`);
  }
  const final = await runNsm(args);
  expectOk(final, `${args.join(' ')} after ${injected} kills`);
  return { injected, final, cutBetweenSendAndMarker };
}
