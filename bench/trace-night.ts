/**
 * Bytes a night reads: one extra (untimed) run of the night under strace, its read calls summed
 * per file and split between the lake and the results store (see `strace-reads.ts`).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectSuccess, measureChild } from './child';
import { type Deployment, resetRunResults } from './deployment';
import { type ClassifiedReads, classifyReads, parseStraceLog } from './strace-reads';

const STRACE = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p)) ?? null;

/** Whether bytes read can be measured here (`apt-get install strace` otherwise). */
export const straceAvailable = () => STRACE !== null;

export interface NightReads extends ClassifiedReads {
  /** Partition values whose files the night read. */
  readonly partitions: readonly string[];
  readonly lakeBytes: number;
  readonly resultsBytes: number;
}

/** Runs night D of `dep` (with the nsm checkout at `nsmDir`) under strace from a fresh copy of the prepared results. */
export async function traceNight(dep: Deployment, nsmDir: string): Promise<NightReads> {
  if (!STRACE) throw new Error('strace is not installed');
  await resetRunResults(dep);
  const dir = await mkdtemp(join(tmpdir(), 'nsm-bench-trace-'));
  const log = join(dir, 'strace.log');
  try {
    expectSuccess(
      `nsm run under strace (${dep.name})`,
      await measureChild(
        STRACE,
        [
          '-f',
          '-qq',
          '-y',
          '-s',
          '0',
          '-e',
          'trace=openat,read,pread64,readv,preadv,preadv2',
          '-o',
          log,
          process.execPath,
          'bin/nsm.js',
          'run',
          '--config',
          dep.configPath,
          '--date',
          dep.night,
        ],
        // libuv could move file reads to io_uring, which strace does not see as read calls.
        { cwd: nsmDir, env: { ...process.env, UV_USE_IO_URING: '0' } },
      ),
    );
    const classified = classifyReads(
      parseStraceLog(await readFile(log, 'utf8')),
      await realpath(dep.lakeDir),
      await realpath(dep.runResults),
      'dt',
    );
    return {
      ...classified,
      partitions: [...new Set(classified.lake.map((f) => f.partition))].sort(),
      lakeBytes: classified.lake.reduce((s, f) => s + f.bytes, 0),
      resultsBytes: classified.results.reduce((s, f) => s + f.bytes, 0),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
