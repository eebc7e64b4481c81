/** The parts of s3rver 3.x (no bundled types) that test/support/s3-server.ts uses. */
declare module 's3rver' {
  import type { Server } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** Koa's context, as far as our middleware reads it. */
  interface S3rverStore {
    existsObject(bucket: string, key: string): Promise<boolean>;
    putObject(object: unknown): Promise<{ size: number; md5: string }>;
  }

  interface S3rverContext {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, string | undefined>;
    status: number;
    body: unknown;
    type: string;
    set(field: string, value: string): void;
    store: S3rverStore;
  }

  type Middleware = (ctx: S3rverContext, next: () => Promise<void>) => Promise<void>;

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware list (composed when the server starts listening). */
    middleware: Middleware[];
    httpServer: Server;
    store: S3rverStore;
    run(): Promise<{ address: string; port: number; family: string }>;
    close(): Promise<void>;
  }
}
