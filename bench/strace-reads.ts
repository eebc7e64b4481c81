/**
 * Bytes a process actually read, per file, from an `strace -f -y` log: the local stand-in for
 * Athena's "bytes scanned" (target 4 of docs/performance.md). Counting read syscalls rather than listing the
 * partitions a query names measures whatever the pipeline does — lake partitions, Parquet
 * footers, incremental state, earlier nights' results — without knowing how it does it.
 *
 * The log comes from `strace -f -qq -y -s 0 -e trace=openat,read,pread64,readv,preadv,preadv2`;
 * `-y` prints the path behind each file descriptor, `-f` follows DuckDB's worker threads, whose
 * calls strace may split into an `<unfinished ...>` line and a later `<... resumed>` line.
 */

export interface FileReads {
  /** Bytes returned by read-family calls on the file. */
  bytes: number;
  calls: number;
}

const READS = 'read|pread64|readv|preadv|preadv2';
const COMPLETE = new RegExp(`^(?:\\[pid\\s+)?(\\d+)\\]?\\s+(?:${READS})\\(\\d+<([^>]*)>,.*\\)\\s+=\\s+(-?\\d+)`);
const UNFINISHED = new RegExp(`^(?:\\[pid\\s+)?(\\d+)\\]?\\s+(?:${READS})\\(\\d+<([^>]*)>,.*<unfinished \\.\\.\\.>\\s*$`);
const RESUMED = new RegExp(`^(?:\\[pid\\s+)?(\\d+)\\]?\\s+<\\.\\.\\. (?:${READS}) resumed>.*\\)\\s+=\\s+(-?\\d+)`);
const OPENED = /^(?:\[pid\s+)?(\d+)\]?\s+(?:openat\(|<\.\.\. openat resumed>).*\)\s+=\s+\d+<([^>]*)>/;

export interface TraceSummary {
  /** Path -> bytes read and calls (only files with at least one read call). */
  readonly reads: Map<string, FileReads>;
  /** Every path opened successfully (read or not). */
  readonly opened: Set<string>;
}

/** Parses an strace log (see the module comment for the flags it expects). */
export function parseStraceLog(text: string): TraceSummary {
  const reads = new Map<string, FileReads>();
  const opened = new Set<string>();
  const pending = new Map<string, string>();
  const add = (path: string, ret: number) => {
    const entry = reads.get(path) ?? { bytes: 0, calls: 0 };
    entry.calls++;
    if (ret > 0) entry.bytes += ret;
    reads.set(path, entry);
  };
  for (const line of text.split('\n')) {
    let m = COMPLETE.exec(line);
    if (m) {
      add(m[2]!, Number(m[3]));
      continue;
    }
    m = UNFINISHED.exec(line);
    if (m) {
      pending.set(m[1]!, m[2]!);
      continue;
    }
    m = RESUMED.exec(line);
    if (m) {
      const path = pending.get(m[1]!);
      pending.delete(m[1]!);
      if (path !== undefined) add(path, Number(m[2]));
      continue;
    }
    m = OPENED.exec(line);
    if (m) opened.add(m[2]!);
  }
  return { reads, opened };
}

export interface ReadFile {
  readonly path: string;
  readonly bytes: number;
}

export interface ClassifiedReads {
  /** Lake data files read, with the partition value (`2024-06-30`) each lies in. */
  readonly lake: ReadonlyArray<ReadFile & { readonly partition: string }>;
  /** Files under the results folder read (earlier nights, incremental state). */
  readonly results: readonly ReadFile[];
  /** Lake data files opened (partition folders excluded), whether read or not. */
  readonly lakeOpened: number;
}

/**
 * Splits the reads between the lake (`<lakeRoot>/<partition>=<value>/…`) and the results store
 * (`<resultsRoot>/…`); everything else (Node modules, shared libraries) is ignored.
 * Roots must be real absolute paths, as strace prints them.
 */
export function classifyReads(trace: TraceSummary, lakeRoot: string, resultsRoot: string, partitionKey: string): ClassifiedReads {
  const under = (root: string, path: string) => path.startsWith(root.endsWith('/') ? root : `${root}/`);
  const partitionOf = (path: string): string | null => {
    const rel = path.slice(lakeRoot.replace(/\/$/, '').length + 1);
    const first = rel.split('/')[0] ?? '';
    return first.startsWith(`${partitionKey}=`) ? first.slice(partitionKey.length + 1) : null;
  };
  const lake: Array<ReadFile & { partition: string }> = [];
  const results: ReadFile[] = [];
  for (const [path, r] of [...trace.reads].sort(([a], [b]) => a.localeCompare(b))) {
    if (under(lakeRoot, path)) {
      const partition = partitionOf(path);
      if (partition !== null && r.bytes > 0) lake.push({ path, partition, bytes: r.bytes });
    } else if (under(resultsRoot, path) && r.bytes > 0) {
      results.push({ path, bytes: r.bytes });
    }
  }
  // Files only: listing the lake opens every partition folder too, which reads no data.
  const isPartitionFile = (p: string) => partitionOf(p) !== null && p.slice(lakeRoot.replace(/\/$/, '').length + 1).includes('/');
  const lakeOpened = [...trace.opened].filter((p) => under(lakeRoot, p) && isPartitionFile(p)).length;
  return { lake, results, lakeOpened };
}
