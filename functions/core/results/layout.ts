/**
 * Every key and folder of the results store (docs/design.md §3), and nothing else builds one:
 *
 *   metrics/ segments/ candidates/ sweep/ alerts/ reports/ runs/ latest.json   the public layout other tools read
 *   latest.html                                                                 the index of nights, for people
 *   alerts-sent/dt=D/<kind>-<hash>.json (and .claim-N)                          alerts recorded as sent (exactly once)
 *   state/                                                                      the incremental state: a cache, safe to delete
 *   outbox/alerts.jsonl                                                         what the local notifier "sent"
 *   lease/g<generation>.json                                                    the run lease: one writer at a time
 *   athena-results/                                                             the Athena workgroup's query output (cloud)
 *
 * Keys are relative and `/`-separated, the same in a local folder and under `s3://bucket/prefix`.
 */

/** The top-level folders of the results location. */
export const RESULTS_FOLDERS = {
  metrics: 'metrics',
  segments: 'segments',
  candidates: 'candidates',
  /**
   * Its own folder, not `candidates/dt=D/`: Athena reads every file in a table's folder, so a
   * `sweep.jsonl` beside `candidates.jsonl` would add its rows to the candidates table.
   */
  sweep: 'sweep',
  alerts: 'alerts',
  reports: 'reports',
  runs: 'runs',
  alertsSent: 'alerts-sent',
  state: 'state',
  outbox: 'outbox',
  lease: 'lease',
  athenaResults: 'athena-results',
} as const;

const F = RESULTS_FOLDERS;

export const metricsKey = (dt: string) => `${F.metrics}/dt=${dt}/metrics.jsonl`;
/** One line per (watched metric, dimension, segment); written only when the config has `segments`. */
export const segmentsKey = (dt: string) => `${F.segments}/dt=${dt}/segments.jsonl`;
export const candidatesKey = (dt: string) => `${F.candidates}/dt=${dt}/candidates.jsonl`;
export const sweepKey = (dt: string) => `${F.sweep}/dt=${dt}/sweep.jsonl`;
export const alertsKey = (dt: string) => `${F.alerts}/dt=${dt}/alerts.jsonl`;
export const reportJsonKey = (dt: string) => `${F.reports}/dt=${dt}/report.json`;
export const reportHtmlKey = (dt: string) => `${F.reports}/dt=${dt}/report.html`;
export const runKey = (dt: string) => `${F.runs}/dt=${dt}/run.json`;
/** The night of a `runKey` key (`runs/dt=D/run.json`), or null for any other key. */
export function runNight(key: string): string | null {
  const prefix = `${F.runs}/dt=`;
  const suffix = '/run.json';
  if (!key.startsWith(prefix) || !key.endsWith(suffix)) return null;
  const night = key.slice(prefix.length, key.length - suffix.length);
  return /^\d{4}-\d{2}-\d{2}$/.test(night) ? night : null;
}
/** `{"dt": …, "report": …}`: the newest night, written last. */
export const LATEST_KEY = 'latest.json';
/** The index of nights for people: the last 90 nights, newest first, each linking its report. */
export const LATEST_HTML_KEY = 'latest.html';
/** The local notifier's outbox (the console notifier appends every alert it prints). */
export const OUTBOX_KEY = `${F.outbox}/alerts.jsonl`;

/**
 * The folder of night `dt`'s "sent" markers and claims (see core/alerts/send-once.ts). Outside
 * `state/`, so that deleting the state cache never makes a re-run send a night's alerts again.
 */
export const sentMarkersPrefix = (dt: string) => `${F.alertsSent}/dt=${dt}/`;
/** The marker that alert `id` (`<kind>-<16 hex>`, core/alerts/marker.ts) of night `dt` was sent: the alert as sent. */
export const alertMarkerKey = (dt: string, id: string) => `${sentMarkersPrefix(dt)}${id}.json`;
/** The claim of the `generation`-th attempt to send alert `id`; `.claim-N`, so a listing of markers (`.json`) skips it. */
export const alertClaimKey = (dt: string, id: string, generation: number) => `${sentMarkersPrefix(dt)}${id}.claim-${generation}`;

/** The generation of a claim key of alert `id` on `dt`, or undefined for another key. */
export function alertClaimGeneration(dt: string, id: string, key: string): number | undefined {
  const prefix = `${sentMarkersPrefix(dt)}${id}.claim-`;
  const n = key.startsWith(prefix) ? key.slice(prefix.length) : '';
  return /^\d+$/.test(n) ? Number(n) : undefined;
}

/**
 * Where releases before `alerts-sent/` kept night `dt`'s markers: still read, so that an upgraded
 * deployment does not send again what it sent before the upgrade (README, "Upgrading"). Never written.
 */
export const legacySentMarkersPrefix = (dt: string) => `${F.state}/alerts-sent/dt=${dt}/`;
/**
 * The file name releases before hashed alert ids gave a marker, in either folder above:
 * `<kind>--<metric_id>.json`. Only compared with listed names, never read by building the key
 * (for a long metric id the name was longer than a file system allows).
 */
export const legacyMarkerName = (kind: string, scope: string) => `${kind}--${scope}.json`;

/**
 * The relative link from the page at key `from` to the object at key `to`
 * (`reports/dt=D/report.html` → `latest.html` is `../../latest.html`), so pages link each other
 * the same way in a folder, behind a web server or in an S3 website.
 */
export function relativeLink(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

/** The two kinds of incremental state: per-day rollups and first-entry snapshots. */
export type StateKind = 'daily' | 'entries';

/**
 * The folder of the state of `kind`. Each build of one day's state writes a folder of its own,
 * `<day>.<build>/` (Parquet only: a Glue table reads it), and the day's manifest names the build
 * that counts: a query still running from an attempt that was killed writes into its own folder,
 * which nothing reads, instead of beside the retry's files.
 */
export const stateKindFolder = (kind: StateKind) => `${F.state}/${kind}/`;
/** A build id: what `materialize` chose for one build (letters and digits, at most 32). */
export const STATE_BUILD_ID = /^[0-9a-z]{1,32}$/;
/**
 * The name of one build of the state of `kind` for `dt` inside its kind's folder: `<dt>.<build>`.
 * On Athena it is also the value of the state tables' partition column `build` (core/sql/state-tables.ts).
 */
export const stateBuildName = (dt: string, build: string) => `${dt}.${build}`;
/** The folder (with a trailing `/`) of one build of the state of `kind` for `dt`. */
export const stateBuildFolder = (kind: StateKind, dt: string, build: string) => `${stateKindFolder(kind)}${stateBuildName(dt, build)}/`;
/** The prefix every build folder of `kind` for `dt` starts with (to find the builds no manifest names). */
export const stateBuildsPrefix = (kind: StateKind, dt: string) => `${stateKindFolder(kind)}${dt}.`;
/** The build id of a key inside a build folder of `kind` for `dt`, or undefined for another key. */
export function stateBuildOf(kind: StateKind, dt: string, key: string): string | undefined {
  const prefix = stateBuildsPrefix(kind, dt);
  if (!key.startsWith(prefix)) return undefined;
  const build = key.slice(prefix.length).split('/')[0]!;
  return STATE_BUILD_ID.test(build) ? build : undefined;
}
/**
 * The folder of `kind` for `dt` in the layout before build folders (`state/<kind>/dt=D/`): nothing
 * reads it any more, and it is deleted when that day is next built.
 */
export const legacyStateFolderKey = (kind: StateKind, dt: string) => `${stateKindFolder(kind)}dt=${dt}/`;
/** The folder of the manifests of `kind`. */
export const stateManifestsPrefix = (kind: StateKind) => `${F.state}/manifests/${kind}/`;
/** The manifest of the state of `kind` for day `dt`: written around each build, apart from the data. */
export const stateManifestKey = (kind: StateKind, dt: string) => `${stateManifestsPrefix(kind)}dt=${dt}.json`;

/** The day of a manifest key of `kind`, or undefined for another key. */
export function manifestDay(kind: StateKind, key: string): string | undefined {
  const prefix = stateManifestsPrefix(kind);
  if (!key.startsWith(prefix)) return undefined;
  return /^dt=(\d{4}-\d{2}-\d{2})\.json$/.exec(key.slice(prefix.length))?.[1];
}

/** The folder of the run lease's generations (core/lease/run-lease.ts). */
export const LEASE_PREFIX = `${F.lease}/`;
/** Generation `n` of the run lease; zero-padded so that keys sort as numbers. */
export const leaseKey = (generation: number) => `${LEASE_PREFIX}g${String(generation).padStart(10, '0')}.json`;

/** The generation of a lease key, or undefined for another key. */
export function leaseGeneration(key: string): number | undefined {
  const match = /^g(\d{10})\.json$/.exec(key.startsWith(LEASE_PREFIX) ? key.slice(LEASE_PREFIX.length) : '');
  return match ? Number(match[1]) : undefined;
}
