/**
 * A loopback HTTP server that speaks the SNS Query protocol (form-encoded `Action=Publish&…`,
 * XML answers) well enough for the real `@aws-sdk/client-sns`. It records every publish with its
 * parsed message attributes, and rejects what SNS rejects for our use: an unknown topic (404
 * NotFound), a Subject that is empty, too long (>= 100 characters) or has control characters,
 * and a `MessageStructure: json` message that is not a JSON object with a string `default`.
 * Failures can be injected with `failNext`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, readBody, ServiceError } from './loopback-server';

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

export class FakeSnsServer {
  readonly publishes: RecordedPublish[] = [];
  /** Every request's Action, injected failures included. */
  readonly actions: string[] = [];
  private readonly topics = new Set<string>();
  private failures: { remaining: number; status: number; code: string }[] = [];

  private constructor(private readonly server: LoopbackServer) {}

  static async start(topicArns: readonly string[]): Promise<FakeSnsServer> {
    let fake!: FakeSnsServer;
    const server = new LoopbackServer((req, res) => fake.handle(req, res));
    fake = new FakeSnsServer(server);
    for (const arn of topicArns) fake.topics.add(arn);
    await server.listen();
    return fake;
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  /** The next `times` requests fail with `code` (e.g. 500 InternalError, 400 Throttling). */
  failNext(times: number, code = 'InternalError', status = 500): this {
    this.failures.push({ remaining: times, status, code });
    return this;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URLSearchParams((await readBody(req)).toString('utf8'));
    const action = params.get('Action') ?? '';
    this.actions.push(action);
    try {
      const failure = this.failures.find((f) => f.remaining > 0);
      if (failure) {
        failure.remaining--;
        throw new ServiceError(failure.status, failure.code, `injected ${failure.code}`);
      }
      if (action !== 'Publish') throw new ServiceError(400, 'InvalidAction', `fake SNS does not implement ${action}`);
      const messageId = this.publish(params);
      this.reply(
        res,
        200,
        `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch (err) {
      const e = err instanceof ServiceError ? err : new ServiceError(500, 'InternalError', (err as Error).message);
      const type = e.status >= 500 ? 'Receiver' : 'Sender';
      this.reply(
        res,
        e.status,
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
    }
  }

  private reply(res: ServerResponse, status: number, xml: string): void {
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': randomUUID() });
    res.end(xml);
  }

  private publish(params: URLSearchParams): string {
    const topicArn = params.get('TopicArn') ?? '';
    if (!this.topics.has(topicArn)) throw new ServiceError(404, 'NotFound', 'Topic does not exist');
    const message = params.get('Message');
    if (message === null || message === '') throw new ServiceError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
    const subject = params.get('Subject') ?? undefined;
    if (subject !== undefined) {
      if (subject.trim() === '' || subject.length >= 100 || /\p{Cc}/u.test(subject)) {
        throw new ServiceError(400, 'InvalidParameter', 'Invalid parameter: Subject');
      }
    }
    const messageStructure = params.get('MessageStructure') ?? undefined;
    let json: Record<string, string> | undefined;
    if (messageStructure === 'json') {
      try {
        json = JSON.parse(message) as Record<string, string>;
      } catch {
        throw new ServiceError(400, 'InvalidParameter', 'Invalid parameter: Message Structure - JSON message body failed to parse');
      }
      if (typeof json !== 'object' || json === null || typeof json.default !== 'string') {
        throw new ServiceError(400, 'InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body');
      }
    }
    // MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue
    const attributes: Record<string, { dataType: string; value: string }> = {};
    for (let n = 1; params.has(`MessageAttributes.entry.${n}.Name`); n++) {
      const name = params.get(`MessageAttributes.entry.${n}.Name`)!;
      const dataType = params.get(`MessageAttributes.entry.${n}.Value.DataType`) ?? '';
      const value = params.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
      if (value === '')
        throw new ServiceError(400, 'InvalidParameterValue', `Message attribute '${name}' must contain non-empty message attribute value`);
      attributes[name] = { dataType, value };
    }
    const messageId = randomUUID();
    this.publishes.push({ topicArn, subject, message, messageStructure, json, attributes, messageId });
    return messageId;
  }
}
