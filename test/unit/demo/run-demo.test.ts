import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/core/errors';
import { runDemo } from '../../../functions/demo/run-demo';

// The guards run before anything is generated; the full run is in test/integration/demo-lake.test.ts.
let dir: string;
const lines: string[] = [];
const opts = () => ({ dir, events: 2_000, endDay: '2025-06-30', log: (l: string) => void lines.push(l) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsm-run-demo-'));
  lines.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runDemo guards', () => {
  it('refuses a folder whose nsm.config.yaml it did not write, writing nothing', async () => {
    await writeFile(join(dir, 'nsm.config.yaml'), 'version: 1\n# my real config\n');
    const run = runDemo(opts());
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(runDemo(opts())).rejects.toThrow(/nsm\.config\.yaml: exists and was not written by nsm demo/);
    expect(await readdir(dir)).toEqual(['nsm.config.yaml']);
    expect(await readFile(join(dir, 'nsm.config.yaml'), 'utf8')).toBe('version: 1\n# my real config\n');
    expect(lines).toEqual([]);
  });

  it('refuses a results folder holding files nsm does not write, writing nothing', async () => {
    await mkdir(join(dir, 'results'));
    await writeFile(join(dir, 'results', 'quarterly.xlsx'), 'x');
    await expect(runDemo(opts())).rejects.toThrow(/results: holds quarterly\.xlsx, which nsm does not write/);
    expect((await readdir(dir)).sort()).toEqual(['results']);
  });

  it('refuses a lake folder that is not an earlier demo lake', async () => {
    await mkdir(join(dir, 'lake'));
    await writeFile(join(dir, 'lake', 'events.csv'), 'x');
    await expect(runDemo(opts())).rejects.toThrow(/lake: holds events\.csv besides dt= partitions/);
    expect(await readdir(join(dir, 'lake'))).toEqual(['events.csv']);
  });

  it('rejects a malformed endDay', async () => {
    await expect(runDemo({ ...opts(), endDay: '30/06/2025' })).rejects.toThrow(/endDay: '30\/06\/2025' is not a date/);
  });
});
