/**
 * The nightly function's permissions, each scoped to one resource:
 * - S3: read the lake prefix; read and write the results prefix (which includes the Athena
 *   result folder and the state the night UNLOADs — Athena reads and writes S3 with the caller's
 *   credentials); delete only below `<results prefix>/state/` and `<results prefix>/lease/`;
 * - Athena: the four query calls on the stack's workgroup only;
 * - Glue: read the catalog, the `default` database, the database and its tables (Athena resolves
 *   tables as the caller);
 * - SNS: publish to the alerts topic (and use its key), through `grantPublish`.
 *
 * The S3 statements are written out rather than taken from `IBucket.grantRead`/`grantReadWrite`,
 * which grant the `s3:List*`, `s3:GetBucket*`, `s3:DeleteObject*` and `s3:Abort*` wildcards: here
 * each action is named, and listing the lake is limited to its prefix by an `s3:prefix` condition.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { RESULTS_FOLDERS } from '../functions/core/results/layout';
import { keyPrefix, type S3Location } from './s3-uri';

export interface NightlyAccessProps {
  readonly lake: S3Location;
  readonly results: S3Location;
  readonly workgroupArn: string;
  readonly glueArns: readonly string[];
  readonly alertsTopic: ITopic;
}

/** Athena calls the adapter makes; nothing that changes the workgroup. */
export const ATHENA_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
] as const;

/**
 * Glue calls Athena makes as the caller. No `glue:GetPartitions`: every table uses partition
 * projection, which spares Athena that call (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).
 */
export const GLUE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable'] as const;

// ARNs are built from the bucket names of the config (known at synth time) rather than from
// bucket constructs, so they read the same for a bucket the stack creates and one it imports,
// and so the cdk-nag findings they cause can be acknowledged by their exact text below.
const bucketArn = (loc: S3Location) => `arn:${Aws.PARTITION}:s3:::${loc.bucket}`;
const objectsArn = (loc: S3Location) => `${bucketArn(loc)}/${keyPrefix(loc)}*`;
/** How cdk-nag prints `objectsArn(loc)` in an IAM5 finding. */
const objectsFinding = (loc: S3Location) => `Resource::arn:<AWS::Partition>:s3:::${loc.bucket}/${keyPrefix(loc)}*`;
/** A folder of the results layout below the results prefix (`functions/core/results/layout.ts`). */
const folderLocation = (results: S3Location, folder: string): S3Location => ({
  bucket: results.bucket,
  prefix: `${keyPrefix(results)}${folder}`,
});
/** The incremental state's folder. */
const stateLocation = (results: S3Location) => folderLocation(results, RESULTS_FOLDERS.state);
/** The run lease's folder (functions/core/lease/run-lease.ts). */
const leaseLocation = (results: S3Location) => folderLocation(results, RESULTS_FOLDERS.lease);

/**
 * Adds the statements to `role`'s policy and acknowledges, on the role, the cdk-nag findings
 * that remain by design, each by its exact finding text.
 */
export function grantNightlyAccess(role: IRole, props: NightlyAccessProps): void {
  const add = (s: PolicyStatement) => role.addToPrincipalPolicy(s);
  const { lake, results } = props;

  // Lake: read-only, below its prefix.
  add(new PolicyStatement({ sid: 'ReadLakeObjects', actions: ['s3:GetObject'], resources: [objectsArn(lake)] }));
  add(listStatement('ListLakePrefix', lake));
  add(new PolicyStatement({ sid: 'LocateLakeBucket', actions: ['s3:GetBucketLocation'], resources: [bucketArn(lake)] }));

  // Results: read and write below its prefix, including Athena's multipart result uploads and the
  // state the night writes with `UNLOAD (SELECT …) TO '<results>/state/<kind>/dt=D/'`. Athena runs
  // UNLOAD with the caller's credentials ("their permissions pass through Athena to determine what
  // Athena can access", https://docs.aws.amazon.com/athena/latest/ug/s3-permissions.html), so the
  // writes need s3:PutObject (and the multipart calls) below the target, covered here, and the
  // check that the target is empty needs s3:ListBucket (and s3:GetBucketLocation) on the bucket,
  // covered by ListResultsBucket below. UNLOAD's own metadata and manifest files go to the
  // workgroup's result folder, also below the prefix (https://docs.aws.amazon.com/athena/latest/ug/unload.html).
  add(
    new PolicyStatement({
      sid: 'ReadWriteResultsObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [objectsArn(results)],
    }),
  );
  // Deleting only the state: each build of a day's state is UNLOADed into a fresh folder, and once
  // the day's manifest names it the night deletes the day's other builds (the one it replaced, or
  // one a killed attempt left); an UNLOAD resubmitted after a retryable failure first empties its
  // own folder (UNLOAD refuses a target that holds data); old first-entry snapshots are pruned.
  // The run lease's holder deletes the lease's old generations (it keeps the last five).
  // Results themselves are only overwritten (PutObject), never deleted, so no other key needs
  // s3:DeleteObject.
  add(
    new PolicyStatement({
      sid: 'DeleteStateObjects',
      actions: ['s3:DeleteObject'],
      resources: [objectsArn(stateLocation(results)), objectsArn(leaseLocation(results))],
    }),
  );
  // Listing is NOT limited to the prefix here: S3 answers a GET of a missing key with 404 only
  // to callers allowed s3:ListBucket on the bucket, and a GET carries no s3:prefix for a
  // condition to match, so a prefix-limited grant turns "no such night yet" (which the results
  // store reads as null) into 403 Access Denied. Listing reveals key names only, not contents.
  add(
    new PolicyStatement({
      sid: 'ListResultsBucket',
      actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resources: [bucketArn(results)],
    }),
  );

  add(new PolicyStatement({ sid: 'QueryInWorkgroup', actions: [...ATHENA_ACTIONS], resources: [props.workgroupArn] }));
  add(new PolicyStatement({ sid: 'ReadCatalog', actions: [...GLUE_ACTIONS], resources: [...props.glueArns] }));

  // sns:Publish on the topic, and kms:Decrypt + kms:GenerateDataKey* on the topic's key.
  props.alertsTopic.grantPublish(role);

  const ack = (finding: string, reason: string) => Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  const prefixReason =
    'Object keys below this prefix are created per night and per Athena query, so the grant covers the prefix; the bucket itself is not wildcarded.';
  ack(objectsFinding(lake), `Read-only access to the lake. ${prefixReason}`);
  ack(objectsFinding(results), `Read/write access to the results layout. ${prefixReason}`);
  ack(
    objectsFinding(stateLocation(results)),
    'Delete only, below <results prefix>/state/: a night deletes the builds of the incremental state it replaced (each build is its own folder, and UNLOAD refuses a non-empty target); file names are chosen by UNLOAD per query.',
  );
  ack(
    objectsFinding(leaseLocation(results)),
    'Delete only, below <results prefix>/lease/: the run lease is one object per generation (lease/g<N>.json, created per run with a conditional write); the holder deletes generations older than the last five.',
  );
  ack(
    'Action::kms:GenerateDataKey*',
    "Granted by Topic.grantPublish on the alerts topic's own key only: publishing to an encrypted topic needs a data key, and the wildcard only spans the GenerateDataKey variants.",
  );
}

/** `s3:ListBucket` limited to keys below the location's prefix (whole bucket when it has none). */
function listStatement(sid: string, loc: S3Location): PolicyStatement {
  return new PolicyStatement({
    sid,
    actions: ['s3:ListBucket'],
    resources: [bucketArn(loc)],
    conditions: loc.prefix ? { StringLike: { 's3:prefix': [loc.prefix, `${loc.prefix}/*`] } } : undefined,
  });
}
