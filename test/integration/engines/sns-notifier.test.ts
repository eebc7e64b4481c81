/**
 * SnsNotifier with the real @aws-sdk/client-sns (from an AWS_ENDPOINT_URL_SNS environment) against
 * moto's SNS, through the recording proxy (which injects the failures moto cannot be asked for).
 * moto checks a `MessageStructure: json` message when it delivers it to the topic's SQS
 * subscription; what it cannot check (a subject's control characters) is asserted on what was
 * published.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnsClient } from '../../../functions/adapters/aws-clients';
import { SnsNotifier } from '../../../functions/adapters/sns-notifier';
import { InputError, NotifyError } from '../../../functions/core/errors';
import type { AlertRow } from '../../../functions/core/results/rows';
import { smsFilterPolicy } from '../../../infra/nsm-topics';
import { RecordingProxy } from '../../support/engines/recording-proxy';
import { createTopic, MOTO_CREDENTIALS, motoEndpoint, publishRequests, type TestTopic, uniqueSuffix } from '../../support/engines/services';

let topic: TestTopic;
let proxy: RecordingProxy;
let client: SNSClient;

beforeAll(async () => {
  topic = await createTopic('eu-west-1', `nsm-alerts-${uniqueSuffix()}`);
  proxy = await RecordingProxy.start(motoEndpoint());
  client = buildSnsClient({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SNS: proxy.endpoint });
  client.config.credentials = async () => MOTO_CREDENTIALS;
});
afterAll(async () => {
  client?.destroy();
  topic?.close();
  await proxy?.close();
});

/** The Publish requests sent during `fn`, with moto's status for each. */
async function publishedDuring(fn: () => Promise<unknown>) {
  const before = publishRequests(proxy).length;
  await fn();
  return publishRequests(proxy).slice(before);
}

const drop: AlertRow = {
  dt: '2024-05-01',
  kind: 'drop',
  metric_id: 'posting_teams_weekly',
  incident_id: 'posting_teams_weekly:2024-05-01',
  night_of_incident: 1,
  value: 80,
  baseline: 100,
  change_pct: -20,
  robust_z: -5.1,
  drivers: [],
  segments: [],
  subject: '[nsm] 2024-05-01 Weekly active teams dropped 20% (80 vs 100)',
  message: 'Weekly active teams dropped 20%.\n\nDrivers:\n- new_teams -35%\n\nReport: s3://b/reports/dt=2024-05-01/report.html\n',
  sms: '[nsm] 05-01 posting_teams_weekly -20% (80 vs 100); top driver new_teams -35%',
  late: false,
};

/** The delivery attempt each publish names: the alert's id and its claim's key. */
const D = { alertId: 'drop-0123456789abcdef', attempt: 'alerts-sent/dt=2024-05-01/drop-0123456789abcdef.claim-0' };

const INTERNAL_ERROR_XML =
  '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Receiver</Type><Code>InternalError</Code><Message>injected InternalError</Message></Error><RequestId>proxy</RequestId></ErrorResponse>';

describe('SnsNotifier', () => {
  it('publishes JSON-structured messages with default, email and sms, a subject and filterable attributes', async () => {
    const notifier = new SnsNotifier(client, topic.arn);
    const published = await publishedDuring(() => notifier.publish(drop, D));
    expect(published).toHaveLength(1);
    const [p] = published;
    expect(p!.status).toBe(200);
    expect(p!.topicArn).toBe(topic.arn);
    expect(p!.messageStructure).toBe('json');
    expect(JSON.parse(p!.message)).toEqual({ default: drop.message, email: drop.message, sms: drop.sms });
    // moto parsed the structure: the SQS subscription received the `default` entry, not the JSON.
    const delivery = (await topic.delivered()).at(-1)!;
    expect(delivery.message).toBe(drop.message);
    expect(delivery.subject).toBe(drop.subject);
    expect(delivery.attributes).toEqual({
      alert_kind: 'drop',
      kind: 'drop',
      metric_id: 'posting_teams_weekly',
      incident_id: 'posting_teams_weekly:2024-05-01',
      dt: '2024-05-01',
      alert_id: D.alertId,
    });
    expect(notifier.lastMessageId).toBe(delivery.messageId);
  });

  it("carries the attribute `kind`, which keeps the digest from the stack's SMS subscriptions (their filter policy) but not from e-mail", async () => {
    // The policy as the stack renders it into the template (infra/nsm-topics.ts).
    const policy = Object.fromEntries(Object.entries(smsFilterPolicy()).map(([k, f]) => [k, f.conditions]));
    expect(policy).toEqual({ kind: [{ 'anything-but': ['digest'] }] });
    const phones = await topic.subscribeFiltered(policy);
    const before = (await topic.delivered()).length;
    const notifier = new SnsNotifier(client, topic.arn);
    const digest: AlertRow = {
      ...drop,
      kind: 'digest',
      metric_id: null,
      incident_id: null,
      night_of_incident: null,
      period: 'weekly:2024-04-25..2024-05-01',
    };
    const published = await publishedDuring(async () => {
      await notifier.publish(digest, { alertId: 'digest-0123456789abcdef', attempt: 'a' });
      await notifier.publish(drop, { alertId: 'drop-0123456789abcdef', attempt: 'b' });
    });
    expect(published.map((p) => p.attributes.kind)).toEqual(['digest', 'drop']);
    // The unfiltered subscription (as e-mail) got both; the filtered one (as SMS) only the drop.
    expect((await topic.delivered()).slice(before).map((d) => d.attributes.kind)).toEqual(['digest', 'drop']);
    expect((await phones.delivered()).map((d) => d.attributes.kind)).toEqual(['drop']);
  });

  it('omits metric_id for a night-wide alert (SNS rejects empty attribute values)', async () => {
    const [p] = await publishedDuring(() =>
      new SnsNotifier(client, topic.arn).publish(
        {
          ...drop,
          kind: 'data_incomplete',
          metric_id: null,
          incident_id: null,
          night_of_incident: null,
          subject: '[nsm] 2024-05-01 data incomplete',
        },
        D,
      ),
    );
    expect(p!.status).toBe(200);
    expect(p!.attributes).toEqual({ alert_kind: 'data_incomplete', kind: 'data_incomplete', dt: '2024-05-01', alert_id: D.alertId });
  });

  it('sanitises a subject SNS would reject: newlines, control characters, 100+ characters', async () => {
    const long = `[nsm] ${'x'.repeat(150)}`;
    const notifier = new SnsNotifier(client, topic.arn);
    const published = await publishedDuring(async () => {
      await notifier.publish({ ...drop, subject: 'line one\nline\ttwo\u0007 ' }, D);
      await notifier.publish({ ...drop, subject: long }, D);
      await notifier.publish({ ...drop, subject: ' \n ' }, D);
    });
    expect(published.map((p) => p.status)).toEqual([200, 200, 200]);
    const subjects = published.map((p) => p.subject!);
    expect(subjects[0]).toBe('line one line two');
    expect(Array.from(subjects[1]!)).toHaveLength(99);
    expect(subjects[1]!.endsWith('…')).toBe(true);
    expect(subjects[2]).toBe('[nsm] 2024-05-01 drop posting_teams_weekly');
  });

  it('turns an SNS failure into a NotifyError naming the alert id and the topic', async () => {
    // More failures than the SDK's own 3 attempts would hide.
    proxy.failNext((r) => r.method === 'POST', 3, 500, INTERNAL_ERROR_XML, 'text/xml');
    let err: NotifyError | undefined;
    const published = await publishedDuring(async () => {
      err = (await new SnsNotifier(client, topic.arn).publish(drop, D).catch((e: unknown) => e)) as NotifyError;
    });
    expect(err).toBeInstanceOf(NotifyError);
    expect(err!.alertKey).toBe(D.alertId);
    expect(err!.message).toBe(`alert ${err!.alertKey}: SNS Publish to ${topic.arn} failed: InternalErrorException: injected InternalError`);
    // Every attempt got the injected 500; none reached moto.
    expect(published.length).toBeGreaterThanOrEqual(3);
    expect(published.every((p) => p.status === 500)).toBe(true);
  });

  it('reports an unknown topic', async () => {
    const missing = `arn:aws:sns:eu-west-1:123456789012:missing-${uniqueSuffix()}`;
    const err = await new SnsNotifier(client, missing).publish(drop, D).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    // SNS says "Topic does not exist"; moto, "Endpoint does not exist". The code is the same.
    expect((err as Error).message).toMatch(new RegExp(`: SNS Publish to ${missing} failed: NotFoundException: `));
  });

  it('rejects a malformed topic ARN up front', () => {
    expect(() => new SnsNotifier(client, 'nsm-alerts')).toThrow(InputError);
    // The config loader's rule and message (core/config/field-rules.ts), for a topic from NSM_SNS_TOPIC_ARN too.
    expect(() => new SnsNotifier(client, 'arn:aws:sns:eu-west-1:12345:nsm-alerts')).toThrow(
      "SNS topic: 'arn:aws:sns:eu-west-1:12345:nsm-alerts' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)",
    );
  });
});
