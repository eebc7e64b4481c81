/**
 * Installs the real engines the engine suites run against, on first use, into a per-user cache
 * outside the clone (`$NSM_TEST_CACHE`, else `$XDG_CACHE_HOME/nsm-nightly`, else
 * `~/.cache/nsm-nightly`), so every clone on the machine — CI's fresh one included — reuses them:
 *
 * - Trino: `trino-server-core` (the server without connectors) and the Hive connector plugin, both
 *   from Maven Central, each checked against the SHA-1 Maven Central publishes beside it (pinned
 *   below), unpacked into `trino-<version>/` with every other plugin removed (fewer plugins, faster
 *   start-up). The full `trino-server` tarball is 820 MB; these two are 450 MB.
 * - A Python virtual environment with moto (S3 and SNS) and cfn-lint, pinned by
 *   `requirements.txt` + `constraints.txt` beside this file; its folder name carries a hash of both,
 *   so a change of pins installs a new one beside the old.
 *
 * Each install happens in a temporary folder renamed into place when complete (or, for the
 * virtual environment, whose scripts hold absolute paths, is marked complete by a stamp file last),
 * under a lock folder, so two test runs starting at once install once and never see half a tool.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Trino release the suites run: the newest on Maven Central that this machine's JDK 25 runs. */
export const TRINO_VERSION = '476';
/** Trino 476 is built for Java 24 and needs Java 24 or newer to run: older JDKs are not used. */
export const TRINO_MIN_JAVA = 24;

const MAVEN = 'https://repo1.maven.org/maven2/io/trino';
/** Artifacts and the SHA-1 Maven Central publishes for each (`<url>.sha1`). */
const TRINO_ARTIFACTS = {
  server: {
    url: `${MAVEN}/trino-server-core/${TRINO_VERSION}/trino-server-core-${TRINO_VERSION}.tar.gz`,
    sha1: '6bae2db438f8e6a2a8d9c8b566bb5e5b05870138',
  },
  hive: {
    url: `${MAVEN}/trino-hive/${TRINO_VERSION}/trino-hive-${TRINO_VERSION}.zip`,
    sha1: '7b2a4b6468ebf92b47cf096d43c4133eea88ae20',
  },
} as const;

export interface TestTools {
  /** `…/trino-476`: `lib/` and `plugin/hive/`. */
  readonly trinoHome: string;
  /** A JDK that runs this Trino. */
  readonly javaHome: string;
  /** `…/venv-<hash>/bin`: `moto_server`, `cfn-lint`. */
  readonly pythonBin: string;
}

/** The per-user cache folder (see the module comment). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NSM_TEST_CACHE) return env.NSM_TEST_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nsm-nightly');
}

/** Installs what is missing and returns where everything is. `log` reports what is being installed. */
export async function ensureTestTools(log: (line: string) => void = () => undefined): Promise<TestTools> {
  const cache = cacheDir();
  await mkdir(cache, { recursive: true });
  const javaHome = findJava();
  return withLock(join(cache, '.install-lock'), async () => ({
    javaHome,
    trinoHome: await ensureTrino(cache, log),
    pythonBin: await ensurePythonTools(cache, log),
  }));
}

/**
 * A JDK >= TRINO_MIN_JAVA: `NSM_TEST_JAVA_HOME`, else `JAVA_HOME`, else the newest under
 * /usr/lib/jvm. The version comes from the JDK's `release` file.
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const major = (home: string): number => {
    try {
      const m = /^JAVA_VERSION="(\d+)/m.exec(readFileSync(join(home, 'release'), 'utf8'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  };
  const explicit = env.NSM_TEST_JAVA_HOME || env.JAVA_HOME;
  if (explicit && major(explicit) >= TRINO_MIN_JAVA) return explicit;
  const jvms = existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').map((d) => join('/usr/lib/jvm', d)) : [];
  const best = jvms.map((home) => ({ home, v: major(home) })).sort((a, b) => b.v - a.v)[0];
  if (best && best.v >= TRINO_MIN_JAVA) return best.home;
  throw new Error(
    `the engine suites run Trino ${TRINO_VERSION}, which needs Java ${TRINO_MIN_JAVA} or newer; none found ` +
      `(looked at NSM_TEST_JAVA_HOME, JAVA_HOME and /usr/lib/jvm/*). Install a JDK ${TRINO_MIN_JAVA}+ and set NSM_TEST_JAVA_HOME.`,
  );
}

async function ensureTrino(cache: string, log: (line: string) => void): Promise<string> {
  const home = join(cache, `trino-${TRINO_VERSION}`);
  if (existsSync(join(home, 'plugin', 'hive'))) return home;
  const downloads = join(cache, 'downloads');
  await mkdir(downloads, { recursive: true });
  const files: Record<keyof typeof TRINO_ARTIFACTS, string> = { server: '', hive: '' };
  for (const [name, artifact] of Object.entries(TRINO_ARTIFACTS) as [keyof typeof TRINO_ARTIFACTS, { url: string; sha1: string }][]) {
    const file = join(downloads, artifact.url.split('/').pop()!);
    if (!existsSync(file) || (await sha1(file)) !== artifact.sha1) {
      log(`downloading ${artifact.url}`);
      await download(artifact.url, `${file}.part`);
      const got = await sha1(`${file}.part`);
      if (got !== artifact.sha1) {
        await rm(`${file}.part`, { force: true });
        throw new Error(`${artifact.url}: SHA-1 ${got}, expected ${artifact.sha1}`);
      }
      await rename(`${file}.part`, file);
    }
    files[name] = file;
  }
  log(`unpacking Trino ${TRINO_VERSION} into ${home}`);
  const partial = `${home}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await run('tar', ['-xzf', files.server, '-C', partial, '--strip-components=1']);
  // The core tarball's own plugins (geospatial, exchange and spooling file systems, Python
  // functions, …) are not used: only the Hive connector is installed.
  await rm(join(partial, 'plugin'), { recursive: true, force: true });
  await mkdir(join(partial, 'plugin'));
  // Python's zipfile rather than unzip(1), which a fresh machine may lack.
  await run('python3', ['-m', 'zipfile', '-e', files.hive, join(partial, 'plugin')]);
  await rename(join(partial, 'plugin', `trino-hive-${TRINO_VERSION}`), join(partial, 'plugin', 'hive'));
  await rename(partial, home);
  return home;
}

async function ensurePythonTools(cache: string, log: (line: string) => void): Promise<string> {
  const here = import.meta.dirname;
  const requirements = join(here, 'requirements.txt');
  const constraints = join(here, 'constraints.txt');
  const hash = createHash('sha256').update(readFileSync(requirements)).update(readFileSync(constraints)).digest('hex').slice(0, 12);
  const venv = join(cache, `venv-${hash}`);
  const stamp = join(venv, '.nsm-complete');
  if (existsSync(stamp)) return join(venv, 'bin');
  log(`installing moto and cfn-lint into ${venv} (a few minutes, once)`);
  await rm(venv, { recursive: true, force: true });
  const python = process.env.NSM_TEST_PYTHON || 'python3';
  await run(python, ['-m', 'venv', venv]);
  await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements, '-c', constraints], {
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(stamp, `${new Date().toISOString()}\n`);
  return join(venv, 'bin');
}

async function download(url: string, file: string): Promise<void> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status}`);
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
}

async function sha1(file: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Runs `fn` holding a lock folder. A lock whose owner process is gone is taken over; a live one
 * is waited for (another test run installing), up to 20 minutes.
 */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readPid(join(lock, 'pid')));
      const alive = Number.isInteger(owner) && owner > 0 && isAlive(owner);
      // A lock folder younger than a few seconds may not have its pid file yet.
      const young = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: 0 }))).mtimeMs < 5_000;
      if (!alive && !young) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: held by process ${owner} for 20 minutes`);
      else await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function readPid(file: string): Promise<string> {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
