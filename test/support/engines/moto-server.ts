/**
 * moto's server (`moto_server`, from the virtual environment tools.ts installs) on 127.0.0.1 and a
 * free port: S3 and SNS (and every other service moto emulates) on one endpoint, in memory.
 *
 * What moto does and does not do, as checked for this suite (moto 5.2.5):
 * - S3: conditional writes (`If-None-Match: *` on an existing key answers 412
 *   PreconditionFailed), ListObjectsV2 paging with continuation tokens, content types. It cannot
 *   be asked to answer 409 ConditionalRequestConflict: recording-proxy.ts injects that.
 * - SNS: topics, Publish with MessageStructure `json`, message attributes (an empty value is
 *   rejected as by SNS), an unknown topic is NotFound, a subject over 100 characters is rejected.
 *   `MessageStructure: json` is parsed per subscription only (a message without `default` is
 *   rejected when a subscription has to fall back to it), so the suites subscribe an SQS queue.
 *   Not checked by moto: a subject with control characters or blank; email and SMS are not
 *   delivered anywhere (moto records the published message; SMS length is ours to check).
 *   What was published is read back from moto's own inspection API (`/moto-api/data.json`).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestTools } from './tools';

export interface MotoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  stop(): Promise<void>;
  /** SIGKILL at once (for a process exit hook, which cannot wait). */
  kill(): void;
}

export async function startMoto(tools: TestTools): Promise<MotoServer> {
  // Port 0: the server picks a free port and prints it ("Running on http://127.0.0.1:PORT").
  const child = spawn(join(tools.pythonBin, 'moto_server'), ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto_server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited during start-up:\n${output}`));
    });
  });
  // Keep draining its request log so the pipe never fills.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
