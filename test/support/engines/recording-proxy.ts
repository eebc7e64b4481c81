/**
 * A loopback HTTP proxy in front of moto, for the few things moto cannot be asked for: it records
 * every request (method, path, query, the headers that matter here, the status that went back)
 * and can answer chosen requests with an injected error instead of forwarding them — S3's 409
 * ConditionalRequestConflict, or SNS failing. Everything else is moto's own answer, byte for byte.
 * (The SDK signs for the proxy's host; moto checks no signatures.)
 */
import { request } from 'node:http';
import { LoopbackServer, readBody } from '../loopback-server';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request body. */
  readonly body: Buffer;
  /** The status sent back (injected or moto's). */
  status: number;
}

interface Injection {
  readonly match: (req: RecordedRequest) => boolean;
  remaining: number;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export class RecordingProxy {
  readonly requests: RecordedRequest[] = [];
  private readonly injections: Injection[] = [];

  private constructor(
    private readonly server: LoopbackServer,
    private readonly target: URL,
  ) {}

  /** A proxy on 127.0.0.1 and a free port, forwarding to `target` (moto's endpoint). */
  static async start(target: string): Promise<RecordingProxy> {
    let proxy!: RecordingProxy;
    const server = new LoopbackServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://proxy');
      const body = await readBody(req);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        // Decoded: an S3 key's `=` arrives as %3D.
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body,
        status: 0,
      };
      proxy.requests.push(recorded);
      const injection = proxy.injections.find((i) => i.remaining > 0 && i.match(recorded));
      if (injection) {
        injection.remaining--;
        recorded.status = injection.status;
        res.writeHead(injection.status, { 'content-type': injection.contentType, 'content-length': Buffer.byteLength(injection.body) });
        res.end(injection.body);
        return;
      }
      return new Promise<void>((resolve) => {
        const upstream = request(
          { host: proxy.target.hostname, port: proxy.target.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            recorded.status = answer.statusCode ?? 0;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => resolve());
          },
        );
        upstream.end(body);
        upstream.on('error', (err) => {
          recorded.status = 502;
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${err.message}`);
          resolve();
        });
      });
    });
    proxy = new RecordingProxy(server, new URL(target));
    await server.listen();
    return proxy;
  }

  /** `http://127.0.0.1:<port>`: give this to the client instead of moto's endpoint. */
  get endpoint(): string {
    return this.server.endpoint;
  }

  /** Answers the next `times` requests that `match` with `status` and `body` instead of forwarding them. */
  failNext(match: (req: RecordedRequest) => boolean, times: number, status: number, body: string, contentType = 'application/xml'): this {
    this.injections.push({ match, remaining: times, status, body, contentType });
    return this;
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}
