import { describe, expect, it } from 'vitest';
import { classifyReads, parseStraceLog } from '../../../bench/strace-reads';

// Lines in the shape `strace -f -qq -y -s 0 -o LOG` writes them (taken from a real night's log,
// paths shortened): complete calls, calls split by another thread into unfinished/resumed, and a
// failed read.
const LAKE = '/b/lake';
const RESULTS = '/b/run/results';
const LOG = [
  `3622  openat(AT_FDCWD</w>, "${LAKE}/dt=2024-06-29", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 25<${LAKE}/dt=2024-06-29>`,
  `3621  openat(AT_FDCWD</w>, "${LAKE}/dt=2024-06-30/part-0.jsonl.gz", O_RDONLY) = 25<${LAKE}/dt=2024-06-30/part-0.jsonl.gz>`,
  `3621  read(25<${LAKE}/dt=2024-06-30/part-0.jsonl.gz>, ""..., 10) = 10`,
  `3621  read(25<${LAKE}/dt=2024-06-30/part-0.jsonl.gz>, ""..., 32768) = 10602`,
  `3621  read(25<${LAKE}/dt=2024-06-30/part-0.jsonl.gz>, ""..., 32768) = 0`,
  `3630  openat(AT_FDCWD</w>, "${LAKE}/dt=2024-06-29/part-0.jsonl.gz", O_RDONLY <unfinished ...>`,
  `3630  <... openat resumed>)             = 27<${LAKE}/dt=2024-06-29/part-0.jsonl.gz>`,
  `3630  read(27<${LAKE}/dt=2024-06-29/part-0.jsonl.gz>,  <unfinished ...>`,
  `3622  pread64(26<${LAKE}/dt=2024-06-28/data_0.parquet>, ""..., 8, 20000) = 8`,
  `3630  <... read resumed>""..., 32768) = 32768`,
  `3622  read(28<${RESULTS}/metrics/dt=2024-06-23/metrics.jsonl>, ""..., 65536) = 1999`,
  `3622  read(29</usr/lib/node_modules/x.js>, ""..., 4096) = 4096`,
  `3622  read(30<${LAKE}/dt=2024-06-27/part-0.jsonl.gz>, ""..., 4096) = -1 EAGAIN (Resource temporarily unavailable)`,
  `3622  read(31<${LAKE}/README.txt>, ""..., 4096) = 100`,
  '3621  +++ exited with 0 +++',
].join('\n');

describe('parseStraceLog', () => {
  const trace = parseStraceLog(LOG);

  it('sums returned bytes per path, joining resumed calls to their thread’s unfinished call', () => {
    expect(trace.reads.get(`${LAKE}/dt=2024-06-30/part-0.jsonl.gz`)).toEqual({ bytes: 10612, calls: 3 });
    expect(trace.reads.get(`${LAKE}/dt=2024-06-29/part-0.jsonl.gz`)).toEqual({ bytes: 32768, calls: 1 });
    expect(trace.reads.get(`${LAKE}/dt=2024-06-28/data_0.parquet`)).toEqual({ bytes: 8, calls: 1 });
  });

  it('counts a failed read as a call with no bytes', () => {
    expect(trace.reads.get(`${LAKE}/dt=2024-06-27/part-0.jsonl.gz`)).toEqual({ bytes: 0, calls: 1 });
  });

  it('records opened paths, including resumed openat calls', () => {
    expect(trace.opened.has(`${LAKE}/dt=2024-06-29/part-0.jsonl.gz`)).toBe(true);
    expect(trace.opened.has(`${LAKE}/dt=2024-06-30/part-0.jsonl.gz`)).toBe(true);
    expect(trace.opened.has(`${LAKE}/dt=2024-06-29`)).toBe(true);
  });
});

describe('classifyReads', () => {
  const c = classifyReads(parseStraceLog(LOG), LAKE, RESULTS, 'dt');

  it('keeps lake files with bytes read, with their partition', () => {
    expect(c.lake).toEqual([
      { path: `${LAKE}/dt=2024-06-28/data_0.parquet`, partition: '2024-06-28', bytes: 8 },
      { path: `${LAKE}/dt=2024-06-29/part-0.jsonl.gz`, partition: '2024-06-29', bytes: 32768 },
      { path: `${LAKE}/dt=2024-06-30/part-0.jsonl.gz`, partition: '2024-06-30', bytes: 10612 },
    ]);
  });

  it('keeps results-store reads apart and ignores everything else', () => {
    expect(c.results).toEqual([{ path: `${RESULTS}/metrics/dt=2024-06-23/metrics.jsonl`, bytes: 1999 }]);
  });

  it('counts opened data files, not partition folders', () => {
    expect(c.lakeOpened).toBe(2);
  });

  it('does not take a sibling folder with the same prefix for the lake', () => {
    const other = classifyReads(parseStraceLog(`1 read(3</b/lake2/dt=2024-06-30/x.json>, ""..., 9) = 9`), LAKE, RESULTS, 'dt');
    expect(other.lake).toEqual([]);
  });
});
