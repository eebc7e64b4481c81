/** SnsNotifier with the real @aws-sdk/client-sns (from an AWS_ENDPOINT_URL_SNS environment) against the fake SNS server. */
import type { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSnsClient } from '../../functions/adapters/aws-clients';
import { SnsNotifier } from '../../functions/adapters/sns-notifier';
import { InputError, NotifyError } from '../../functions/core/errors';
import type { AlertRow } from '../../functions/core/results/rows';
import { FakeSnsServer } from '../support/fake-sns-server';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:nsm-alerts';
let fake: FakeSnsServer;
let client: SNSClient;

beforeAll(async () => {
  fake = await FakeSnsServer.start([TOPIC]);
  client = buildSnsClient({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SNS: fake.endpoint });
  client.config.credentials = async () => ({ accessKeyId: 'test', secretAccessKey: 'test' });
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});
beforeEach(() => {
  fake.publishes.length = 0;
});

const drop: AlertRow = {
  dt: '2024-05-01',
  kind: 'drop',
  metric_id: 'posting_teams_weekly',
  value: 80,
  baseline: 100,
  change_pct: -20,
  robust_z: -5.1,
  drivers: [],
  segments: [],
  subject: '[nsm] 2024-05-01 Weekly active teams dropped 20% (80 vs 100)',
  message: 'Weekly active teams dropped 20%.\n\nDrivers:\n- new_teams -35%\n\nReport: s3://b/reports/dt=2024-05-01/report.html\n',
  sms: '[nsm] 05-01 posting_teams_weekly -20% (80 vs 100); top driver new_teams -35%',
};

const D = { alertId: 'drop-0123456789abcdef', attempt: 'alerts-sent/dt=2024-05-01/drop-0123456789abcdef.claim-0' };

describe('SnsNotifier', () => {
  it('publishes JSON-structured messages with default, email and sms, a subject and filterable attributes', async () => {
    const notifier = new SnsNotifier(client, TOPIC);
    await notifier.publish(drop, D);
    expect(fake.publishes).toHaveLength(1);
    const [p] = fake.publishes;
    expect(p!.topicArn).toBe(TOPIC);
    expect(p!.messageStructure).toBe('json');
    expect(p!.json).toEqual({ default: drop.message, email: drop.message, sms: drop.sms });
    expect(p!.subject).toBe(drop.subject);
    expect(p!.attributes).toEqual({
      alert_kind: { dataType: 'String', value: 'drop' },
      metric_id: { dataType: 'String', value: 'posting_teams_weekly' },
      dt: { dataType: 'String', value: '2024-05-01' },
      alert_id: { dataType: 'String', value: D.alertId },
    });
    expect(notifier.lastMessageId).toBe(p!.messageId);
  });

  it('omits metric_id for a night-wide alert (SNS rejects empty attribute values)', async () => {
    await new SnsNotifier(client, TOPIC).publish(
      {
        ...drop,
        kind: 'data_incomplete',
        metric_id: null,
        subject: '[nsm] 2024-05-01 data incomplete',
      },
      D,
    );
    expect(fake.publishes[0]!.attributes).toEqual({
      alert_kind: { dataType: 'String', value: 'data_incomplete' },
      dt: { dataType: 'String', value: '2024-05-01' },
      alert_id: { dataType: 'String', value: D.alertId },
    });
  });

  it('sanitises a subject SNS would reject: newlines, control characters, 100+ characters', async () => {
    const long = `[nsm] ${'x'.repeat(150)}`;
    const notifier = new SnsNotifier(client, TOPIC);
    await notifier.publish({ ...drop, subject: 'line one\nline\ttwo\u0007 ' }, D);
    await notifier.publish({ ...drop, subject: long }, D);
    await notifier.publish({ ...drop, subject: ' \n ' }, D);
    const subjects = fake.publishes.map((p) => p.subject!);
    expect(subjects[0]).toBe('line one line two');
    expect(Array.from(subjects[1]!)).toHaveLength(99);
    expect(subjects[1]!.endsWith('…')).toBe(true);
    expect(subjects[2]).toBe('[nsm] 2024-05-01 drop posting_teams_weekly');
  });

  it('turns an SNS failure into a NotifyError naming the alert id and the topic', async () => {
    fake.failNext(3, 'InternalError', 500); // more than the SDK's own 3 attempts would hide
    const err = (await new SnsNotifier(client, TOPIC).publish(drop, D).catch((e: unknown) => e)) as NotifyError;
    expect(err).toBeInstanceOf(NotifyError);
    expect(err.alertKey).toBe(D.alertId);
    expect(err.message).toMatch(
      /SNS Publish to arn:aws:sns:eu-west-1:123456789012:nsm-alerts failed: InternalErrorException: injected InternalError$/,
    );
    expect(fake.publishes).toHaveLength(0);
  });

  it('reports an unknown topic', async () => {
    const err = await new SnsNotifier(client, 'arn:aws:sns:eu-west-1:123456789012:missing').publish(drop, D).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect((err as Error).message).toMatch(/NotFoundException: Topic does not exist/);
  });

  it('rejects a malformed topic ARN up front', () => {
    expect(() => new SnsNotifier(client, 'nsm-alerts')).toThrow(InputError);
    // The config loader's rule and message (core/config/field-rules.ts), for a topic from NSM_SNS_TOPIC_ARN too.
    expect(() => new SnsNotifier(client, 'arn:aws:sns:eu-west-1:12345:nsm-alerts')).toThrow(
      "SNS topic: 'arn:aws:sns:eu-west-1:12345:nsm-alerts' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)",
    );
  });
});
