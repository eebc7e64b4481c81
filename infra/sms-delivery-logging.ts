/**
 * SMS delivery-status logging: for every text SNS sends, a CloudWatch Logs entry with the carrier's
 * answer, the price and, for a failure, the reason — the only place an undelivered SMS shows up.
 *
 * SNS has no per-topic switch for SMS: a topic's delivery-status attributes (CloudFormation
 * `DeliveryStatusLogging`, CDK `LoggingProtocol`) cover HTTP/S, SQS, Lambda, Firehose and platform
 * endpoints only. SMS logging is an account-wide setting of the region, made with `SetSMSAttributes`
 * (`DeliveryStatusIAMRole`, `DeliveryStatusSuccessSamplingRate`), which CloudFormation has no resource
 * for. So the stack sets it with a custom resource that calls that API (CDK's `AwsCustomResource`:
 * one SDK call per lifecycle event, no code of ours to deploy): on create and update it points the
 * account at this stack's role, on delete it clears the role again, so the account is not left
 * naming a role that no longer exists. Being account-wide, it replaces whatever role the account
 * named before; `smsDeliveryStatusLogging: false` (`-c smsDeliveryStatusLogging=false`) leaves the
 * account alone (docs/deploy.md, "SMS").
 */
import { ArnFormat, Aws, CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, type AwsSdkCall, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface SmsDeliveryLoggingProps {
  /** Retention of the custom resource's own log group. */
  readonly logRetention: RetentionDays;
}

/** Percentage of successful texts SNS logs (failures are always logged). A night sends a handful. */
export const SMS_SUCCESS_SAMPLING_PERCENT = 100;

export class SmsDeliveryLogging extends Construct {
  /** The role SNS assumes to write SMS delivery logs. */
  readonly role: Role;
  /** Where SNS writes them: `sns/<region>/<account>/DirectPublishToPhoneNumber` and `…/Failure`. */
  readonly logGroupNames: readonly string[];

  constructor(scope: Construct, id: string, props: SmsDeliveryLoggingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // SNS names SMS delivery log groups sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure]
    // (https://repost.aws/knowledge-center/monitor-sns-texts-cloudwatch) and creates them itself.
    const snsLogs = `sns/${Aws.REGION}/${Aws.ACCOUNT_ID}`;
    this.logGroupNames = [`${snsLogs}/DirectPublishToPhoneNumber`, `${snsLogs}/DirectPublishToPhoneNumber/Failure`];

    // No aws:SourceAccount condition on the trust: whether SNS sends it when assuming this role is
    // not documented, and a condition it does not meet would silently stop the logs. Only a
    // principal of this account allowed iam:PassRole on the role can point SNS at it.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com'),
      description: 'nsm-nightly: lets SNS write SMS delivery-status logs to CloudWatch Logs',
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteSnsDeliveryLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${snsLogs}/*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/*]',
      reason:
        "SNS creates and names the SMS delivery log groups itself (…/DirectPublishToPhoneNumber and …/Failure) and their streams; the grant covers SNS's own log-group prefix of this account and region only.",
    });

    // The custom resource's function gets a role and log group of its own, so it needs neither the
    // AWSLambdaBasicExecutionRole managed policy nor an account-wide log grant.
    const switchRole = new Role(this, 'SwitchRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'nsm-nightly: turns SMS delivery-status logging on (deploy) and off (teardown)',
    });
    const switchLogs = new LogGroup(this, 'SwitchLogs', { retention: props.logRetention });
    switchLogs.grantWrite(switchRole);

    const setAttributes = (attributes: Record<string, string>): AwsSdkCall => ({
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes },
      // One account setting: the same physical id on every update, so CloudFormation never
      // replaces (and thereby clears) it.
      physicalResourceId: PhysicalResourceId.of('sms-delivery-status-logging'),
    });
    const on = setAttributes({
      DeliveryStatusIAMRole: this.role.roleArn,
      DeliveryStatusSuccessSamplingRate: String(SMS_SUCCESS_SAMPLING_PERCENT),
    });
    const sw = new AwsCustomResource(this, 'Switch', {
      resourceType: 'Custom::SmsDeliveryStatusLogging',
      onCreate: on,
      onUpdate: on,
      // An empty role turns the logging off (what `aws sns set-sms-attributes` does too).
      onDelete: setAttributes({ DeliveryStatusIAMRole: '' }),
      policy: AwsCustomResourcePolicy.fromStatements([
        // SetSMSAttributes has no resource type in IAM: it can only be granted on "*".
        new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
        // SNS checks that the caller may pass the role it is given.
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [this.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } },
        }),
      ]),
      role: switchRole,
      logGroup: switchLogs,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    // The role's policy must exist before SNS is told to use it (the role itself is referenced).
    const rolePolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (rolePolicy) sw.node.findChild('Resource').node.addDependency(rolePolicy);
    // cfn-lint W3005 on the custom resource's provider function, a singleton CDK adds to the
    // stack: CDK lists its role in DependsOn besides reading the role's ARN. The duplicate edge is
    // harmless to CloudFormation and comes from aws-cdk-lib, not from us (as on the nightly function).
    const providerId = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const provider = Stack.of(this).node.tryFindChild(providerId)?.node.defaultChild;
    if (provider instanceof CfnResource) provider.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    Validations.of(sw.node.findChild('CustomResourcePolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:SetSMSAttributes has no resource type in IAM (an account setting), so it can only be granted on "*"; this policy grants that one action and iam:PassRole on the delivery-logging role only.',
    });
  }
}
