/**
 * Runs a command as a child process and measures it from outside: wall-clock time from spawn to
 * exit, and peak resident memory from the kernel's rusage (through GNU time's `%M`, or, where
 * /usr/bin/time is missing, a python3 wrapper reading `RUSAGE_CHILDREN.ru_maxrss`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildResult {
  readonly wallMs: number;
  /** Peak RSS in bytes, or null when it could not be measured. */
  readonly maxRssBytes: number | null;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

const GNU_TIME = '/usr/bin/time';
const PY_WRAPPER =
  'import resource,subprocess,sys\n' +
  'rc = subprocess.call(sys.argv[2:])\n' +
  'open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n' +
  'sys.exit(rc)\n';

/** How peak RSS is measured on this machine. */
export const rssMethod = () => (existsSync(GNU_TIME) ? 'GNU time %M' : 'python3 RUSAGE_CHILDREN');

/** Runs `command args…` and resolves when it exits (any exit code). */
export async function measureChild(command: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildResult> {
  const dir = await mkdtemp(join(tmpdir(), 'nsm-bench-'));
  const rssFile = join(dir, 'rss');
  const [cmd, argv] = existsSync(GNU_TIME)
    ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]]
    : ['python3', ['-c', PY_WRAPPER, rssFile, command, ...args]];
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (c) =>
        resolve({ code: c, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
    });
    const wallMs = performance.now() - started;
    const kb = Number.parseInt((await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '', 10);
    return { wallMs, maxRssBytes: Number.isFinite(kb) ? kb * 1024 : null, code, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Throws with the command's stderr when it did not exit 0. */
export function expectSuccess(what: string, r: ChildResult): ChildResult {
  if (r.code !== 0) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what} exited ${r.code}:\n${tail}`);
  }
  return r;
}
