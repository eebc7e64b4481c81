/** What the benchmark ran on: printed with every result, because a timing means nothing without it. */

import { readFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly loadAverage: readonly number[];
  readonly kernel: string;
  readonly node: string;
  readonly duckdb: string;
}

export async function machineInfo(repoRoot: string): Promise<MachineInfo> {
  const cpu = cpus();
  const pkg = JSON.parse(await readFile(`${repoRoot}/node_modules/@duckdb/node-api/package.json`, 'utf8').catch(() => '{}')) as {
    version?: string;
  };
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    kernel: release(),
    node: process.version,
    duckdb: `@duckdb/node-api ${pkg.version ?? '?'}`,
  };
}

/** One line: `2 cores (AMD EPYC …), 23.4 GiB memory, load 1.20 0.90 0.70, Linux 6.1, node v20…`. */
export function describeMachine(m: MachineInfo): string {
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  return `${m.cores} cores (${m.cpu}), ${gib(m.memoryBytes)} memory (${gib(m.freeMemoryBytes)} free), load average ${m.loadAverage.join(' ')}, Linux ${m.kernel}, node ${m.node}, ${m.duckdb}`;
}
