/** `nsm <argv>` in-process, with its output captured: what the CLI tests ask of the command line. */
import type { Env } from '../../functions/adapters/aws-clients';
import { main } from '../../functions/cli/main';

export interface NsmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `nsm <argv>` with the clock at `now` and the environment `env` (empty by default). */
export async function runNsm(argv: readonly string[], now = new Date('2024-01-11T05:00:00Z'), env: Env = {}): Promise<NsmResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    now: () => now,
    env,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
