/**
 * A loopback HTTP server that speaks the SNS Query protocol (form-encoded `Action=Publish&…`,
 * XML answers) well enough for the real `@aws-sdk/client-sns`. It records every publish with its
 * parsed message attributes, and rejects what SNS rejects for our use: an unknown topic (404
 * NotFound), a Subject that is empty, too long (>= 100 characters) or has control characters,
 * and a `MessageStructure: json` message that is not a JSON object with a string `default`.
 * Failures can be injected with `failNext`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPublish {
  readonly topicArn: string;
  readonly subject: string | undefined;
  /** The raw `Message`. */
  readonly message: string;
  readonly messageStructure: string | undefined;
  /** `Message` parsed, when `MessageStructure` is `json`. */
  readonly json: Record<string, string> | undefined;
  readonly attributes: Record<string, { dataType: string; value: string }>;
  readonly messageId: string;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeSnsServer {
  readonly publishes: RecordedPublish[] = [];
  /** Every request's Action, injected failures included. */
  readonly actions: string[] = [];
  private readonly topics = new Set<string>();
  private failures: { remaining: number; status: number; code: string }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(topicArns: readonly string[]): Promise<FakeSnsServer> {
    let fake!: FakeSnsServer;
    const server = createServer((req, res) => void fake.handle(req, res));
    fake = new FakeSnsServer(server);
    for (const arn of topicArns) fake.topics.add(arn);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` requests fail with `code` (e.g. 500 InternalError, 400 Throttling). */
  failNext(times: number, code = 'InternalError', status = 500): this {
    this.failures.push({ remaining: times, status, code });
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const action = params.get('Action') ?? '';
    this.actions.push(action);
    try {
      const failure = this.failures.find((f) => f.remaining > 0);
      if (failure) {
        failure.remaining--;
        throw new SnsError(failure.status, failure.code, `injected ${failure.code}`);
      }
      if (action !== 'Publish') throw new SnsError(400, 'InvalidAction', `fake SNS does not implement ${action}`);
      const messageId = this.publish(params);
      this.reply(res, 200, `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`);
    } catch (err) {
      const e = err instanceof SnsError ? err : new SnsError(500, 'InternalError', (err as Error).message);
      const type = e.status >= 500 ? 'Receiver' : 'Sender';
      this.reply(res, e.status, `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
    }
  }

  private reply(res: ServerResponse, status: number, xml: string): void {
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': randomUUID() });
    res.end(xml);
  }

  private publish(params: URLSearchParams): string {
    const topicArn = params.get('TopicArn') ?? '';
    if (!this.topics.has(topicArn)) throw new SnsError(404, 'NotFound', 'Topic does not exist');
    const message = params.get('Message');
    if (message === null || message === '') throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
    const subject = params.get('Subject') ?? undefined;
    if (subject !== undefined) {
      if (subject.trim() === '' || subject.length >= 100 || /\p{Cc}/u.test(subject)) {
        throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Subject');
      }
    }
    const messageStructure = params.get('MessageStructure') ?? undefined;
    let json: Record<string, string> | undefined;
    if (messageStructure === 'json') {
      try {
        json = JSON.parse(message) as Record<string, string>;
      } catch {
        throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message Structure - JSON message body failed to parse');
      }
      if (typeof json !== 'object' || json === null || typeof json.default !== 'string') {
        throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body');
      }
    }
    // MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue
    const attributes: Record<string, { dataType: string; value: string }> = {};
    for (let n = 1; params.has(`MessageAttributes.entry.${n}.Name`); n++) {
      const name = params.get(`MessageAttributes.entry.${n}.Name`)!;
      const dataType = params.get(`MessageAttributes.entry.${n}.Value.DataType`) ?? '';
      const value = params.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
      if (value === '') throw new SnsError(400, 'InvalidParameterValue', `Message attribute '${name}' must contain non-empty message attribute value`);
      attributes[name] = { dataType, value };
    }
    const messageId = randomUUID();
    this.publishes.push({ topicArn, subject, message, messageStructure, json, attributes, messageId });
    return messageId;
  }
}
