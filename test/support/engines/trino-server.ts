/**
 * A single-node Trino on 127.0.0.1 for the engine suites: coordinator and worker in one JVM, no
 * catalog of its own. Each suite creates a Hive catalog (`hiveCatalogSql`): the Hive connector with
 * a file metastore in the suite's folder and the native S3 file system pointed at the moto server,
 * so tables live at the same `s3://` locations as the Glue tables of the stack.
 *
 * Catalog settings that make it behave as Athena does for our tables (each is needed, and each is
 * what Athena does):
 * - `hive.ignore-absent-partitions=true`: a projected day whose folder has no objects is empty,
 *   not an error (Athena's partition projection never checks that a folder exists);
 * - `hive.non-managed-table-writes-enabled=true`: UNLOAD's stand-in (CREATE TABLE AS with an
 *   `external_location`, see trino-athena.ts) writes into a folder the table does not own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cacheDir, type TestTools, TRINO_VERSION } from './tools';

export interface TrinoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** The server's folder (config, `server.log`). */
  readonly dir: string;
  /** Resolves when the server answers queries; rejects (with the log's tail) if it dies first. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
  /** SIGKILL at once (for a process exit hook, which cannot wait). */
  kill(): void;
}

export interface TrinoServerOptions {
  readonly tools: TestTools;
  /** Working folder (config, metastore, log). */
  readonly dir: string;
  /** JVM heap. @default '1G' */
  readonly heap?: string;
}

/** A free TCP port on 127.0.0.1 (Trino's HTTP server takes a fixed port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `CREATE CATALOG <name> USING hive …`: a Hive catalog with its file metastore in
 * `<root>/metastore`, reading and writing `s3://` locations on `s3Endpoint`.
 */
export function hiveCatalogSql(name: string, root: string, s3Endpoint: string): string {
  const properties: Record<string, string> = {
    'hive.metastore': 'file',
    'hive.metastore.catalog.dir': 'local:///metastore',
    'fs.native-local.enabled': 'true',
    'local.location': root,
    'fs.native-s3.enabled': 'true',
    's3.endpoint': s3Endpoint,
    's3.region': 'us-east-1',
    's3.path-style-access': 'true',
    's3.aws-access-key': 'test',
    's3.aws-secret-key': 'test',
    'hive.ignore-absent-partitions': 'true',
    'hive.non-managed-table-writes-enabled': 'true',
    // Speed only, no change of results: no column statistics computed by each CREATE TABLE AS (an
    // extra aggregation and metastore write per UNLOAD; Athena's UNLOAD computes none either) and
    // none read while planning (the cost-based choices they feed do not change a result).
    'hive.collect-column-statistics-on-write': 'false',
    'hive.table-statistics-enabled': 'false',
  };
  const list = Object.entries(properties).map(([k, v]) => `"${k}" = '${v.replace(/'/g, "''")}'`);
  return `CREATE CATALOG "${name}" USING hive WITH (\n  ${list.join(',\n  ')}\n)`;
}

export async function startTrino(options: TrinoServerOptions): Promise<TrinoServer> {
  const { tools, dir } = options;
  const port = await freePort();
  const etc = join(dir, 'etc');
  mkdirSync(join(etc, 'catalog'), { recursive: true });
  const properties = (entries: Record<string, string | number | boolean>) =>
    `${Object.entries(entries)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`;
  writeFileSync(
    join(etc, 'config.properties'),
    properties({
      coordinator: true,
      'node-scheduler.include-coordinator': true,
      'http-server.http.port': port,
      'discovery.uri': `http://127.0.0.1:${port}`,
      'node.environment': 'nsm_test',
      'node.id': `nsm-test-${process.pid}`,
      'node.bind-ip': '127.0.0.1',
      'node.internal-address': '127.0.0.1',
      'http-server.log.enabled': false,
      // Small data on two shared cores: fewer threads, less scheduling per query.
      'task.concurrency': 2,
      'task.max-writer-count': 1,
      'query.max-memory': '400MB',
      'query.max-memory-per-node': '400MB',
      // Each suite creates its own Hive catalog (CREATE CATALOG, see hiveCatalogSql), so suites
      // running side by side never share a metastore.
      'catalog.management': 'dynamic',
      'catalog.store': 'memory',
    }),
  );
  const log = join(dir, 'server.log');
  const out = createWriteStream(log);
  const java = join(tools.javaHome, 'bin', 'java');
  const child: ChildProcess = spawn(
    java,
    [
      `-Xmx${options.heap ?? '1G'}`,
      // Serial GC: no parallel GC threads competing for two cores on a 1 GB heap.
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      // Class data sharing archive of Trino's classes, written on the first start and reused:
      // the JVM then loads them from a mapped archive instead of thousands of jar entries.
      '-XX:+AutoCreateSharedArchive',
      `-XX:SharedArchiveFile=${join(cacheDir(), `trino-${TRINO_VERSION}.jsa`)}`,
      '-Xlog:cds=off',
      '-Xlog:cds+dynamic=off',
      '-Djdk.attach.allowAttachSelf=true',
      '--enable-native-access=ALL-UNNAMED',
      '--add-opens=java.base/java.nio=ALL-UNNAMED',
      `-Dplugin.dir=${join(tools.trinoHome, 'plugin')}`,
      `-Dconfig=${join(etc, 'config.properties')}`,
      `-Dcatalog.config-dir=${join(etc, 'catalog')}`,
      '-cp',
      `${join(tools.trinoHome, 'lib')}/*`,
      'io.trino.server.TrinoServer',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = `http://127.0.0.1:${port}`;

  const tail = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') : '');
  const ready = (async () => {
    const deadline = Date.now() + 240_000;
    let dead = false;
    void exited.then(() => (dead = true));
    while (Date.now() < deadline) {
      if (dead) throw new Error(`Trino exited during start-up; ${log}:\n${tail()}`);
      try {
        const info = (await (await fetch(`${endpoint}/v1/info`)).json()) as { starting?: boolean };
        if (info.starting === false) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`Trino did not start within 240 s; ${log}:\n${tail()}`);
  })();
  // Nobody may be waiting yet; the rejection is seen by whoever awaits `ready`.
  ready.catch(() => undefined);

  return {
    endpoint,
    dir,
    ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      out.end();
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
