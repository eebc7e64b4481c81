/**
 * The filter policy of the alerts topic's SMS subscriptions: every message but the digest (whose
 * `kind` attribute is `digest`). Every message nsm publishes carries `kind`.
 */
export function smsFilterPolicy(): Record<string, SubscriptionFilter> {
  return { kind: SubscriptionFilter.stringFilter({ denylist: ['digest'] }) };
}

/**
 * The two SNS topics: `alerts` carries the nightly drop alerts to people (email and SMS from
 * `alerts.email` / `alerts.sms`), `ops` carries CloudWatch alarms about the pipeline itself.
 * Both are encrypted with one customer managed key, because CloudWatch can only publish to an
 * encrypted topic whose key policy lets it use the key, which the AWS managed `alias/aws/sns`
 * key's policy cannot be changed to do.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NsmTopicsProps {
  readonly emails: readonly string[];
  readonly phoneNumbers: readonly string[];
  readonly opsEmails: readonly string[];
}

export class NsmTopics extends Construct {
  readonly key: Key;
  readonly alerts: Topic;
  readonly ops: Topic;

  constructor(scope: Construct, id: string, props: NsmTopicsProps) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'nsm-nightly: encrypts the alerts and ops SNS topics',
      enableKeyRotation: true,
      // Only in-flight SNS messages depend on it; nothing at rest is lost when it goes.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy, "*" is this key.
        resources: ['*'],
        // Only for alarms of this account (confused-deputy protection). The alarms' own ARNs would
        // be tighter, but the key cannot name them: the alarms need the topics, which need the key.
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );

    this.alerts = new Topic(this, 'Alerts', {
      displayName: 'NSM alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.alerts.addSubscription(new EmailSubscription(email));
    // The digest is e-mail only (docs/alerts.md "The digest"): every message carries the attribute
    // `kind`, and phones receive every kind but `digest`. E-mail subscriptions receive everything.
    for (const phone of props.phoneNumbers) this.alerts.addSubscription(new SmsSubscription(phone, { filterPolicy: smsFilterPolicy() }));

    this.ops = new Topic(this, 'Ops', {
      displayName: 'NSM ops',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.opsEmails) this.ops.addSubscription(new EmailSubscription(email));
  }
}
