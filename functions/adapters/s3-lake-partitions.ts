/**
 * Whether an S3 lake has a day's partition: one ListObjectsV2 of `<prefix>/<partition>=<day>/`
 * with MaxKeys 1. Athena's partition projection answers an empty partition and a missing one
 * alike (no rows), so telling them apart takes a look at the objects; the nightly role may list
 * below the lake prefix.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { LakeError } from '../core/errors';
import { joinKey, parseS3Uri } from '../core/s3-uri';
import { describeError } from './aws-errors';

/**
 * A function answering "is anything stored under day D's partition?" (data files, empty files or
 * markers such as `_SUCCESS`) for the lake at `location`. A failed listing is a {@link LakeError}.
 * @param client the S3 client, asked for on each use (only a night without events asks)
 */
export function s3LakePartitionExists(client: () => S3Client, location: string, partition: string): (day: string) => Promise<boolean> {
  const { bucket, prefix } = parseS3Uri(location, 'lake.location');
  return async (day) => {
    // The trailing slash keeps dt=2024-01-1 from matching dt=2024-01-10.
    const folder = `${joinKey(prefix, `${partition}=${day}`)}/`;
    try {
      const out = await client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, MaxKeys: 1 }));
      return (out.Contents?.length ?? 0) > 0;
    } catch (err) {
      throw new LakeError(location, `cannot list s3://${bucket}/${folder}: ${describeError(err)}`, { cause: err });
    }
  };
}
