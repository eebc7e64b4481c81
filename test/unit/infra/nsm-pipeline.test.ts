import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  asList,
  cloudConfig,
  flat,
  identityStatements,
  nightlyFunction,
  only,
  roleStatements,
  type Statement,
  synthApp,
  withConfig,
} from './synth';

// One synth per variant, shared by the tests that read it. The fixture runs Monday-Friday at
// 06:30 in Europe/Berlin, texts one number and starts its lake on 2023-01-15.
const base = synthApp();
/** Actions with no resource-level permissions that the backfill state machine's logging and tracing need. */
const STATE_MACHINE_ACCOUNT_WIDE = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];
const created = synthApp(cloudConfig, { createResultsBucket: 'true' });
// Weekly, without SMS: no missed-night alarm can watch a week, and nothing needs SMS logs.
const weeklyNoSms = synthApp(
  withConfig((c) => {
    c.schedule = '0 7 * * MON';
    c.alerts.sms = [];
  }),
);

describe('nightly function', () => {
  const { props } = nightlyFunction(base.template);

  it('runs Node.js 22 on arm64 with 15 minutes and 1 GB for Athena waits', () => {
    expect(props.Runtime).toBe('nodejs22.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Timeout).toBe(900);
    expect(props.MemorySize).toBe(1024);
    expect(props.Handler).toBe('index.handler');
  });

  it('reserves a concurrency of 1 so nights cannot race, unless told not to', () => {
    expect(props.ReservedConcurrentExecutions).toBe(1);
    const { props: free } = nightlyFunction(synthApp(cloudConfig, { reserveConcurrency: 'false' }).template);
    expect(free.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('gets buckets, topic, workgroup, database and table from the environment', () => {
    const topics = base.template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'NSM alerts' } });
    expect(props.Environment.Variables).toEqual({
      NSM_RESULTS_BUCKET: 'acme-nsm-results',
      NSM_RESULTS_PREFIX: 'nightly',
      NSM_SNS_TOPIC_ARN: { Ref: Object.keys(topics)[0] },
      NSM_ATHENA_WORKGROUP: 'nsm',
      NSM_ATHENA_DATABASE: 'product_events',
      NSM_ATHENA_TABLE: 'events',
      NSM_CONFIG_PATH: '/var/task/nsm.config.yaml',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'nsm-nightly',
    });
  });

  it('sends nights that fail after two async retries to an SQS dead-letter queue', () => {
    const { props: invoke } = only(base.template, 'AWS::Lambda::EventInvokeConfig');
    expect(invoke.MaximumRetryAttempts).toBe(2);
    const queues = base.template.findResources('AWS::SQS::Queue');
    const dest = invoke.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(Object.keys(queues)).toContain(dest);
  });

  it('writes to its own log group with a retention, not through the account-wide managed policy', () => {
    base.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    for (const role of Object.values(base.template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('schedule', () => {
  const { props } = only(base.template, 'AWS::Scheduler::Schedule');

  it("runs the config's cron in the config's time zone (weekday numbers translated to names)", () => {
    // Config: "30 6 * * 1-5" = Monday-Friday in classic cron; AWS would read 1-5 as Sunday-Thursday.
    expect(props.ScheduleExpression).toBe('cron(30 6 ? * MON-FRI *)');
    expect(props.ScheduleExpressionTimezone).toBe('Europe/Berlin');
    expect(props.State).toBe('ENABLED');
  });

  it('retries delivery and keeps undelivered invocations in a dead-letter queue', () => {
    expect(props.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21600 });
    const dlq = props.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
    expect(Object.keys(base.template.findResources('AWS::SQS::Queue'))).toContain(dlq);
    const fn = nightlyFunction(base.template).id;
    expect(props.Target.Arn).toEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
  });

  it('sends a Scheduled Event carrying the scheduled (not the delivery) time', () => {
    expect(JSON.parse(props.Target.Input as string)).toMatchObject({
      'detail-type': 'Scheduled Event',
      time: '<aws.scheduler.scheduled-time>',
    });
  });
});

describe('lake and Glue catalog', () => {
  const tables = Object.values(base.template.findResources('AWS::Glue::Table')).map((r) => r.Properties);
  const table = (name: string) => tables.find((t) => t.TableInput.Name === name)!.TableInput;

  it('creates the database named in lake.athena', () => {
    base.template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'product_events' } });
  });

  it('maps the lake with partition projection on dt and the columns of the config', () => {
    const t = table('events');
    expect(t.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(t.StorageDescriptor.Location).toBe('s3://acme-product-events/events/v1/');
    // A line that is not valid JSON reads as a row of NULLs (counted as malformed_rows) instead of
    // failing every query of the night: OpenX's default is FALSE.
    expect(t.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
      Parameters: { 'ignore.malformed.json': 'TRUE' },
    });
    // duration_ms (the sum metric's property) is a string: TRY_CAST turns "n/a" into NULL instead
    // of the JSON SerDe failing the query.
    expect(t.StorageDescriptor.Columns).toEqual([
      { Name: 'user_id', Type: 'string' },
      { Name: 'account_id', Type: 'string' },
      { Name: 'event_name', Type: 'string' },
      { Name: 'event_time', Type: 'string' },
      { Name: 'duration_ms', Type: 'string' },
    ]);
    expect(t.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      // From lake.first_day; to tomorrow, because NOW is UTC and a night in a zone ahead of UTC
      // (Asia/Tokyo at 06:00 is 21:00 UTC the day before) reads a day UTC has not reached yet.
      'projection.dt.range': '2023-01-15,NOW+1DAYS',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'storage.location.template': 's3://acme-product-events/events/v1/dt=${dt}/',
    });
  });

  it('reads a Parquet lake with the Parquet SerDe, a double property and column type overrides', () => {
    const parquet = withConfig((c) => {
      c.lake.format = 'parquet';
      c.lake.partition = 'day';
    });
    const { template } = synthApp(parquet, {}, { lakeColumnTypes: { Event_Time: 'timestamp' } });
    const t = Object.values(template.findResources('AWS::Glue::Table'))
      .map((r) => r.Properties.TableInput)
      .find((x) => x.Name === 'events');
    expect(t.StorageDescriptor.SerdeInfo).toEqual({ SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' });
    expect(t.StorageDescriptor.Columns).toContainEqual({ Name: 'duration_ms', Type: 'double' });
    expect(t.StorageDescriptor.Columns).toContainEqual({ Name: 'event_time', Type: 'timestamp' });
    expect(t.PartitionKeys).toEqual([{ Name: 'day', Type: 'string' }]);
    expect(t.Parameters['storage.location.template']).toBe('s3://acme-product-events/events/v1/day=${day}/');
  });
});

describe('results tables', () => {
  const tables = Object.values(base.template.findResources('AWS::Glue::Table')).map((r) => r.Properties.TableInput);
  const table = (name: string) => tables.find((t) => t.Name === name)!;
  const columns = (name: string) => (table(name).StorageDescriptor.Columns as { Name: string }[]).map((c) => c.Name);

  // Field lists copied from docs/design.md §3; `dt` is the partition key rather than a column.
  it.each([
    [
      'nsm_metrics',
      'metrics',
      'metric_id, name, type, value, is_north_star, parent_id, baseline, change_pct, robust_z, status, contribution, contribution_pct, identity_residual_pct, incident_id',
    ],
    // Issue 17's fields, in its order.
    [
      'nsm_segments',
      'segments',
      'metric_id, dimension, segment, value, baseline, change, change_pct, share_pct, baseline_share_pct, contribution_pct, score, rank',
    ],
    [
      'nsm_candidates',
      'candidates',
      'candidate_id, event, within_days, cohort_start, cohort_end, n_hit, n_miss, retained_hit, retained_miss, rate_hit, rate_miss, share, lift, lift_ci_low, lift_ci_high, t_student, p_student, t_welch, df_welch, p_welch, q_value, phi, verdict, rank',
    ],
    [
      'nsm_sweep',
      'sweep',
      'candidate_id, event, min_count, within_days, n_hit, n_miss, retained_hit, retained_miss, rate_hit, rate_miss, share, lift, lift_ci_low, lift_ci_high, phi, ppv, npv, sensitivity, specificity, t_welch, df_welch, p_welch, q_value, best',
    ],
    [
      'nsm_alerts',
      'alerts',
      'kind, metric_id, incident_id, night_of_incident, period, value, baseline, change_pct, robust_z, drivers, segments, subject, message, sms, late',
    ],
  ])('%s has the columns of docs/design.md §3 over %s/ with projection on dt', (name, folder, fields) => {
    expect(columns(name)).toEqual(fields.split(', '));
    const t = table(name);
    expect(t.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(t.StorageDescriptor.Location).toBe(`s3://acme-nsm-results/nightly/${folder}/`);
    expect(t.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(t.Parameters['storage.location.template']).toBe(`s3://acme-nsm-results/nightly/${folder}/dt=\${dt}/`);
    expect(t.Parameters['projection.enabled']).toBe('true');
    // A night's results are no older than the lake's first day.
    expect(t.Parameters['projection.dt.range']).toBe('2023-01-15,NOW+1DAYS');
  });

  it('types drivers as an array of structs, so UNNEST lists them', () => {
    const drivers = (table('nsm_alerts').StorageDescriptor.Columns as { Name: string; Type: string }[]).find((c) => c.Name === 'drivers');
    expect(drivers?.Type).toMatch(
      /^array<struct<metric_id:string,name:string,depth:int,.*status:string,contribution:double,contribution_pct:double>>$/,
    );
  });

  it("types a drop's segments as an array of segments.jsonl structs", () => {
    const segments = (table('nsm_alerts').StorageDescriptor.Columns as { Name: string; Type: string }[]).find((c) => c.Name === 'segments');
    expect(segments?.Type).toBe(
      'array<struct<metric_id:string,dimension:string,segment:string,value:double,baseline:double,change:double,change_pct:double,share_pct:double,baseline_share_pct:double,contribution_pct:double,score:double,rank:int>>',
    );
  });
});

describe('state tables', () => {
  const tables = Object.values(base.template.findResources('AWS::Glue::Table')).map((r) => r.Properties.TableInput);
  const table = (name: string) => tables.find((t) => t.Name === name)!;
  const PARQUET = {
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
  };

  // Column lists copied from the rollup and entries queries (functions/core/state/); the fixture's
  // one sum metric (listening_hours) sums duration_ms, hence p__duration_ms.
  it.each([
    [
      'nsm_state_daily',
      'daily',
      [
        { Name: 'nsm_day', Type: 'string' },
        { Name: 'nsm_user', Type: 'string' },
        { Name: 'nsm_account', Type: 'string' },
        { Name: 'nsm_event', Type: 'string' },
        { Name: 'nsm_n', Type: 'bigint' },
        { Name: 'p__duration_ms', Type: 'double' },
      ],
    ],
    [
      'nsm_state_entries',
      'entries',
      [
        { Name: 'nsm_user', Type: 'string' },
        { Name: 'nsm_entry_day', Type: 'string' },
      ],
    ],
  ])('%s is Parquet over state/%s/ with exactly its columns, partitioned by build folder (injected projection)', (name, kind, columns) => {
    const t = table(name);
    expect(t.StorageDescriptor).toEqual({
      Location: `s3://acme-nsm-results/nightly/state/${kind}/`,
      ...PARQUET,
      Columns: columns,
    });
    // The partition is the build folder's name (`<day>.<build>`), which each query names: a
    // folder no manifest names (a killed attempt's) is never read.
    expect(t.PartitionKeys).toEqual([{ Name: 'build', Type: 'string' }]);
    expect(t.TableType).toBe('EXTERNAL_TABLE');
    expect(t.Parameters).toEqual({
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.build.type': 'injected',
      'storage.location.template': `s3://acme-nsm-results/nightly/state/${kind}/\${build}/`,
    });
  });

  it('has one double sum per distinct sum property, lower-cased, sorted; none without sum metrics', () => {
    const sums = (config: ReturnType<typeof withConfig>) =>
      (
        Object.values(synthApp(config).template.findResources('AWS::Glue::Table'))
          .map((r) => r.Properties.TableInput)
          .find((t) => t.Name === 'nsm_state_daily').StorageDescriptor.Columns as { Name: string; Type: string }[]
      ).filter((c) => c.Name.startsWith('p__'));
    const more = withConfig((c) => {
      c.metrics.push(
        { id: 'revenue', name: 'revenue', type: 'sum', events: undefined, window_days: 1, property: 'Amount', scale: 1 },
        { id: 'listening_weekly', name: 'lw', type: 'sum', events: undefined, window_days: 7, property: 'duration_ms', scale: 1 },
      );
    });
    expect(sums(more)).toEqual([
      { Name: 'p__amount', Type: 'double' },
      { Name: 'p__duration_ms', Type: 'double' },
    ]);
    const none = withConfig((c) => {
      c.metrics = c.metrics.filter((m) => m.type !== 'sum');
    });
    expect(sums(none)).toEqual([]);
  });

  it('follows a results location at the bucket root', () => {
    const root = withConfig((c) => void (c.results.location = 's3://acme-nsm-results'));
    const t = Object.values(synthApp(root).template.findResources('AWS::Glue::Table'))
      .map((r) => r.Properties.TableInput)
      .find((x) => x.Name === 'nsm_state_entries');
    expect(t.StorageDescriptor.Location).toBe('s3://acme-nsm-results/state/entries/');
    expect(t.Parameters['storage.location.template']).toBe('s3://acme-nsm-results/state/entries/${build}/');
  });
});

describe('Athena workgroup', () => {
  it('enforces engine v3, encrypted results in the results bucket and the config cutoff', () => {
    const { props } = only(base.template, 'AWS::Athena::WorkGroup');
    expect(props.Name).toBe('nsm');
    expect(props.WorkGroupConfiguration).toEqual({
      EnforceWorkGroupConfiguration: true,
      PublishCloudWatchMetricsEnabled: true,
      // bytes_scanned_cutoff_gb: 50 → 50 × 1024³ bytes
      BytesScannedCutoffPerQuery: 53_687_091_200,
      EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
      ResultConfiguration: {
        OutputLocation: 's3://acme-nsm-results/nightly/athena-results/',
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      },
    });
  });
});

describe('results bucket', () => {
  it('uses the existing bucket by name by default (no bucket in the stack)', () => {
    base.template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  it('with createResultsBucket: encrypted, private, TLS-only, versioned, retained, logged', () => {
    const buckets = created.template.findResources('AWS::S3::Bucket', { Properties: { BucketName: 'acme-nsm-results' } });
    expect(Object.keys(buckets)).toHaveLength(1);
    const [id, bucket] = Object.entries(buckets)[0]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/AccessLogs/) } },
    });
    created.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('expires Athena query results under <prefix>/athena-results/ only', () => {
    const bucket = Object.values(created.template.findResources('AWS::S3::Bucket', { Properties: { BucketName: 'acme-nsm-results' } }))[0]!;
    const rules = bucket.Properties.LifecycleConfiguration.Rules as { Id: string; Prefix?: string; ExpirationInDays?: number }[];
    expect(rules.find((r) => r.Id === 'expire-athena-results')).toMatchObject({
      Prefix: 'nightly/athena-results/',
      ExpirationInDays: 30,
    });
    // No other rule deletes current objects: results are the history drop detection reads.
    expect(rules.filter((r) => r.ExpirationInDays !== undefined)).toHaveLength(1);
  });
});

describe('alerts', () => {
  it('encrypts both topics with a rotating customer key that CloudWatch may use', () => {
    const key = only(base.template, 'AWS::KMS::Key');
    expect(key.props.EnableKeyRotation).toBe(true);
    const topics = Object.values(base.template.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(2);
    for (const t of topics) expect(t.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key.id, 'Arn'] });
    expect(key.props.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // Only on behalf of alarms in this account (confused-deputy protection).
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });

  it("lets CloudWatch publish this stack's alarms to the ops topic, and nothing else to any topic", () => {
    // The TLS-only Deny makes CDK write a topic policy, which replaces SNS's default one; without
    // an Allow, CloudWatch (a service principal) gets "not authorized to perform: SNS:Publish".
    const opsTopic = Object.keys(base.template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'NSM ops' } }))[0]!;
    const alarms = Object.keys(base.template.findResources('AWS::CloudWatch::Alarm')).sort();
    expect(alarms).toHaveLength(4);
    const allows = Object.values(base.template.findResources('AWS::SNS::TopicPolicy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Statement[])
        .filter((st) => st.Effect === 'Allow')
        .map((st) => ({ topics: p.Properties.Topics, st })),
    );
    expect(allows).toHaveLength(1);
    const [{ topics, st }] = allows as [{ topics: unknown; st: Statement & { Principal: unknown } }];
    expect(topics).toEqual([{ Ref: opsTopic }]);
    expect(st.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(st.Action).toBe('sns:Publish');
    expect(st.Resource).toEqual({ Ref: opsTopic });
    const condition = st.Condition as { StringEquals: unknown; ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [string, string] }[] } };
    expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(condition.ArnEquals['aws:SourceArn'].map((a) => a['Fn::GetAtt']).sort()).toEqual(alarms.map((id) => [id, 'Arn']));
  });

  it('denies non-TLS publishing on both topics', () => {
    const policies = Object.values(base.template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('subscribes alerts.email and alerts.sms to the alerts topic and the emails to the ops topic', () => {
    const alertsTopic = Object.keys(base.template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'NSM alerts' } }))[0];
    const opsTopic = Object.keys(base.template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'NSM ops' } }))[0];
    const subs = Object.values(base.template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties);
    expect(subs).toEqual(
      expect.arrayContaining([
        { Protocol: 'email', Endpoint: 'growth-team@example.com', TopicArn: { Ref: alertsTopic } },
        // The digest is e-mail only: phones get every message whose `kind` is not `digest`.
        {
          Protocol: 'sms',
          Endpoint: '+15555550100',
          TopicArn: { Ref: alertsTopic },
          FilterPolicy: { kind: [{ 'anything-but': ['digest'] }] },
        },
        { Protocol: 'email', Endpoint: 'growth-team@example.com', TopicArn: { Ref: opsTopic } },
      ]),
    );
    expect(subs).toHaveLength(3);
  });
});

describe('alarms', () => {
  const alarms = Object.values(base.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const opsTopic = Object.keys(base.template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'NSM ops' } }))[0];

  it('sends every alarm to the ops topic', () => {
    expect(alarms).toHaveLength(4);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: opsTopic }]);
  });

  it('alarms on function errors and on any message in either dead-letter queue', () => {
    expect(alarms).toContainEqual(expect.objectContaining({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 }));
    const dlq = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlq).toHaveLength(2);
    for (const a of dlq) expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it("alarms when no invocation succeeded for the schedule's longest gap plus 2 hours, counting silence as breaching", () => {
    // Monday-Friday at 06:30 in Berlin: Friday to Monday is 72 hours, 73 when the clocks go back
    // on the Sunday in between (last Sunday of October); plus 2 hours of slack = 75. A fixed 26
    // hours fired every weekend.
    const missed = alarms.find((a) => a.Metrics !== undefined)!;
    expect(missed).toMatchObject({
      EvaluationPeriods: 75,
      DatapointsToAlarm: 75,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    const metrics = missed.Metrics as { Expression?: string; MetricStat?: { Period: number } }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('invocations - errors');
    // One-hour periods: the window above counts hours.
    expect(metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Period] : []))).toEqual([3600, 3600]);
  });

  it('has no missed-night alarm for a weekly schedule (CloudWatch evaluates 7 days at most) and says so', () => {
    const weekly = Object.values(weeklyNoSms.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(weekly).toHaveLength(3);
    expect(weekly.every((a) => a.Metrics === undefined)).toBe(true);
    const warnings = Annotations.fromStack(weeklyNoSms.stack).findWarning('*', Match.stringLikeRegexp('missed-night'));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      'schedule "0 7 * * MON" (Europe/Berlin) leaves up to 169 hours between nights; CloudWatch alarms look back 7 days at most, so there is no missed-night alarm (function errors and dead letters are still alarmed) [ack: nsm:noMissedNightAlarm]',
    ]);
  });
});

describe('IAM least privilege', () => {
  for (const [variant, synth] of [
    ['existing results bucket', base],
    ['created results bucket', created],
  ] as const) {
    const statements = identityStatements(synth.template).filter((s) => s.statement.Effect === 'Allow');

    it(`has no wildcard actions and no "*" resources (${variant})`, () => {
      expect(statements.length).toBeGreaterThan(5);
      for (const { owner, statement } of statements) {
        for (const action of asList(statement.Action)) {
          expect(action, `${owner}: ${action}`).not.toBe('*');
          expect(action, `${owner}: ${action}`).not.toMatch(/^[a-z0-9-]+:\*$/);
        }
        // sns:SetSMSAttributes (the SMS delivery-status switch) is account-wide: IAM has no
        // resource to name for it (Service Authorization Reference), so it alone has "*".
        if (asList(statement.Action).join() === 'sns:SetSMSAttributes') continue;
        // The backfill state machine's log delivery and X-Ray calls have no resource-level
        // permissions either (its own test lists them exactly: backfill-machine.test.ts).
        if (asList(statement.Action).every((a) => STATE_MACHINE_ACCOUNT_WIDE.includes(a))) continue;
        for (const resource of asList(statement.Resource)) expect(flat(resource), owner).not.toBe('*');
      }
    });
  }

  const statements = identityStatements(base.template)
    .filter((s) => s.statement.Effect === 'Allow')
    .map((s) => s.statement);
  const withAction = (prefix: string) => statements.filter((s) => asList(s.Action).some((a) => a.startsWith(prefix)));

  it('allows the four Athena query calls on the stack workgroup only', () => {
    const athena = withAction('athena:');
    expect(athena).toHaveLength(1);
    expect(asList(athena[0]!.Action).sort()).toEqual([
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
      'athena:StopQueryExecution',
    ]);
    expect(asList(athena[0]!.Resource).map(flat)).toEqual(['arn:<AWS::Partition>:athena:<AWS::Region>:<AWS::AccountId>:workgroup/nsm']);
  });

  it('reads Glue metadata of the catalog, the default database, the database and its seven tables only', () => {
    // Partition projection spares Athena the GetPartitions call, so it is not granted; Athena's
    // fine-grained Glue access needs GetDatabase on the account's `default` database too.
    const glue = withAction('glue:');
    expect(glue).toHaveLength(1);
    expect(asList(glue[0]!.Action).sort()).toEqual(['glue:GetDatabase', 'glue:GetTable']);
    const prefix = 'arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:';
    expect(asList(glue[0]!.Resource).map(flat)).toEqual([
      `${prefix}catalog`,
      `${prefix}database/default`,
      `${prefix}database/product_events`,
      `${prefix}table/product_events/events`,
      `${prefix}table/product_events/nsm_metrics`,
      `${prefix}table/product_events/nsm_segments`,
      `${prefix}table/product_events/nsm_candidates`,
      `${prefix}table/product_events/nsm_sweep`,
      `${prefix}table/product_events/nsm_alerts`,
      `${prefix}table/product_events/nsm_state_daily`,
      `${prefix}table/product_events/nsm_state_entries`,
    ]);
  });

  it('only reads the lake, below its prefix, and lists only that prefix', () => {
    const lake = statements.filter((s) => asList(s.Resource).some((r) => flat(r).includes(':s3:::acme-product-events')));
    const actions = lake.flatMap((s) => asList(s.Action)).sort();
    expect(actions).toEqual(['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket']);
    const get = lake.find((s) => asList(s.Action).includes('s3:GetObject'))!;
    expect(asList(get.Resource).map(flat)).toEqual(['arn:<AWS::Partition>:s3:::acme-product-events/events/v1/*']);
    const list = lake.find((s) => asList(s.Action).includes('s3:ListBucket'))!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['events/v1', 'events/v1/*'] } });
  });

  it('reads and writes results objects below the results prefix only', () => {
    const results = statements.filter((s) => asList(s.Resource).some((r) => flat(r).includes(':s3:::acme-nsm-results')));
    const objects = results.filter((s) => asList(s.Action).includes('s3:PutObject'));
    expect(objects).toHaveLength(1);
    expect(asList(objects[0]!.Resource).map(flat)).toEqual(['arn:<AWS::Partition>:s3:::acme-nsm-results/nightly/*']);
    // Deleting is for the incremental state (UNLOAD needs an empty target folder) and the run
    // lease's old generations only.
    const deletes = results.filter((s) => asList(s.Action).some((a) => a.startsWith('s3:Delete')));
    expect(deletes).toHaveLength(1);
    expect(asList(deletes[0]!.Action)).toEqual(['s3:DeleteObject']);
    expect(asList(deletes[0]!.Resource).map(flat)).toEqual([
      'arn:<AWS::Partition>:s3:::acme-nsm-results/nightly/state/*',
      'arn:<AWS::Partition>:s3:::acme-nsm-results/nightly/lease/*',
    ]);
    expect(deletes[0]!.Condition).toBeUndefined();
    // Listing the results bucket is not prefix-limited, so that S3 answers a missing night with
    // 404 (read as "absent") rather than 403; it covers the bucket ARN, never objects.
    const list = results.find((s) => asList(s.Action).includes('s3:ListBucket'))!;
    expect(asList(list.Resource).map(flat)).toEqual(['arn:<AWS::Partition>:s3:::acme-nsm-results']);
    const actions = results.flatMap((s) => asList(s.Action)).sort();
    expect(actions).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:ListMultipartUploadParts',
      's3:PutObject',
    ]);
  });

  it('lets the nightly role publish to the alerts topic only, and the backfill state machine to the ops topic only', () => {
    const topic = (name: string) => Object.keys(base.template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: name } }))[0];
    const publishes = identityStatements(base.template)
      .filter((s) => asList(s.statement.Action).some((a) => a.startsWith('sns:Publish')))
      .map(
        (s) =>
          `${s.owner.replace(/[0-9A-F]{8}$/, '')}: ${asList(s.statement.Action).join()} on ${asList(s.statement.Resource).map(flat).join()}`,
      );
    expect(publishes.sort()).toEqual(
      [
        `PipelineNightlyRoleDefaultPolicy: sns:Publish on <${topic('NSM alerts')}>`,
        `PipelineBackfillStateMachineRoleDefaultPolicy: sns:Publish on <${topic('NSM ops')}>`,
      ].sort(),
    );
  });

  it('lets the scheduler role and the backfill state machine invoke the nightly function and nothing else', () => {
    const invoke = withAction('lambda:');
    const fn = nightlyFunction(base.template).id;
    expect(invoke.flatMap((s) => asList(s.Action))).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunction']);
    for (const r of invoke.flatMap((s) => asList(s.Resource))) expect(flat(r)).toMatch(new RegExp(`^<${fn}\\.Arn>(:\\*)?$`));
  });
});

describe('outputs', () => {
  it('names the results location, topics, workgroup, tables and a command for one night', () => {
    const outputs = base.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ResultsBucket?.Value).toBe('acme-nsm-results');
    expect(outputs.ResultsPrefix?.Value).toBe('nightly');
    expect(outputs.AthenaWorkgroup?.Value).toBe('nsm');
    expect(outputs.AthenaTables?.Value).toBe(
      'product_events.events product_events.nsm_metrics product_events.nsm_segments product_events.nsm_candidates product_events.nsm_sweep product_events.nsm_alerts product_events.nsm_state_daily product_events.nsm_state_entries',
    );
    const alertsTopic = Object.keys(base.template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'NSM alerts' } }))[0];
    expect(outputs.AlertsTopicArn?.Value).toEqual({ Ref: alertsTopic });
    const fn = nightlyFunction(base.template).id;
    expect(flat(outputs.InvokeOneNight?.Value)).toBe(
      `aws lambda invoke --function-name <${fn}> --cli-binary-format raw-in-base64-out --cli-read-timeout 900 --payload '{"date":"YYYY-MM-DD"}' /dev/stdout`,
    );
    // Reserved concurrency 1 answers a synchronous invoke during a running night with 429; an
    // asynchronous one waits its turn (Lambda retries throttled events for up to 6 hours).
    expect(flat(outputs.InvokeOneNightAsync?.Value)).toBe(
      `aws lambda invoke --function-name <${fn}> --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{"date":"YYYY-MM-DD"}' /dev/stdout`,
    );
    expect(flat(outputs.SmsDeliveryLogGroups?.Value)).toBe(
      'sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber/Failure',
    );
    expect(weeklyNoSms.template.toJSON().Outputs.SmsDeliveryLogGroups).toBeUndefined();
  });
});

describe('SMS delivery-status logging', () => {
  // SNS topics can log delivery status for HTTP, SQS, Lambda, Firehose and platform endpoints
  // only; SMS delivery logging is an account setting (SetSMSAttributes DeliveryStatusIAMRole).
  const roles = (t: typeof base.template) =>
    Object.entries(t.findResources('AWS::IAM::Role')).filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('sns.amazonaws.com'),
    );
  const switches = (t: typeof base.template) => Object.values(t.findResources('Custom::SmsDeliveryStatusLogging'));

  it('gives SNS a role that may write only its own SMS delivery log groups', () => {
    const found = roles(base.template);
    expect(found).toHaveLength(1);
    const [roleId, role] = found[0]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' } },
    ]);
    const statements = roleStatements(base.template, roleId);
    expect(statements).toHaveLength(1);
    expect(asList(statements[0]!.Action).sort()).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    // SNS names SMS delivery log groups sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure].
    expect(asList(statements[0]!.Resource).map(flat)).toEqual([
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/*',
    ]);
  });

  it('turns it on for the account when the stack deploys (100% of successes), and off when it goes', () => {
    const found = switches(base.template);
    expect(found).toHaveLength(1);
    const roleId = roles(base.template)[0]![0];
    const props = found[0]!.Properties;
    const call = (text: unknown) => JSON.parse(flat(text)) as { service: string; action: string; parameters: unknown };
    for (const phase of ['Create', 'Update']) {
      expect(call(props[phase])).toMatchObject({
        service: 'SNS',
        action: 'setSMSAttributes',
        parameters: { attributes: { DeliveryStatusIAMRole: `<${roleId}.Arn>`, DeliveryStatusSuccessSamplingRate: '100' } },
      });
    }
    // Not before SNS may use the role: its policy exists first.
    const rolePolicy = Object.entries(base.template.findResources('AWS::IAM::Policy')).find(([, p]) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    )![0];
    expect(found[0]!.DependsOn).toContain(rolePolicy);
    expect(call(props.Delete)).toMatchObject({
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DeliveryStatusIAMRole: '' } },
    });
  });

  it('lets the switch set SMS attributes and pass that one role to SNS, nothing more', () => {
    const roleId = roles(base.template)[0]![0];
    const statements = identityStatements(base.template)
      .map((s) => s.statement)
      .filter((st) => asList(st.Action).some((a) => a === 'sns:SetSMSAttributes' || a === 'iam:PassRole'));
    expect(statements).toHaveLength(2);
    const set = statements.find((st) => asList(st.Action).includes('sns:SetSMSAttributes'))!;
    expect(asList(set.Action)).toEqual(['sns:SetSMSAttributes']);
    expect(set.Resource).toBe('*');
    const pass = statements.find((st) => asList(st.Action).includes('iam:PassRole'))!;
    expect(asList(pass.Action)).toEqual(['iam:PassRole']);
    expect(asList(pass.Resource)).toEqual([{ 'Fn::GetAtt': [roleId, 'Arn'] }]);
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } });
  });

  it('leaves the account alone without SMS subscribers, or when told to', () => {
    expect(roles(weeklyNoSms.template)).toEqual([]);
    expect(switches(weeklyNoSms.template)).toEqual([]);
    const off = synthApp(cloudConfig, { smsDeliveryStatusLogging: 'false' }).template;
    expect(roles(off)).toEqual([]);
    expect(switches(off)).toEqual([]);
    expect(Object.keys(off.findResources('AWS::SNS::Subscription'))).toHaveLength(3);
  });
});
