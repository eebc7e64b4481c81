/**
 * The results bucket (docs/design.md §3): the existing bucket named in `results.location`, or — with
 * `createResultsBucket` — a new bucket of that name, locked down and retained on teardown, with a
 * server access log bucket beside it.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_FOLDER } from './nsm-catalog';
import { keyPrefix, type S3Location } from './s3-uri';

export interface ResultsBucketProps {
  readonly location: S3Location;
  readonly create: boolean;
  readonly athenaResultsExpirationDays: number;
}

export class ResultsBucket extends Construct {
  readonly bucket: IBucket;
  /** The server access log bucket, when the stack creates the results bucket. */
  readonly accessLogs: Bucket | undefined;

  constructor(scope: Construct, id: string, props: ResultsBucketProps) {
    super(scope, id);
    const { location } = props;
    if (!props.create) {
      this.bucket = Bucket.fromBucketName(this, 'Existing', location.bucket);
      this.accessLogs = undefined;
      return;
    }

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // S3 log delivery writes with SSE-S3 only.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Object ownership is left to CDK: log delivery needs ACLs unless the
      // `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` flag (set in cdk.json) grants by policy.
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the results bucket; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: location.bucket,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${location.bucket}/`,
      lifecycleRules: [
        {
          // Athena writes every query's result set here; the pipeline reads each one once.
          id: 'expire-athena-results',
          prefix: `${keyPrefix(location)}${ATHENA_RESULTS_FOLDER}`,
          expiration: Duration.days(props.athenaResultsExpirationDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // A re-run overwrites a night; its previous files stay recoverable for a while.
          id: 'expire-overwritten-results',
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      // Results are the product's history (drop baselines read them back): never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
