/**
 * `Notifier` over an SNS topic (docs/design.md §2): one Publish per alert with
 * `MessageStructure: 'json'`, so email subscribers get the full text (drivers, report location)
 * and SMS subscribers the one-line `sms`; `default` (every other protocol: SQS, Lambda, HTTPS)
 * gets the full text too. Message attributes `kind` (also as `alert_kind`), `metric_id`, `incident_id` and `dt` let subscribers
 * filter (SNS subscription filter policies) without parsing the message; `alert_id` is the same on
 * every attempt to send one alert, so a programmatic subscriber (SQS, Lambda, HTTPS) can drop the
 * rare second copy (SNS keeps no record a killed run could consult: docs/operations.md).
 *
 * SNS rejects a Subject that is empty, has line breaks or control characters, or is not "less than
 * 100 characters long" (Publish API, `Subject`; the same text is in
 * @aws-sdk/client-sns `PublishInput.Subject`), so the subject is sanitised here as a last line of
 * defence: core already formats subjects within `SUBJECT_MAX` (99).
 */
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SUBJECT_MAX } from '../core/alerts/alert-text';
import type { Delivery, Notifier } from '../core/alerts/notifier';
import { snsTopicArnProblem } from '../core/config/field-rules';
import { InputError, NotifyError } from '../core/errors';
import type { AlertRow } from '../core/results/rows';
import { describeError } from './aws-errors';

/**
 * A Subject SNS accepts: control characters (newlines included) become spaces, runs of
 * whitespace one space, no leading/trailing space, at most `SUBJECT_MAX` characters (cut with
 * `…`), and never empty (`fallback` then).
 */
export function snsSubject(subject: string, fallback: string): string {
  const clean = subject
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const text = clean === '' ? fallback : clean;
  const chars = Array.from(text); // code points, so a cut never splits a surrogate pair
  return chars.length <= SUBJECT_MAX
    ? text
    : `${chars
        .slice(0, SUBJECT_MAX - 1)
        .join('')
        .trimEnd()}…`;
}

/** The `Message` of a `MessageStructure: 'json'` publish. */
export function snsMessage(alert: AlertRow): string {
  return JSON.stringify({ default: alert.message, email: alert.message, sms: alert.sms });
}

/** Filterable attributes; `metric_id` is absent for a night-wide alert (data_incomplete). */
export function snsAttributes(alert: AlertRow, delivery: Delivery): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    alert_kind: { DataType: 'String', StringValue: alert.kind },
    // The same, under the name the stack's SMS filter policy reads: phones get every kind but `digest`.
    kind: { DataType: 'String', StringValue: alert.kind },
    dt: { DataType: 'String', StringValue: alert.dt },
    alert_id: { DataType: 'String', StringValue: delivery.alertId },
  };
  if (alert.metric_id !== null) attributes.metric_id = { DataType: 'String', StringValue: alert.metric_id };
  if (alert.incident_id) attributes.incident_id = { DataType: 'String', StringValue: alert.incident_id };
  return attributes;
}

export class SnsNotifier implements Notifier {
  /**
   * @param client an SNS client (its endpoint may be AWS_ENDPOINT_URL_SNS: see aws-clients.ts)
   * @param topicArn the topic (env `NSM_SNS_TOPIC_ARN`, or `alerts.sns_topic_arn` outside Lambda)
   */
  constructor(
    private readonly client: SNSClient,
    readonly topicArn: string,
  ) {
    const problem = snsTopicArnProblem(topicArn);
    if (problem) throw new InputError(`SNS topic: ${problem}`);
  }

  /** The SNS MessageId of the last publish (for logs). */
  lastMessageId: string | undefined;

  async publish(alert: AlertRow, delivery: Delivery): Promise<void> {
    try {
      const out = await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: snsSubject(alert.subject, `[nsm] ${alert.dt} ${alert.kind}${alert.metric_id ? ` ${alert.metric_id}` : ''}`),
          Message: snsMessage(alert),
          MessageStructure: 'json',
          MessageAttributes: snsAttributes(alert, delivery),
        }),
      );
      this.lastMessageId = out.MessageId;
    } catch (err) {
      throw new NotifyError(delivery.alertId, `SNS Publish to ${this.topicArn} failed: ${describeError(err)}`, { cause: err });
    }
  }
}
