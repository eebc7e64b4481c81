/**
 * The HTTP plumbing of the loopback servers (fake-athena-server.ts, engines/recording-proxy.ts): a
 * server on 127.0.0.1 and a free port, its endpoint URL for the SDK client, reading a request
 * body, an error to answer with, and a close that also drops open connections (a client still
 * holding a keep-alive or a hanging request would otherwise delay `close`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export class LoopbackServer {
  private readonly server: Server;

  /** A server that is not listening yet; `handle` is called for each request. */
  constructor(handle: Handler) {
    this.server = createServer((req, res) => void handle(req, res));
  }

  /** Listens on 127.0.0.1 and a free port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** `http://127.0.0.1:<port>` for the client's `endpoint`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The whole request body (empty when there is none). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A service error to answer with: HTTP status and the service's error code. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
